import MCPCrypto
import Testing

@Suite("SymmetricKey, SecureRandom and ConstantTime")
struct SymmetricKeyTests {
    @Test("keys keep their bytes, compare by value and never print them")
    func keyBasics() throws {
        let key = SymmetricKey(bytes: [1, 2, 3, 4])
        #expect(key.byteCount == 4)
        #expect(key.withUnsafeBytes { Array($0) } == [1, 2, 3, 4])
        #expect(key == SymmetricKey(bytes: [1, 2, 3, 4]))
        #expect(key != SymmetricKey(bytes: [1, 2, 3, 5]))
        #expect(key != SymmetricKey(bytes: [1, 2, 3]))
        #expect(key.description == "SymmetricKey(32 bits)")
        #expect(!String(reflecting: key).contains("1, 2, 3"))
    }

    @Test("random keys have the requested size and differ")
    func randomKeys() throws {
        let first = try SymmetricKey()
        let second = try SymmetricKey()
        #expect(first.byteCount == 32)
        #expect(first != second)
        #expect(try SymmetricKey(randomByteCount: 64).byteCount == 64)
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try SymmetricKey(randomByteCount: 0)
        }
    }

    @Test("random bytes: counts, variety, fills")
    func randomBytes() throws {
        #expect(try SecureRandom.bytes(count: 0) == [])
        let sample = try SecureRandom.bytes(count: 4096)
        #expect(sample.count == 4096)
        #expect(Set(sample).count > 200)
        #expect(try SecureRandom.bytes(count: 32) != SecureRandom.bytes(count: 32))
        var buffer = [UInt8](repeating: 0, count: 64)
        try SecureRandom.fill(&buffer)
        #expect(buffer.count == 64)
        #expect(buffer != [UInt8](repeating: 0, count: 64))
        var raw = [UInt8](repeating: 0, count: 48)
        try raw.withUnsafeMutableBytes { pointer in
            try SecureRandom.fill(pointer)
        }
        #expect(raw != [UInt8](repeating: 0, count: 48))
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try SecureRandom.bytes(count: -1)
        }
    }

    @Test("constant-time comparison")
    func constantTime() {
        #expect(ConstantTime.isEqual([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.isEqual([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.isEqual([1, 2, 3], [1, 2]))
        #expect(ConstantTime.isEqual([UInt8](), [UInt8]()))
        #expect(ConstantTime.isEqual(utf8("token"), "token".utf8))
    }
}

import MCPCrypto
import Testing

@Suite("Hexadecimal")
struct HexadecimalTests {
    @Test func encodesEveryByteAsTwoLowercaseDigits() {
        let every = (0...255).map { UInt8($0) }
        let text = Hexadecimal.encode(every)
        #expect(text.utf8.count == 512)
        #expect(text.hasPrefix("000102030405060708090a0b0c0d0e0f10"))
        #expect(text.hasSuffix("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"))
        #expect(Hexadecimal.decode(text) == every)
    }

    @Test func encodesSequencesWithoutContiguousStorage() {
        let bytes: [UInt8] = [0xde, 0xad, 0xbe, 0xef]
        #expect(Hexadecimal.encode(bytes.lazy.map { $0 }) == "deadbeef")
        #expect(Hexadecimal.encode(bytes[1...]) == "adbeef")
        #expect(Hexadecimal.encode([UInt8]()) == "")
    }
}

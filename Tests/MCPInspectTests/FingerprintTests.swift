import MCPCrypto
import MCPInspect
import Testing

@Suite("Fingerprints")
struct FingerprintTests {
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test("a fingerprint is HMAC-SHA256 truncated to 8 bytes, for every message length and key size")
    func matchesHMAC() throws {
        var generator = SplitMix64(seed: 3)
        for keyLength in [1, 32, 64, 65, 100] {
            let key = SymmetricKey(bytes: (0..<keyLength).map { _ in UInt8(truncatingIfNeeded: generator.next()) })
            let inspector = try Inspector(fingerprintKey: key)
            for length in 0..<200 {
                let message = (0..<length).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                let expected = Self.hex(HMAC.authenticationCode(for: message, using: key).prefix(8))
                #expect(inspector.fingerprint(of: message) == expected, "key \(keyLength), length \(length)")
            }
        }
    }
}

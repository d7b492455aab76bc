import MCPCrypto
import Testing

@Suite("CryptoError")
struct CryptoErrorTests {
    @Test("equality and hashing use the code only")
    func equality() {
        let first = CryptoError(.invalidKey, message: "one")
        let second = CryptoError(.invalidKey, message: "two")
        #expect(first == second)
        #expect(first != CryptoError(.invalidSignature, message: "one"))
        #expect(Set([first, second]).count == 1)
    }

    @Test("codes have stable names and descriptions show code and message")
    func names() {
        let codes: [CryptoError.Code] = [
            .invalidParameter, .invalidKey, .invalidSignature, .authenticationFailure,
            .invalidEncoding, .randomSourceFailure, .internalFailure,
        ]
        #expect(
            codes.map(\.description) == [
                "invalidParameter", "invalidKey", "invalidSignature", "authenticationFailure",
                "invalidEncoding", "randomSourceFailure", "internalFailure",
            ]
        )
        #expect(Set(codes).count == codes.count)
        let error = CryptoError(.invalidEncoding, message: "malformed base64")
        #expect(error.description == "CryptoError.invalidEncoding: malformed base64")
    }

    @Test("errors from key import do not contain the key bytes")
    func noKeyMaterial() {
        let secret = [UInt8](repeating: 0xab, count: 31)
        do throws(CryptoError) {
            _ = try P256.PrivateKey(rawRepresentation: secret)
            Issue.record("a 31-byte key was accepted")
        } catch {
            #expect(!error.description.lowercased().contains("abab"))
            #expect(!error.description.contains("171"))
        }
    }
}

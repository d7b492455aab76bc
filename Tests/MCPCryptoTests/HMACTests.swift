import MCPCrypto
import Testing

@Suite("HMAC")
struct HMACTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: [UInt8]
        let data: [UInt8]
        let sha256: String
        var testDescription: String { name }
    }

    static let rfc4231: [Vector] = [
        Vector(
            name: "test case 1",
            key: [UInt8](repeating: 0x0b, count: 20),
            data: utf8("Hi There"),
            sha256: "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        ),
        Vector(
            name: "test case 2",
            key: utf8("Jefe"),
            data: utf8("what do ya want for nothing?"),
            sha256: "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        ),
        Vector(
            name: "test case 3",
            key: [UInt8](repeating: 0xaa, count: 20),
            data: [UInt8](repeating: 0xdd, count: 50),
            sha256: "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"
        ),
        Vector(
            name: "test case 4",
            key: Array(1...25),
            data: [UInt8](repeating: 0xcd, count: 50),
            sha256: "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"
        ),
        Vector(
            name: "test case 6",
            key: [UInt8](repeating: 0xaa, count: 131),
            data: utf8("Test Using Larger Than Block-Size Key - Hash Key First"),
            sha256: "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        ),
        Vector(
            name: "test case 7",
            key: [UInt8](repeating: 0xaa, count: 131),
            data: utf8(
                "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."
            ),
            sha256: "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"
        ),
    ]

    @Test("RFC 4231 HMAC-SHA256", arguments: rfc4231)
    func rfc4231SHA256(_ vector: Vector) {
        let key = SymmetricKey(bytes: vector.key)
        let code = HMAC.authenticationCode(for: vector.data, using: key)
        #expect(hex(code) == vector.sha256)
        #expect(HMAC.isValidAuthenticationCode(code, authenticating: vector.data, using: key))
    }

    @Test("RFC 4231 test case 1 with SHA-384 and SHA-512")
    func rfc4231LongerDigests() {
        let key = SymmetricKey(bytes: [UInt8](repeating: 0x0b, count: 20))
        let data = utf8("Hi There")
        #expect(
            hex(HMAC.authenticationCode(for: data, using: key, digest: .sha384))
                == "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"
        )
        #expect(
            hex(HMAC.authenticationCode(for: data, using: key, digest: .sha512))
                == "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"
        )
    }

    @Test("verification rejects a changed code, message, key or length")
    func rejects() {
        let key = SymmetricKey(bytes: utf8("Jefe"))
        let data = utf8("what do ya want for nothing?")
        let code = HMAC.authenticationCode(for: data, using: key)
        var flipped = code
        flipped[31] ^= 0x01
        #expect(!HMAC.isValidAuthenticationCode(flipped, authenticating: data, using: key))
        #expect(!HMAC.isValidAuthenticationCode(code, authenticating: data + [0], using: key))
        #expect(
            !HMAC.isValidAuthenticationCode(
                code, authenticating: data, using: SymmetricKey(bytes: utf8("Jeff"))))
        #expect(!HMAC.isValidAuthenticationCode(code.prefix(16), authenticating: data, using: key))
        #expect(!HMAC.isValidAuthenticationCode([UInt8](), authenticating: data, using: key))
        #expect(
            !HMAC.isValidAuthenticationCode(code, authenticating: data, using: key, digest: .sha512)
        )
    }

    @Test("an empty key and an empty message are allowed")
    func emptyKey() {
        // HMAC-SHA256 with an empty key over an empty message, as computed by RFC 2104.
        let code = HMAC.authenticationCode(for: [UInt8](), using: SymmetricKey(bytes: [UInt8]()))
        #expect(hex(code) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}

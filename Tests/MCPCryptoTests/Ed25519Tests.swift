import MCPCrypto
import Testing

@Suite("Ed25519")
struct Ed25519Tests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let secretKey: String
        let publicKey: String
        let message: String
        let signature: String
        var testDescription: String { name }
    }

    /// RFC 8032 section 7.1, tests 1 to 3.
    static let rfc8032: [Vector] = [
        Vector(
            name: "test 1",
            secretKey: "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            publicKey: "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
            message: "",
            signature:
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        Vector(
            name: "test 2",
            secretKey: "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            publicKey: "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
            message: "72",
            signature:
                "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        Vector(
            name: "test 3",
            secretKey: "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            publicKey: "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
            message: "af82",
            signature:
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    ]

    @Test("RFC 8032 7.1: public key and exact signature", arguments: rfc8032)
    func vectors(_ vector: Vector) throws {
        let key = try Ed25519.PrivateKey(rawRepresentation: bytes(hex: vector.secretKey))
        #expect(hex(key.publicKey.rawRepresentation) == vector.publicKey)
        #expect(try hex(key.rawRepresentation) == vector.secretKey)
        let signature = try key.signature(for: bytes(hex: vector.message))
        #expect(hex(signature) == vector.signature)
        let publicKey = try Ed25519.PublicKey(rawRepresentation: bytes(hex: vector.publicKey))
        #expect(publicKey == key.publicKey)
        #expect(
            publicKey.isValidSignature(
                bytes(hex: vector.signature), for: bytes(hex: vector.message)))
    }

    @Test("tampered signatures, messages and keys are rejected")
    func rejects() throws {
        let vector = Self.rfc8032[2]
        let publicKey = try Ed25519.PublicKey(rawRepresentation: bytes(hex: vector.publicKey))
        let message = bytes(hex: vector.message)
        let signature = bytes(hex: vector.signature)
        var flipped = signature
        flipped[0] ^= 0x01
        #expect(!publicKey.isValidSignature(flipped, for: message))
        #expect(!publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!publicKey.isValidSignature(signature.dropLast(), for: message))
        #expect(!publicKey.isValidSignature(signature + [0], for: message))
        #expect(!publicKey.isValidSignature([UInt8](), for: message))
        let otherKey = try Ed25519.PublicKey(
            rawRepresentation: bytes(hex: Self.rfc8032[0].publicKey))
        #expect(!otherKey.isValidSignature(signature, for: message))
        // 32 bytes that do not decode to a curve point.
        var notAPoint = [UInt8](repeating: 0xff, count: 32)
        notAPoint[31] = 0x7f
        let bogus = try Ed25519.PublicKey(rawRepresentation: notAPoint)
        #expect(!bogus.isValidSignature(signature, for: message))
    }

    @Test("generated keys sign deterministically and round trip")
    func generated() throws {
        let key = try Ed25519.PrivateKey()
        let message = utf8("hello")
        let signature = try key.signature(for: message)
        #expect(signature.count == 64)
        #expect(try key.signature(for: message) == signature)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        let restored = try Ed25519.PrivateKey(rawRepresentation: key.rawRepresentation)
        #expect(restored.publicKey == key.publicKey)
        #expect(try restored.signature(for: message) == signature)
        #expect(key.algorithm == .ed25519)
        #expect(key.publicKey.algorithm.joseName == "EdDSA")
        #expect(key.description == "Ed25519.PrivateKey(<redacted>)")
        #expect(
            key.publicKey.description
                == "Ed25519.PublicKey(\(hex(key.publicKey.rawRepresentation)))")
    }

    @Test("wrong key lengths are rejected")
    func lengths() {
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try Ed25519.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try Ed25519.PublicKey(rawRepresentation: [UInt8](repeating: 1, count: 33))
        }
    }
}

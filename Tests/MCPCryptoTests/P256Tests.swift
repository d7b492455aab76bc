import MCPCrypto
import Testing

@Suite("ECDSA P-256")
struct P256Tests {
    // RFC 6979 appendix A.2.5.
    static let rfc6979Scalar = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"
    static let rfc6979X = "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
    static let rfc6979Y = "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
    static let sampleSignature =
        "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
        + "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"
    static let testSignature =
        "f1abb023518351cd71d881567b1ea663ed3efcf6c5132b354f28d3b0b7d38367"
        + "019f4113742a2b14bd25926b49c649155f267e60d3814b4c0cc84250e46f0083"

    static func rfc6979PublicKey() throws -> P256.PublicKey {
        try P256.PublicKey(x: bytes(hex: rfc6979X), y: bytes(hex: rfc6979Y))
    }

    @Test("RFC 6979 A.2.5: the SHA-256 signatures of \"sample\" and \"test\" verify")
    func rfc6979Verify() throws {
        let key = try Self.rfc6979PublicKey()
        #expect(key.isValidSignature(bytes(hex: Self.sampleSignature), for: utf8("sample")))
        #expect(key.isValidSignature(bytes(hex: Self.testSignature), for: utf8("test")))
        #expect(!key.isValidSignature(bytes(hex: Self.sampleSignature), for: utf8("test")))
        let der = try P256.Signature(rawRepresentation: bytes(hex: Self.sampleSignature))
            .derRepresentation
        #expect(key.isValidDERSignature(der, for: utf8("sample")))
    }

    @Test("RFC 6979 A.2.5: the private scalar derives the published public key")
    func rfc6979PublicFromPrivate() throws {
        let key = try P256.PrivateKey(rawRepresentation: bytes(hex: Self.rfc6979Scalar))
        #expect(hex(key.publicKey.x) == Self.rfc6979X)
        #expect(hex(key.publicKey.y) == Self.rfc6979Y)
        #expect(try hex(key.rawRepresentation) == Self.rfc6979Scalar)
        #expect(key.publicKey == (try Self.rfc6979PublicKey()))
        let signature = try key.signature(for: utf8("sample"))
        #expect(try Self.rfc6979PublicKey().isValidSignature(signature, for: utf8("sample")))
    }

    @Test("sign and verify round trips in raw and DER forms")
    func roundTrips() throws {
        let key = try P256.PrivateKey()
        let message = utf8("header.payload")
        let raw = try key.signature(for: message)
        #expect(raw.count == 64)
        #expect(key.publicKey.isValidSignature(raw, for: message))
        let der = try key.derSignature(for: message)
        #expect(der.first == 0x30)
        #expect(key.publicKey.isValidDERSignature(der, for: message))
        let converted = try P256.Signature(derRepresentation: der)
        #expect(key.publicKey.isValidSignature(converted.rawRepresentation, for: message))
        #expect(
            try P256.Signature(rawRepresentation: converted.rawRepresentation).derRepresentation
                == der)
        #expect(key.algorithm == .ecdsaP256SHA256)
        #expect(key.publicKey.algorithm.joseName == "ES256")
    }

    @Test("wrong key and wrong message are rejected")
    func wrongKeyOrMessage() throws {
        let key = try P256.PrivateKey()
        let other = try P256.PrivateKey()
        let message = utf8("message")
        let raw = try key.signature(for: message)
        let der = try key.derSignature(for: message)
        #expect(!other.publicKey.isValidSignature(raw, for: message))
        #expect(!other.publicKey.isValidDERSignature(der, for: message))
        #expect(!key.publicKey.isValidSignature(raw, for: utf8("massage")))
        #expect(!key.publicKey.isValidDERSignature(der, for: utf8("massage")))
    }

    @Test("malformed signatures are rejected, never crash")
    func malformedSignatures() throws {
        let key = try P256.PrivateKey()
        let message = utf8("message")
        let raw = try key.signature(for: message)
        let der = try key.derSignature(for: message)
        let publicKey = key.publicKey
        #expect(!publicKey.isValidSignature([UInt8](), for: message))
        #expect(!publicKey.isValidSignature(raw.dropLast(), for: message))
        #expect(!publicKey.isValidSignature(raw + [0], for: message))
        #expect(!publicKey.isValidSignature([UInt8](repeating: 0, count: 64), for: message))
        #expect(!publicKey.isValidSignature([UInt8](repeating: 0xff, count: 64), for: message))
        var flipped = raw
        flipped[40] ^= 0x04
        #expect(!publicKey.isValidSignature(flipped, for: message))
        // DER: raw bytes, trailing bytes, truncation, garbage.
        #expect(!publicKey.isValidDERSignature(raw, for: message))
        #expect(!publicKey.isValidDERSignature(der + [0], for: message))
        #expect(!publicKey.isValidDERSignature(der.dropLast(), for: message))
        #expect(!publicKey.isValidDERSignature([0x30, 0x00], for: message))
        #expect(!publicKey.isValidDERSignature([0x30], for: message))
        #expect(!publicKey.isValidDERSignature([UInt8](), for: message))
    }

    @Test("non-canonical DER signatures are refused")
    func strictDER() {
        // r = 1, s = 1 in canonical form parses.
        #expect(
            (try? P256.Signature(derRepresentation: [
                0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01,
            ])) != nil)
        let refused: [[UInt8]] = [
            [0x30, 0x07, 0x02, 0x02, 0x00, 0x01, 0x02, 0x01, 0x01],  // leading zero on r
            [0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01],  // negative r
            [0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],  // long-form length
            [0x30, 0x06, 0x02, 0x01, 0x01, 0x04, 0x01, 0x01],  // s not an INTEGER
            [0x30, 0x05, 0x02, 0x01, 0x01, 0x02, 0x00],  // empty s
            [0x30, 0x08, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01, 0x05, 0x00],  // trailing NULL
            [0x31, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01],  // SET, not SEQUENCE
            [0x30, 0x25, 0x02, 0x21, 0x01] + [UInt8](repeating: 0x01, count: 32) + [
                0x02, 0x01, 0x01,
            ],  // r of 33 bytes
        ]
        for der in refused {
            #expect(throws: CryptoError(.invalidSignature, message: "")) {
                try P256.Signature(derRepresentation: der)
            }
        }
        #expect(throws: CryptoError(.invalidSignature, message: "")) {
            try P256.Signature(rawRepresentation: [UInt8](repeating: 1, count: 63))
        }
    }

    @Test("DER encoding of high-bit and small integers")
    func derEncoding() throws {
        let raw = [UInt8](repeating: 0, count: 31) + [0x80] + [UInt8](repeating: 0, count: 32)
        let signature = try P256.Signature(rawRepresentation: raw)
        #expect(
            signature.derRepresentation == [0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x00])
        #expect(try P256.Signature(derRepresentation: signature.derRepresentation) == signature)
        let high = try P256.Signature(rawRepresentation: [UInt8](repeating: 0xff, count: 64))
        #expect(high.derRepresentation.count == 2 + 2 * 35)
        #expect(
            try P256.Signature(derRepresentation: high.derRepresentation).rawRepresentation
                == high.rawRepresentation)
    }

    @Test("points not on the curve and malformed points are rejected")
    func invalidPoints() throws {
        var y = bytes(hex: Self.rfc6979Y)
        y[31] ^= 0x01
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(x: bytes(hex: Self.rfc6979X), y: y)
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(x963Representation: [0x04] + [UInt8](repeating: 0, count: 64))
        }
        // Coordinates at or above the field prime.
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(rawRepresentation: [UInt8](repeating: 0xff, count: 64))
        }
        // Wrong prefix, wrong length, compressed form where uncompressed is required.
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(
                x963Representation: [0x05] + bytes(hex: Self.rfc6979X + Self.rfc6979Y))
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(x963Representation: bytes(hex: "03" + Self.rfc6979X))
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(
                x: bytes(hex: Self.rfc6979X).dropFirst(), y: bytes(hex: Self.rfc6979Y))
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(rawRepresentation: bytes(hex: Self.rfc6979X))
        }
    }

    @Test("private scalars out of range are rejected")
    func invalidScalars() {
        let order = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
        for scalar in [
            String(repeating: "00", count: 32), order, String(repeating: "ff", count: 32),
        ] {
            #expect(throws: CryptoError(.invalidKey, message: "")) {
                try P256.PrivateKey(rawRepresentation: bytes(hex: scalar))
            }
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31))
        }
        // The order minus one is the largest valid scalar.
        let largest = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550"
        #expect((try? P256.PrivateKey(rawRepresentation: bytes(hex: largest))) != nil)
    }

    @Test("key descriptions never show private material")
    func descriptions() throws {
        let key = try P256.PrivateKey(rawRepresentation: bytes(hex: Self.rfc6979Scalar))
        #expect(key.description == "P256.PrivateKey(<redacted>)")
        #expect(!String(reflecting: key).contains("c9afa9"))
        #expect(key.publicKey.description.contains(Self.rfc6979X))
    }
}

import MCPCrypto
import Testing

@Suite("AES-256-GCM")
struct AES256GCMTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let key: String
        let nonce: String
        let plaintext: String
        let associatedData: String
        let ciphertext: String
        let tag: String
        var testDescription: String { name }
    }

    static let key15 = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"
    static let plaintext15 =
        "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
        + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255"
    static let ciphertext15 =
        "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
        + "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad"

    /// Test cases 13 to 16 of "The Galois/Counter Mode of Operation" (McGrew, Viega).
    static let gcmSpec: [Vector] = [
        Vector(
            name: "test case 13",
            key: String(repeating: "00", count: 32),
            nonce: String(repeating: "00", count: 12),
            plaintext: "",
            associatedData: "",
            ciphertext: "",
            tag: "530f8afbc74536b9a963b4f1c4cb738b"
        ),
        Vector(
            name: "test case 14",
            key: String(repeating: "00", count: 32),
            nonce: String(repeating: "00", count: 12),
            plaintext: String(repeating: "00", count: 16),
            associatedData: "",
            ciphertext: "cea7403d4d606b6e074ec5d3baf39d18",
            tag: "d0d1c8a799996bf0265b98b5d48ab919"
        ),
        Vector(
            name: "test case 15",
            key: key15,
            nonce: "cafebabefacedbaddecaf888",
            plaintext: plaintext15,
            associatedData: "",
            ciphertext: ciphertext15,
            tag: "b094dac5d93471bdec1a502270e3cc6c"
        ),
        Vector(
            name: "test case 16",
            key: key15,
            nonce: "cafebabefacedbaddecaf888",
            plaintext: String(plaintext15.dropLast(8)),
            associatedData: "feedfacedeadbeeffeedfacedeadbeefabaddad2",
            ciphertext: String(ciphertext15.dropLast(8)),
            tag: "76fc6ece0f4e1768cddf8853bb2d551b"
        ),
    ]

    @Test("GCM specification vectors seal and open", arguments: gcmSpec)
    func vectors(_ vector: Vector) throws {
        let key = SymmetricKey(bytes: bytes(hex: vector.key))
        let nonce = try AES256GCM.Nonce(bytes: bytes(hex: vector.nonce))
        let box = try AES256GCM.seal(
            bytes(hex: vector.plaintext),
            using: key,
            nonce: nonce,
            authenticating: bytes(hex: vector.associatedData)
        )
        #expect(hex(box.ciphertext) == vector.ciphertext)
        #expect(hex(box.tag) == vector.tag)
        #expect(box.nonce == nonce)
        let opened = try AES256GCM.open(
            box, using: key, authenticating: bytes(hex: vector.associatedData))
        #expect(hex(opened) == vector.plaintext)
    }

    static func sealedCase16() throws -> (SymmetricKey, AES256GCM.SealedBox, [UInt8]) {
        let vector = gcmSpec[3]
        let key = SymmetricKey(bytes: bytes(hex: vector.key))
        let box = try AES256GCM.SealedBox(
            nonce: AES256GCM.Nonce(bytes: bytes(hex: vector.nonce)),
            ciphertext: bytes(hex: vector.ciphertext),
            tag: bytes(hex: vector.tag)
        )
        return (key, box, bytes(hex: vector.associatedData))
    }

    @Test("a flipped bit in the ciphertext fails authentication")
    func tamperedCiphertext() throws {
        let (key, box, aad) = try Self.sealedCase16()
        var ciphertext = box.ciphertext
        ciphertext[7] ^= 0x10
        let tampered = try AES256GCM.SealedBox(
            nonce: box.nonce, ciphertext: ciphertext, tag: box.tag)
        #expect(throws: CryptoError(.authenticationFailure, message: "")) {
            try AES256GCM.open(tampered, using: key, authenticating: aad)
        }
    }

    @Test("a flipped bit in the tag fails authentication")
    func tamperedTag() throws {
        let (key, box, aad) = try Self.sealedCase16()
        var tag = box.tag
        tag[15] ^= 0x01
        let tampered = try AES256GCM.SealedBox(
            nonce: box.nonce, ciphertext: box.ciphertext, tag: tag)
        #expect(throws: CryptoError(.authenticationFailure, message: "")) {
            try AES256GCM.open(tampered, using: key, authenticating: aad)
        }
    }

    @Test("changed associated data fails authentication")
    func tamperedAssociatedData() throws {
        let (key, box, aad) = try Self.sealedCase16()
        var changed = aad
        changed[0] ^= 0x80
        #expect(throws: CryptoError(.authenticationFailure, message: "")) {
            try AES256GCM.open(box, using: key, authenticating: changed)
        }
        #expect(throws: CryptoError(.authenticationFailure, message: "")) {
            try AES256GCM.open(box, using: key)
        }
    }

    @Test("a flipped bit in the nonce fails authentication")
    func tamperedNonce() throws {
        let (key, box, aad) = try Self.sealedCase16()
        var nonce = box.nonce.bytes
        nonce[11] ^= 0x01
        let tampered = try AES256GCM.SealedBox(
            nonce: AES256GCM.Nonce(bytes: nonce),
            ciphertext: box.ciphertext,
            tag: box.tag
        )
        #expect(throws: CryptoError(.authenticationFailure, message: "")) {
            try AES256GCM.open(tampered, using: key, authenticating: aad)
        }
    }

    @Test("the wrong key fails authentication")
    func wrongKey() throws {
        let (_, box, aad) = try Self.sealedCase16()
        #expect(throws: CryptoError(.authenticationFailure, message: "")) {
            try AES256GCM.open(box, using: SymmetricKey(randomByteCount: 32), authenticating: aad)
        }
    }

    @Test("random nonces: round trip, distinct nonces and ciphertexts")
    func randomNonce() throws {
        let key = try SymmetricKey()
        let message = utf8("the same message twice")
        let first = try AES256GCM.seal(message, using: key, authenticating: utf8("header"))
        let second = try AES256GCM.seal(message, using: key, authenticating: utf8("header"))
        #expect(first.nonce != second.nonce)
        #expect(first.ciphertext != second.ciphertext)
        #expect(first.ciphertext.count == message.count)
        #expect(try AES256GCM.open(first, using: key, authenticating: utf8("header")) == message)
        #expect(try AES256GCM.open(second, using: key, authenticating: utf8("header")) == message)
    }

    @Test("combined representation round trip and layout")
    func combined() throws {
        let (key, box, aad) = try Self.sealedCase16()
        let combined = box.combined
        #expect(combined.count == 12 + box.ciphertext.count + 16)
        #expect(Array(combined.prefix(12)) == box.nonce.bytes)
        #expect(Array(combined.suffix(16)) == box.tag)
        let parsed = try AES256GCM.SealedBox(combined: combined)
        #expect(parsed == box)
        #expect(
            try AES256GCM.open(parsed, using: key, authenticating: aad)
                == bytes(hex: Self.gcmSpec[3].plaintext))

        let empty = try AES256GCM.seal([UInt8](), using: key)
        #expect(empty.combined.count == 28)
        #expect(try AES256GCM.open(AES256GCM.SealedBox(combined: empty.combined), using: key) == [])
    }

    @Test("a truncated combined representation is rejected")
    func combinedTooShort() {
        #expect(throws: CryptoError(.invalidEncoding, message: "")) {
            try AES256GCM.SealedBox(combined: [UInt8](repeating: 0, count: 27))
        }
    }

    @Test("wrong key, nonce and tag lengths are rejected")
    func lengths() throws {
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try AES256GCM.seal(
                utf8("x"), using: SymmetricKey(bytes: [UInt8](repeating: 1, count: 16)))
        }
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try AES256GCM.Nonce(bytes: [UInt8](repeating: 0, count: 8))
        }
        let nonce = try AES256GCM.Nonce()
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try AES256GCM.SealedBox(
                nonce: nonce, ciphertext: [UInt8](), tag: [UInt8](repeating: 0, count: 12))
        }
        let box = try AES256GCM.seal(utf8("x"), using: SymmetricKey())
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try AES256GCM.open(box, using: SymmetricKey(randomByteCount: 31))
        }
    }

    @Test("a long message round trips")
    func longMessage() throws {
        let key = try SymmetricKey()
        let message = try SecureRandom.bytes(count: 1 << 20)
        let box = try AES256GCM.seal(message, using: key)
        #expect(try AES256GCM.open(box, using: key) == message)
    }
}

import MCPCrypto
import Testing

@Suite("scrypt and password hashes")
struct PasswordHashTests {
    @Test("RFC 7914 section 12: empty password and salt, N = 16, r = 1, p = 1")
    func rfc7914First() throws {
        let key = try Scrypt.deriveKey(
            password: [UInt8](),
            salt: [UInt8](),
            parameters: Scrypt.Parameters(logN: 4, blockSize: 1, parallelism: 1),
            byteCount: 64
        )
        #expect(
            hex(key)
                == "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442"
                + "fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"
        )
    }

    @Test("RFC 7914 section 12: \"password\" / \"NaCl\", N = 1024, r = 8, p = 16")
    func rfc7914Second() throws {
        let key = try Scrypt.deriveKey(
            password: utf8("password"),
            salt: utf8("NaCl"),
            parameters: Scrypt.Parameters(logN: 10, blockSize: 8, parallelism: 16),
            byteCount: 64
        )
        #expect(
            hex(key)
                == "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"
                + "2eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"
        )
    }

    @Test("RFC 7914 section 12: \"pleaseletmein\" / \"SodiumChloride\", N = 16384, r = 8, p = 1")
    func rfc7914Third() throws {
        let key = try Scrypt.deriveKey(
            password: utf8("pleaseletmein"),
            salt: utf8("SodiumChloride"),
            parameters: Scrypt.Parameters(logN: 14, blockSize: 8, parallelism: 1),
            byteCount: 64
        )
        #expect(
            hex(key)
                == "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2"
                + "d5432955613f0fcf62d49705242a9af9e61e85dc0d651e40dfcf017b45575887"
        )
    }

    @Test("RFC 7914's fourth vector (N = 2^20, r = 8: 1 GiB) is beyond the bounds")
    func rfc7914FourthRefused() {
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try Scrypt.Parameters(logN: 20, blockSize: 8, parallelism: 1)
        }
    }

    @Test(
        "parameter bounds",
        arguments: [
            (0, 8, 1), (21, 1, 1), (15, 0, 1), (15, 33, 1), (15, 8, 0), (15, 8, 17),
            (18, 8, 1),  // 256 MiB
            (16, 8, 9),  // more work than allowed
        ])
    func bounds(_ logN: Int, _ blockSize: Int, _ parallelism: Int) {
        #expect(throws: CryptoError(.invalidParameter, message: "")) {
            try Scrypt.Parameters(logN: logN, blockSize: blockSize, parallelism: parallelism)
        }
    }

    @Test("parameters at the limits are accepted")
    func limits() throws {
        let largest = try Scrypt.Parameters(logN: 17, blockSize: 8, parallelism: 1)
        #expect(largest.memoryByteCount == Scrypt.Parameters.maximumMemoryByteCount)
        #expect(Scrypt.Parameters.default.description == "ln=15,r=8,p=1")
        #expect(Scrypt.Parameters.default.memoryByteCount == 32 << 20)
    }

    @Test("derived key length bounds")
    func keyLength() throws {
        let parameters = try Scrypt.Parameters(logN: 4, blockSize: 1, parallelism: 1)
        for byteCount in [0, Scrypt.maximumKeyByteCount + 1] {
            #expect(throws: CryptoError(.invalidParameter, message: "")) {
                try Scrypt.deriveKey(
                    password: utf8("p"), salt: utf8("s"), parameters: parameters,
                    byteCount: byteCount)
            }
        }
    }

    static let cheap = try! Scrypt.Parameters(logN: 10, blockSize: 8, parallelism: 1)

    @Test("hash, encode, parse and verify")
    func roundTrip() throws {
        let hash = try PasswordHash(hashing: "correct horse".utf8, parameters: Self.cheap)
        #expect(hash.salt.count == 16)
        #expect(hash.derivedKey.count == 32)
        let encoded = hash.encoded
        #expect(encoded.hasPrefix("$scrypt$ln=10,r=8,p=1$"))
        #expect(hash.verify("correct horse".utf8))
        #expect(!hash.verify("correct horsf".utf8))
        #expect(!hash.verify("".utf8))
        #expect(PasswordHash.verify("correct horse".utf8, against: encoded))
        #expect(!PasswordHash.verify("wrong".utf8, against: encoded))
        let parsed = try PasswordHash(encoded: encoded)
        #expect(parsed.salt == hash.salt)
        #expect(parsed.derivedKey == hash.derivedKey)
        #expect(parsed.parameters == hash.parameters)
        #expect(parsed.encoded == encoded)
        #expect(hash.description == "PasswordHash(scrypt ln=10,r=8,p=1)")
        let other = try PasswordHash(hashing: "correct horse".utf8, parameters: Self.cheap)
        #expect(other.salt != hash.salt)
    }

    @Test("a hash encoded by hand from the RFC 7914 vector verifies")
    func knownEncoding() throws {
        // Salt "NaCl" is only 4 bytes, below the accepted minimum, so use a salt of 8.
        let salt = utf8("NaClNaCl")
        let parameters = try Scrypt.Parameters(logN: 10, blockSize: 8, parallelism: 1)
        let key = try Scrypt.deriveKey(
            password: utf8("password"), salt: salt, parameters: parameters, byteCount: 32)
        let encoded =
            "$scrypt$ln=10,r=8,p=1$" + String(Base64.encode(salt).filter { $0 != "=" }) + "$"
            + String(Base64.encode(key).filter { $0 != "=" })
        #expect(PasswordHash.verify("password".utf8, against: encoded))
        #expect(!PasswordHash.verify("passwore".utf8, against: encoded))
    }

    @Test("rehash advice")
    func rehash() throws {
        let hash = try PasswordHash(hashing: "pw".utf8, parameters: Self.cheap)
        #expect(hash.needsRehash())
        #expect(!hash.needsRehash(for: Self.cheap))
    }

    @Test(
        "malformed or hostile encodings are refused without work",
        arguments: [
            "",
            "$scrypt$",
            "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHQ",
            "$scrypt$ln=10,r=8$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$r=8,ln=10,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=010,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=1000,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=-1,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=10,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHQ$aGFzaA",
            "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHQ=$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=10,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA$",
            "$scrypt$ln=10,r=8,p=1$" + String(repeating: "A", count: 300)
                + "$aGFzaGhhc2hoYXNoaGFzaA",
        ])
    func malformed(_ encoded: String) {
        #expect(throws: CryptoError.self) {
            try PasswordHash(encoded: encoded)
        }
        #expect(!PasswordHash.verify("password".utf8, against: encoded))
    }

    @Test("parameters beyond the bounds in a stored hash are refused with invalidParameter")
    func hostileParameters() {
        for encoded in [
            "$scrypt$ln=30,r=8,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
            "$scrypt$ln=20,r=32,p=16$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
        ] {
            #expect(throws: CryptoError(.invalidParameter, message: "")) {
                try PasswordHash(encoded: encoded)
            }
        }
    }
}

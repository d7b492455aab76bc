import MCPCrypto
import Testing

@Suite("P-256 key encodings")
struct P256EncodingTests {
    // The RFC 6979 A.2.5 key, encoded by another implementation.
    static let sec1PEM = """
        -----BEGIN EC PRIVATE KEY-----
        MHcCAQEEIMmvqdhFunUWa1whV2ex1pNOUMPbNuibEnuKYisSD2choAoGCCqGSM49
        AwEHoUQDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7Yfps5mliLmDyn7Z5A/4QCLi8
        maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==
        -----END EC PRIVATE KEY-----

        """
    static let pkcs8PEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgya+p2EW6dRZrXCFX
        Z7HWk05Qw9s26JsSe4piKxIPZyGhRANCAARg/tS6JVqdMclh63TGNW1owEm4kjth
        +mzmaWIuYPKftnkD/hAIuLyZpBrp6VYovGTy8bIMLX6fUXejwpTURiKZ
        -----END PRIVATE KEY-----

        """
    static let publicPEM = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEYP7UuiVanTHJYet0xjVtaMBJuJI7
        Yfps5mliLmDyn7Z5A/4QCLi8maQa6elWKLxk8vGyDC1+n1F3o8KU1EYimQ==
        -----END PUBLIC KEY-----

        """
    static let publicDER =
        "3059301306072a8648ce3d020106082a8648ce3d030107034200"
        + "0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
        + "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
    // A P-384 public key and an encrypted PKCS#8 P-384 private key.
    static let p384PublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEcaB0M2CodLm3tV1E6DTo5IkYWj10/MGh
        qW0BRczsbBZXF8Pjt6O71ZYoeFjnLXKJQyUwjagBNPq26+07OJKi4YMO7kXivbRm
        3ylUJe2rlkuvNCsGsva3Msbr2+POx7ta
        -----END PUBLIC KEY-----
        """
    static let encryptedPEM = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIIBJDBfBgkqhkiG9w0BBQ0wUjAxBgkqhkiG9w0BBQwwJAQQY0k7uZ/l3IUBUC1R
        f5DU+AICCAAwDAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEN58Pt5xr6eB+YtU
        NBU7ubkEgcBRZsyAHbU7r5+SHQbfZRGttplXKoDu83b3bR+TF4pCew6gXHWiwHUC
        GfQtYDrpcuDjruX7y8pryiJYn1qTAkuoyNpKVoeS0rnCrDSP0fE2LWTUHSxqVeHV
        JgEuzihFiffdY4FOwzqTR2WPZMgNvVSYGMkpQ47UeVLPOnx/kwjWjRDikWu92p7K
        /r0dKFrktlNy0uNWT5654fdogibG8kfwKYe7pioHgg/pI5Y18IrjDqnyI4gTkC06
        ydXJmMMydOs=
        -----END ENCRYPTED PRIVATE KEY-----
        """

    @Test("PEM from another implementation: SEC 1 and PKCS#8 private keys, SPKI public key")
    func foreignPEM() throws {
        let scalar = P256Tests.rfc6979Scalar
        #expect(
            try hex(P256.PrivateKey(pemRepresentation: Self.sec1PEM).rawRepresentation) == scalar)
        #expect(
            try hex(P256.PrivateKey(pemRepresentation: Self.pkcs8PEM).rawRepresentation) == scalar)
        let publicKey = try P256.PublicKey(pemRepresentation: Self.publicPEM)
        #expect(publicKey == (try P256Tests.rfc6979PublicKey()))
    }

    @Test("exports match the reference encodings")
    func exportsMatch() throws {
        let key = try P256.PrivateKey(rawRepresentation: bytes(hex: P256Tests.rfc6979Scalar))
        #expect(try key.publicKey.pemRepresentation == Self.publicPEM)
        #expect(try hex(key.publicKey.derRepresentation) == Self.publicDER)
        #expect(try key.pemRepresentation == Self.pkcs8PEM)
        #expect(
            hex(key.publicKey.x963Representation) == "04" + P256Tests.rfc6979X + P256Tests.rfc6979Y)
        #expect(hex(key.publicKey.rawRepresentation) == P256Tests.rfc6979X + P256Tests.rfc6979Y)
    }

    @Test("private key round trips: raw, DER and PEM")
    func privateRoundTrips() throws {
        let key = try P256.PrivateKey()
        let raw = try key.rawRepresentation
        #expect(raw.count == 32)
        #expect(try P256.PrivateKey(rawRepresentation: raw).publicKey == key.publicKey)
        let der = try key.derRepresentation
        let fromDER = try P256.PrivateKey(derRepresentation: der)
        #expect(try fromDER.rawRepresentation == raw)
        let pem = try key.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let fromPEM = try P256.PrivateKey(pemRepresentation: pem)
        #expect(try fromPEM.rawRepresentation == raw)
        let message = utf8("round trip")
        #expect(key.publicKey.isValidSignature(try fromPEM.signature(for: message), for: message))
    }

    @Test("public key round trips: x9.63, raw, JWK coordinates, DER and PEM")
    func publicRoundTrips() throws {
        let publicKey = try P256.PrivateKey().publicKey
        #expect(publicKey.x963Representation.count == 65)
        #expect(try P256.PublicKey(x963Representation: publicKey.x963Representation) == publicKey)
        #expect(try P256.PublicKey(rawRepresentation: publicKey.rawRepresentation) == publicKey)
        #expect(try P256.PublicKey(x: publicKey.x, y: publicKey.y) == publicKey)
        #expect(try P256.PublicKey(derRepresentation: publicKey.derRepresentation) == publicKey)
        let pem = try publicKey.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try P256.PublicKey(pemRepresentation: pem) == publicKey)
        #expect(Set([publicKey, try P256.PublicKey(x: publicKey.x, y: publicKey.y)]).count == 1)
    }

    @Test("a compressed point in SPKI is accepted and exported uncompressed")
    func compressedSPKI() throws {
        let compressed = bytes(
            hex: "3039301306072a8648ce3d020106082a8648ce3d030107032200" + "03" + P256Tests.rfc6979X
        )
        let key = try P256.PublicKey(derRepresentation: compressed)
        #expect(key == (try P256Tests.rfc6979PublicKey()))
        #expect(try hex(key.derRepresentation) == Self.publicDER)
    }

    @Test("malformed, foreign and encrypted encodings are rejected")
    func rejections() throws {
        let der = bytes(hex: Self.publicDER)
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(derRepresentation: der + [0x00])
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(derRepresentation: der.dropLast())
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(derRepresentation: [UInt8]())
        }
        // An Ed25519 SubjectPublicKeyInfo.
        let ed25519SPKI = bytes(
            hex: "302a300506032b6570032100" + String(repeating: "11", count: 32))
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(derRepresentation: ed25519SPKI)
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(pemRepresentation: Self.p384PublicPEM)
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PublicKey(pemRepresentation: "no key here")
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PrivateKey(pemRepresentation: Self.publicPEM)
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PrivateKey(pemRepresentation: Self.encryptedPEM)
        }
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PrivateKey(derRepresentation: der)
        }
        let privateDER = try P256.PrivateKey().derRepresentation
        #expect(throws: CryptoError(.invalidKey, message: "")) {
            try P256.PrivateKey(derRepresentation: privateDER + [0x00])
        }
    }

    @Test("an OpenSSL failure carries OpenSSL's reason in the message")
    func openSSLReason() {
        do throws(CryptoError) {
            _ = try P256.PublicKey(derRepresentation: [0x30, 0x03, 0x02, 0x01, 0x01])
            Issue.record("a malformed key was accepted")
        } catch {
            #expect(error.code == .invalidKey)
            #expect(error.message.contains("d2i_PUBKEY failed"))
            #expect(error.message.count > "d2i_PUBKEY failed".count)
        }
    }
}

import Testing

@testable import MCPCrypto

/// RS256 verification against a signature made by another implementation (the Python
/// `cryptography` package, over OpenSSL's RSA), as OpenID Connect providers sign ID tokens.
@Suite("RSA")
struct RSATests {
    // A 2048-bit key and an RSASSA-PKCS1-v1_5 SHA-256 signature made with it.
    static let modulus = bytes(
        hex:
            "a178d0b33b72db3e147e5dfe9aca525e8a701db887832f9fd2958eb2a96abfa2f5a7e4009ca2f2f9057a3d4fb152b2d2f249b9b3c21759118d590a3d423683408efb81698b825a5dc53d280366af0d8bba3a402e808a37ea1a863bd7c1f666ef320521e1e7b7ed9a0924c16e63eda1482a75a67eaa2a968aa5071d5f4920133ff04ac741921f109933ef43854678dc1d70cd9f2112d1421c4f3b86fb820dca50ea7a24ac64c2f96bb65765a78638494c17838929468c3717a54f36fbf8588b8e15f36ca89034695655c016f0e007bf847e6e2835ae05babbc3d03a48b989cce2870fc7af5c35490cba68161a7d7ea304b393410e6ed26fc78996745b95ee0399"
    )
    static let signature = bytes(
        hex:
            "5b6c8dfbf99db06591381964a6492a2ee42da13869d8d3ad1f7c4fcdee26072f553b8453bd9f056bbb042f39fb5dc8c84f2e0552a1285a739691c4015a24fd9aaa8296fc7fdddfea54710564ddec774bfd445e7b0bd452252dd994f4786ef07b44ef1614b6bb962a99cd1f59ee7148a81b26c422f3a024f7b70343ef591ad7d7e922fa4d2323a62a27ddc1a383e0477867385cb4e3ea323d85b6c7d2c80893837c42c2f1e8e295aa76ff0d7f148d87b1377297affd74de2b4ec9feed52365a66ca69d8951dcf6b78816fe5d19bd7dd7993e2cb57c1189e6e928a9dc4646c7cbd88a8447ddd1f954fa6a55b9023ed66642e9c3c1e5a27ae584041645b31ea78f7"
    )
    static let message = Array("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".utf8)

    @Test func aSignatureOfAnotherImplementationVerifies() throws {
        let key = try RSA.PublicKey(modulus: Self.modulus, exponent: [0x01, 0x00, 0x01])
        #expect(key.isValidSignature(Self.signature, for: Self.message))
        #expect(!key.isValidSignature(Self.signature, for: Self.message + [0x2E]))
        var flipped = Self.signature
        flipped[100] ^= 0x01
        #expect(!key.isValidSignature(flipped, for: Self.message))
        #expect(!key.isValidSignature(Self.signature.dropLast(), for: Self.message))
        #expect("\(key)" == "RSA.PublicKey(2048 bits)")
    }

    @Test func weakOrMalformedKeysAreRefused() {
        #expect(throws: CryptoError.self) { try RSA.PublicKey(modulus: Self.modulus.prefix(128), exponent: [1, 0, 1]) }
        #expect(throws: CryptoError.self) { try RSA.PublicKey(modulus: Self.modulus, exponent: [2]) }
        #expect(throws: CryptoError.self) { try RSA.PublicKey(modulus: Self.modulus, exponent: [1]) }
        #expect(throws: CryptoError.self) { try RSA.PublicKey(modulus: [UInt8](), exponent: [1, 0, 1]) }
    }
}

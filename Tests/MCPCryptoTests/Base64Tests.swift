import MCPCrypto
import Testing

@Suite("Base64 and Base64URL")
struct Base64Tests {
    /// RFC 4648 section 10.
    static let rfc4648: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test("RFC 4648 section 10 vectors, padded")
    func standardVectors() throws {
        for (plain, encoded) in Self.rfc4648 {
            #expect(Base64.encode(utf8(plain)) == encoded)
            #expect(try Base64.decode(encoded) == utf8(plain))
            #expect(try Base64.decode(utf8: utf8(encoded)) == utf8(plain))
        }
    }

    @Test("RFC 4648 section 10 vectors, base64url without padding")
    func urlVectors() throws {
        for (plain, padded) in Self.rfc4648 {
            let unpadded = String(padded.filter { $0 != "=" })
            #expect(Base64URL.encode(utf8(plain)) == unpadded)
            #expect(try Base64URL.decode(unpadded) == utf8(plain))
            #expect(try Base64URL.decode(utf8: utf8(unpadded)) == utf8(plain))
        }
    }

    @Test("the two alphabets differ only in 62 and 63; RFC 7515 appendix C")
    func alphabets() throws {
        #expect(Base64.encode([0xfb, 0xff]) == "+/8=")
        #expect(Base64URL.encode([0xfb, 0xff]) == "-_8")
        #expect(try Base64URL.decode("-_8") == [0xfb, 0xff])
        #expect(Base64URL.encode([3, 236, 255, 224, 193]) == "A-z_4ME")
        #expect(try Base64URL.decode("A-z_4ME") == [3, 236, 255, 224, 193])
        #expect(
            try Base64URL.decode(Substring("xA-z_4MEx").dropFirst().dropLast()) == [
                3, 236, 255, 224, 193,
            ])
    }

    @Test("every byte value and length round trips")
    func roundTrips() throws {
        let all = (0...255).map { UInt8($0) }
        for length in 0...all.count {
            let slice = Array(all[..<length])
            #expect(try Base64.decode(Base64.encode(slice)) == slice)
            #expect(try Base64URL.decode(Base64URL.encode(slice)) == slice)
        }
    }

    @Test(
        "base64url rejects padding, foreign characters and impossible lengths",
        arguments: [
            "Zg==", "Zg=", "Zm8=", "Zm9v=", "Z", "Zm9vY", "Zm9v+", "Zm9v/", "Zm 9v", "Zm9v\n",
            "Zm9vä", "=",
            "Zh", "Zm9", "-_9",
        ])
    func urlRejects(_ text: String) {
        #expect(throws: CryptoError(.invalidEncoding, message: "")) {
            try Base64URL.decode(text)
        }
    }

    @Test(
        "standard base64 rejects missing or misplaced padding, foreign characters, bad lengths",
        arguments: [
            "Zg", "Zg=", "Zm8", "Z===", "====", "Zg==Zg==", "Z=g=", "Zm9v-_8=", "Zm9v YmFy",
            "Zm9vY", "Zh==", "Zm9=",
        ])
    func standardRejects(_ text: String) {
        #expect(throws: CryptoError(.invalidEncoding, message: "")) {
            try Base64.decode(text)
        }
    }
}

import MCPCrypto
import Testing

@Suite("SHA-2")
struct SHA2Tests {
    @Test("FIPS 180-2 one-block message \"abc\"")
    func abc() {
        #expect(
            hex(SHA256.hash(utf8("abc")))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("FIPS 180-2 multi-block 448-bit message")
    func twoBlocks() {
        let message = utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
        #expect(
            hex(SHA256.hash(message))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("empty message")
    func empty() {
        #expect(
            hex(SHA256.hash([UInt8]()))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("FIPS 180-2 one million 'a', fed incrementally")
    func millionA() {
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 {
            hasher.update(chunk)
        }
        #expect(
            hex(hasher.finalize())
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("incremental equals one-shot, across odd splits and non-contiguous input")
    func incrementalMatchesOneShot() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        var hasher = SHA256()
        hasher.update(message[..<1])
        hasher.update(message[1..<65])
        hasher.update(message[65...].lazy.map { $0 })
        #expect(hasher.finalize() == SHA256.hash(message))
    }

    @Test("finalize leaves the hasher usable, and copies are independent")
    func valueSemantics() {
        var first = SHA256()
        first.update(utf8("ab"))
        let prefixDigest = first.finalize()
        var second = first
        first.update(utf8("c"))
        second.update(utf8("x"))
        #expect(first.finalize() == SHA256.hash(utf8("abc")))
        #expect(second.finalize() == SHA256.hash(utf8("abx")))
        #expect(prefixDigest == SHA256.hash(utf8("ab")))
    }

    @Test("SHA-384 and SHA-512 of \"abc\" (FIPS 180-2)")
    func longerDigests() {
        #expect(
            hex(SHA384.hash(utf8("abc")))
                == "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
        )
        #expect(
            hex(SHA512.hash(utf8("abc")))
                == "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        )
        var hasher = SHA512()
        hasher.update(utf8("a"))
        hasher.update(utf8("bc"))
        #expect(hasher.finalize() == SHA512.hash(utf8("abc")))
        var hasher384 = SHA384()
        hasher384.update(utf8("abc"))
        #expect(hasher384.finalize() == SHA384.hash(utf8("abc")))
    }

    @Test("digest algorithm metadata")
    func algorithms() {
        #expect(SHA256.byteCount == 32)
        #expect(SHA384.byteCount == 48)
        #expect(SHA512.byteCount == 64)
        #expect(DigestAlgorithm.sha256.description == "SHA-256")
        #expect(SHA384.algorithm.description == "SHA-384")
        #expect(SHA512.algorithm == .sha512)
    }
}

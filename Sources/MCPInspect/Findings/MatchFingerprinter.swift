internal import MCPCrypto

/// HMAC-SHA256 of matched bytes, truncated to 8 bytes, for finding fingerprints.
///
/// The key's inner and outer pad blocks are compressed once, so a fingerprint costs
/// only the blocks of the match and one more, in Swift, without a call into OpenSSL
/// (whose one-shot HMAC sets up a context each time). The result is the same as
/// `HMAC.authenticationCode(for:using:)` truncated.
struct MatchFingerprinter: Sendable {
    private let innerState: SHA256State
    private let outerState: SHA256State

    init(key: SymmetricKey) {
        var block = key.withUnsafeBytes { bytes in
            bytes.count > 64 ? SHA256.hash(Array(bytes)) : Array(bytes)
        }
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256State()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.compress($0.baseAddress!) }
        var outer = SHA256State()
        block.map { $0 ^ 0x5C }.withUnsafeBytes { outer.compress($0.baseAddress!) }
        innerState = inner
        outerState = outer
    }

    /// The full 32-byte HMAC-SHA256 of `message`.
    func authenticationCode(_ message: some Collection<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
            authenticationCode(message, into: UnsafeMutableRawPointer(digest.baseAddress!))
            count = 32
        }
    }

    /// The first 8 bytes of the HMAC, in lowercase hexadecimal.
    func fingerprint(_ message: some Collection<UInt8>) -> String {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { digest in
            authenticationCode(message, into: digest.baseAddress!)
            return String(unsafeUninitializedCapacity: 16) { text in
                func digit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }
                for index in 0..<8 {
                    let byte = digest[index]
                    text[index * 2] = digit(byte >> 4)
                    text[index * 2 + 1] = digit(byte & 0x0F)
                }
                return 16
            }
        }
    }

    private func authenticationCode(_ message: some Collection<UInt8>, into digest: UnsafeMutableRawPointer) {
        var inner = innerState
        let hashed: Void? = message.withContiguousStorageIfAvailable { bytes in
            inner.finish(UnsafeRawBufferPointer(bytes), precedingBytes: 64, into: digest)
        }
        if hashed == nil {
            Array(message).withUnsafeBytes { inner.finish($0, precedingBytes: 64, into: digest) }
        }
        var outer = outerState
        outer.finish(UnsafeRawBufferPointer(start: digest, count: 32), precedingBytes: 64, into: digest)
    }
}

/// The eight working words of SHA-256 (FIPS 180-4) and its compression function.
struct SHA256State: Sendable {
    private var h: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    private static let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2,
    ]

    /// Compresses the 64-byte block at `block`.
    mutating func compress(_ block: UnsafeRawPointer) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { schedule in
            Self.k.withUnsafeBufferPointer { constants in
                let w = schedule.baseAddress!
                let k = constants.baseAddress!
                for t in 0..<16 {
                    w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t &* 4, as: UInt32.self))
                }
                for t in 16..<64 {
                    let w15 = w[t &- 15]
                    let w2 = w[t &- 2]
                    let s0 = w15.rotatedRight(7) ^ w15.rotatedRight(18) ^ (w15 &>> 3)
                    let s1 = w2.rotatedRight(17) ^ w2.rotatedRight(19) ^ (w2 &>> 10)
                    w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                }
                var (a, b, c, d, e, f, g, hh) = h
                for t in 0..<64 {
                    let s1 = e.rotatedRight(6) ^ e.rotatedRight(11) ^ e.rotatedRight(25)
                    let choice = (e & f) ^ (~e & g)
                    let temp1 = hh &+ s1 &+ choice &+ k[t] &+ w[t]
                    let s0 = a.rotatedRight(2) ^ a.rotatedRight(13) ^ a.rotatedRight(22)
                    let majority = (a & b) ^ (a & c) ^ (b & c)
                    let temp2 = s0 &+ majority
                    hh = g
                    g = f
                    f = e
                    e = d &+ temp1
                    d = c
                    c = b
                    b = a
                    a = temp1 &+ temp2
                }
                h = (h.0 &+ a, h.1 &+ b, h.2 &+ c, h.3 &+ d, h.4 &+ e, h.5 &+ f, h.6 &+ g, h.7 &+ hh)
            }
        }
    }

    /// Hashes `message` as the rest of a message whose first `precedingBytes` (a
    /// multiple of 64) were already compressed, and writes the 32-byte digest to
    /// `digest` (which may overlap `message`: it is written last).
    mutating func finish(_ message: UnsafeRawBufferPointer, precedingBytes: Int, into digest: UnsafeMutableRawPointer) {
        let length = message.count
        var offset = 0
        while length - offset >= 64 {
            compress(message.baseAddress! + offset)
            offset += 64
        }
        let rest = length - offset
        let tail = rest + 9 <= 64 ? 64 : 128
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { buffer in
            let block = buffer.baseAddress!
            block.initializeMemory(as: UInt8.self, repeating: 0, count: tail)
            if rest > 0 { block.copyMemory(from: message.baseAddress! + offset, byteCount: rest) }
            block.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
            let bitLength = UInt64(precedingBytes + length) &* 8
            block.storeBytes(of: bitLength.bigEndian, toByteOffset: tail - 8, as: UInt64.self)
            compress(UnsafeRawPointer(block))
            if tail == 128 { compress(UnsafeRawPointer(block + 64)) }
        }
        digest.storeBytes(of: h.0.bigEndian, toByteOffset: 0, as: UInt32.self)
        digest.storeBytes(of: h.1.bigEndian, toByteOffset: 4, as: UInt32.self)
        digest.storeBytes(of: h.2.bigEndian, toByteOffset: 8, as: UInt32.self)
        digest.storeBytes(of: h.3.bigEndian, toByteOffset: 12, as: UInt32.self)
        digest.storeBytes(of: h.4.bigEndian, toByteOffset: 16, as: UInt32.self)
        digest.storeBytes(of: h.5.bigEndian, toByteOffset: 20, as: UInt32.self)
        digest.storeBytes(of: h.6.bigEndian, toByteOffset: 24, as: UInt32.self)
        digest.storeBytes(of: h.7.bigEndian, toByteOffset: 28, as: UInt32.self)
    }
}

extension UInt32 {
    @inline(__always)
    func rotatedRight(_ count: UInt32) -> UInt32 { self >> count | self << (32 - count) }
}

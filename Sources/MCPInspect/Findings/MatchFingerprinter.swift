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
        inner.compress(block.map { $0 ^ 0x36 }[...])
        var outer = SHA256State()
        outer.compress(block.map { $0 ^ 0x5C }[...])
        innerState = inner
        outerState = outer
    }

    /// The full 32-byte HMAC-SHA256 of `message`.
    func authenticationCode(_ message: some Collection<UInt8>) -> [UInt8] {
        var inner = innerState
        let innerDigest = inner.finish(message, precedingBytes: 64)
        var outer = outerState
        return outer.finish(innerDigest, precedingBytes: 64)
    }

    /// The first 8 bytes of the HMAC, in lowercase hexadecimal.
    func fingerprint(_ message: some Collection<UInt8>) -> String {
        Hexadecimal.encode(authenticationCode(message).prefix(8))
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

    /// Compresses one 64-byte block.
    mutating func compress(_ block: ArraySlice<UInt8>) {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
            Self.k.withUnsafeBufferPointer { k in
                var index = block.startIndex
                for t in 0..<16 {
                    w[t] =
                        UInt32(block[index]) << 24 | UInt32(block[index + 1]) << 16
                        | UInt32(block[index + 2]) << 8 | UInt32(block[index + 3])
                    index += 4
                }
                for t in 16..<64 {
                    let s0 = w[t - 15].rotatedRight(7) ^ w[t - 15].rotatedRight(18) ^ (w[t - 15] >> 3)
                    let s1 = w[t - 2].rotatedRight(17) ^ w[t - 2].rotatedRight(19) ^ (w[t - 2] >> 10)
                    w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
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
    /// multiple of 64) were already compressed, and returns the digest.
    mutating func finish(_ message: some Collection<UInt8>, precedingBytes: Int) -> [UInt8] {
        let length = message.count
        let padded = (length + 8) / 64 * 64 + 64
        var data = [UInt8](repeating: 0, count: padded)
        var index = 0
        for byte in message {
            data[index] = byte
            index += 1
        }
        data[length] = 0x80
        let bitLength = UInt64(precedingBytes + length) * 8
        for offset in 0..<8 { data[padded - 1 - offset] = UInt8(truncatingIfNeeded: bitLength >> UInt64(offset * 8)) }
        for start in stride(from: 0, to: padded, by: 64) { compress(data[start..<(start + 64)]) }
        let words = [h.0, h.1, h.2, h.3, h.4, h.5, h.6, h.7]
        return [UInt8](unsafeUninitializedCapacity: 32) { digest, count in
            for (position, word) in words.enumerated() {
                digest[position * 4] = UInt8(truncatingIfNeeded: word >> 24)
                digest[position * 4 + 1] = UInt8(truncatingIfNeeded: word >> 16)
                digest[position * 4 + 2] = UInt8(truncatingIfNeeded: word >> 8)
                digest[position * 4 + 3] = UInt8(truncatingIfNeeded: word)
            }
            count = 32
        }
    }
}

extension UInt32 {
    @inline(__always)
    func rotatedRight(_ count: UInt32) -> UInt32 { self >> count | self << (32 - count) }
}

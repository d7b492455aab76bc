internal import COpenSSL

/// SHA-256's compression function on its own, for the modules of this package that keep
/// precomputed states, such as an HMAC whose key blocks are compressed once. It runs on
/// the CPU's SHA extensions where there are some.
package enum SHA256Compression {
    /// The eight state words before any block is compressed (FIPS 180-4 §5.3.3).
    package static let initialState: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    )

    /// Compresses the 64-byte block at `block` into the eight words at `state`.
    @inline(__always)
    package static func compress(_ state: UnsafeMutablePointer<UInt32>, block: UnsafeRawPointer) {
        copenssl_sha256_compress(state, block.assumingMemoryBound(to: UInt8.self))
    }
}

internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's default random generator, which
/// is seeded from the operating system.
public enum SecureRandom {
    /// The largest request handed to OpenSSL in one call; longer fills are split.
    private static let chunkByteCount = 1 << 30

    /// Returns fresh random bytes.
    ///
    /// - Parameter count: How many bytes to return; must not be negative.
    /// - Returns: `count` random bytes.
    /// - Throws: `CryptoError` with code `invalidParameter` for a negative count, or
    ///   `randomSourceFailure` when the generator cannot produce bytes.
    public static func bytes(count: Int) throws(CryptoError) -> [UInt8] {
        guard count >= 0 else {
            throw CryptoError(.invalidParameter, message: "random byte count must not be negative")
        }
        return try [UInt8](unsafeUninitializedCapacity: count) {
            (buffer, initializedCount) throws(CryptoError) in
            buffer.initialize(repeating: 0)
            initializedCount = count
            try fill(UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Overwrites every byte of `bytes` with random bytes.
    ///
    /// - Parameter bytes: The array to fill; its count does not change.
    /// - Throws: `CryptoError` with code `randomSourceFailure` when the generator cannot
    ///   produce bytes; the array's contents are then unspecified.
    public static func fill(_ bytes: inout [UInt8]) throws(CryptoError) {
        try bytes.withUnsafeMutableBufferPointer { (buffer) throws(CryptoError) in
            try fill(UnsafeMutableRawBufferPointer(buffer))
        }
    }

    /// Overwrites every byte of a buffer with random bytes.
    ///
    /// - Parameter buffer: The memory to fill.
    /// - Throws: `CryptoError` with code `randomSourceFailure` when the generator cannot
    ///   produce bytes; the buffer's contents are then unspecified.
    public static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws(CryptoError) {
        guard let base = buffer.baseAddress else {
            return
        }
        var offset = 0
        while offset < buffer.count {
            let length = min(chunkByteCount, buffer.count - offset)
            let status = RAND_bytes(
                (base + offset).assumingMemoryBound(to: UInt8.self),
                Int32(length)
            )
            try requireSuccess(status, "RAND_bytes", code: .randomSourceFailure)
            offset += length
        }
    }
}

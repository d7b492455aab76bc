internal import COpenSSL

/// Comparisons whose running time does not depend on where two secrets differ.
public enum ConstantTime {
    /// Compares two byte sequences in time that depends only on their lengths.
    ///
    /// Use it for secrets such as authentication codes and token digests, where an early
    /// exit would tell an attacker how many leading bytes were right. The lengths
    /// themselves are not hidden.
    ///
    /// - Parameters:
    ///   - lhs: A byte sequence.
    ///   - rhs: Another byte sequence.
    /// - Returns: Whether both have the same length and the same bytes.
    public static func isEqual(_ lhs: some Sequence<UInt8>, _ rhs: some Sequence<UInt8>) -> Bool {
        lhs.withContiguousBytes { left in
            rhs.withContiguousBytes { right in
                isEqual(UnsafeRawBufferPointer(left), UnsafeRawBufferPointer(right))
            }
        }
    }

    /// Compares two buffers in time that depends only on their lengths.
    ///
    /// - Parameters:
    ///   - lhs: A buffer.
    ///   - rhs: Another buffer.
    /// - Returns: Whether both have the same length and the same bytes.
    static func isEqual(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Bool {
        guard lhs.count == rhs.count else {
            return false
        }
        guard let left = lhs.baseAddress, let right = rhs.baseAddress else {
            return true
        }
        return CRYPTO_memcmp(left, right, lhs.count) == 0
    }
}

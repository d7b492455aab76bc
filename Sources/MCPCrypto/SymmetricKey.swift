internal import COpenSSL

/// A secret key for symmetric algorithms (AES-GCM, HMAC), whose bytes are zeroed when
/// the last copy of the key is released.
///
/// The key's bytes live in memory of its own, never in an `Array`. Its description
/// tells only its size. Equality is checked in constant time.
public struct SymmetricKey: Sendable, Equatable, CustomStringConvertible {
    private let storage: SecretBytes

    /// Creates a key from existing bytes.
    ///
    /// The caller's copy of the bytes is not zeroed by this initializer.
    ///
    /// - Parameter bytes: The key bytes, of any length (AES-256-GCM needs 32).
    public init(bytes: some Sequence<UInt8>) {
        storage = bytes.withContiguousBytes { SecretBytes(copying: UnsafeRawBufferPointer($0)) }
    }

    /// Creates a key of fresh random bytes.
    ///
    /// - Parameter byteCount: The key length in bytes; 32 (the default) suits AES-256-GCM
    ///   and HMAC-SHA256.
    /// - Throws: `CryptoError` with code `invalidParameter` when `byteCount` is not
    ///   positive, or `randomSourceFailure` when the random generator fails.
    public init(randomByteCount byteCount: Int = 32) throws(CryptoError) {
        guard byteCount > 0 else {
            throw CryptoError(.invalidParameter, message: "a key must have at least one byte")
        }
        let storage = SecretBytes(zeroedByteCount: byteCount)
        try SecureRandom.fill(storage.mutableBytes)
        self.storage = storage
    }

    /// The key length in bytes.
    public var byteCount: Int { storage.bytes.count }

    /// Gives `body` read access to the key bytes.
    ///
    /// - Parameter body: A closure that reads the key; the pointer is valid only during
    ///   the call, and copies made from it are not zeroed by the key.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws.
    public func withUnsafeBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try body(storage.bytes)
    }

    /// The key's size, never its bytes.
    public var description: String { "SymmetricKey(\(byteCount * 8) bits)" }

    /// Compares two keys in time that depends only on their lengths.
    ///
    /// - Parameters:
    ///   - lhs: A key.
    ///   - rhs: Another key.
    /// - Returns: Whether both keys have the same bytes.
    public static func == (lhs: SymmetricKey, rhs: SymmetricKey) -> Bool {
        ConstantTime.isEqual(lhs.storage.bytes, rhs.storage.bytes)
    }
}

/// Secret bytes in memory of their own, overwritten with `OPENSSL_cleanse` (which the
/// compiler cannot optimise away) before the memory is freed.
///
/// `@unchecked Sendable`: the bytes are written only while the object is being created,
/// before any other reference to it exists, and only read afterwards.
final class SecretBytes: @unchecked Sendable {
    private let memory: UnsafeMutableRawBufferPointer
    private let count: Int

    /// Allocates `byteCount` zero bytes.
    ///
    /// - Parameter byteCount: The length; may be zero.
    init(zeroedByteCount byteCount: Int) {
        memory = .allocate(byteCount: max(byteCount, 1), alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        count = byteCount
    }

    /// Allocates a copy of `bytes`.
    ///
    /// - Parameter bytes: The secret to copy.
    convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(zeroedByteCount: bytes.count)
        if let source = bytes.baseAddress, let destination = memory.baseAddress {
            destination.copyMemory(from: source, byteCount: bytes.count)
        }
    }

    deinit {
        OPENSSL_cleanse(memory.baseAddress, memory.count)
        memory.deallocate()
    }

    /// The secret, for reading.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: memory[..<count])
    }

    /// The secret, for writing while the object is being created only.
    var mutableBytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(rebasing: memory[..<count])
    }
}

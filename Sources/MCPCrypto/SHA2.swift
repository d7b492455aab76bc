/// SHA-256 (FIPS 180-4): a 32-byte digest, one-shot through `SHA256.hash(_:)` or
/// incremental through `update(_:)` and `finalize()`.
public struct SHA256: HashFunction {
    /// SHA-256.
    public static let algorithm = DigestAlgorithm.sha256

    private var state: DigestState

    /// Creates a hasher that has seen no bytes yet.
    public init() {
        state = DigestState(.sha256)
    }

    /// Feeds more of the message.
    ///
    /// - Parameter bytes: The next bytes of the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        state.update(bytes)
    }

    /// Returns the digest of everything fed so far.
    ///
    /// - Returns: 32 bytes.
    public func finalize() -> [UInt8] {
        state.finalize()
    }
}

/// SHA-384 (FIPS 180-4): a 48-byte digest.
public struct SHA384: HashFunction {
    /// SHA-384.
    public static let algorithm = DigestAlgorithm.sha384

    private var state: DigestState

    /// Creates a hasher that has seen no bytes yet.
    public init() {
        state = DigestState(.sha384)
    }

    /// Feeds more of the message.
    ///
    /// - Parameter bytes: The next bytes of the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        state.update(bytes)
    }

    /// Returns the digest of everything fed so far.
    ///
    /// - Returns: 48 bytes.
    public func finalize() -> [UInt8] {
        state.finalize()
    }
}

/// SHA-512 (FIPS 180-4): a 64-byte digest.
public struct SHA512: HashFunction {
    /// SHA-512.
    public static let algorithm = DigestAlgorithm.sha512

    private var state: DigestState

    /// Creates a hasher that has seen no bytes yet.
    public init() {
        state = DigestState(.sha512)
    }

    /// Feeds more of the message.
    ///
    /// - Parameter bytes: The next bytes of the message.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        state.update(bytes)
    }

    /// Returns the digest of everything fed so far.
    ///
    /// - Returns: 64 bytes.
    public func finalize() -> [UInt8] {
        state.finalize()
    }
}

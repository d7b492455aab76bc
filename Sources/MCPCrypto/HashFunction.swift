internal import COpenSSL

/// A message digest algorithm that this module computes.
public struct DigestAlgorithm: Hashable, Sendable, CustomStringConvertible {
    private enum Kind: Hashable, Sendable {
        case sha256
        case sha384
        case sha512
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    /// SHA-256 (FIPS 180-4), a 32-byte digest.
    public static let sha256 = DigestAlgorithm(.sha256)

    /// SHA-384 (FIPS 180-4), a 48-byte digest.
    public static let sha384 = DigestAlgorithm(.sha384)

    /// SHA-512 (FIPS 180-4), a 64-byte digest.
    public static let sha512 = DigestAlgorithm(.sha512)

    /// The length of the digest in bytes.
    public var byteCount: Int {
        switch kind {
        case .sha256: 32
        case .sha384: 48
        case .sha512: 64
        }
    }

    /// The algorithm's standard name, such as `SHA-256`.
    public var description: String {
        switch kind {
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        case .sha512: "SHA-512"
        }
    }

    /// OpenSSL's description of the algorithm, a static object that is never freed.
    var messageDigest: OpaquePointer {
        let digest: OpaquePointer? =
            switch kind {
            case .sha256: EVP_sha256()
            case .sha384: EVP_sha384()
            case .sha512: EVP_sha512()
            }
        guard let digest else {
            preconditionFailure("OpenSSL has no \(description) implementation")
        }
        return digest
    }
}

/// A hash function that digests a message given in one piece or in several.
///
/// Values have value semantics: copying a hasher in the middle of a message and
/// updating the copies separately digests two different messages.
public protocol HashFunction: Sendable {
    /// The digest algorithm this hasher computes.
    static var algorithm: DigestAlgorithm { get }

    /// Creates a hasher that has seen no bytes yet.
    init()

    /// Feeds more of the message.
    ///
    /// - Parameter bytes: The next bytes of the message.
    mutating func update(_ bytes: some Sequence<UInt8>)

    /// Returns the digest of everything fed so far; the hasher can still be updated and
    /// finalized again afterwards.
    ///
    /// - Returns: `Self.algorithm.byteCount` bytes.
    func finalize() -> [UInt8]
}

extension HashFunction {
    /// The length of this hash function's digest in bytes.
    public static var byteCount: Int { algorithm.byteCount }

    /// Digests a whole message in one call.
    ///
    /// - Parameter message: The message.
    /// - Returns: `Self.algorithm.byteCount` bytes.
    public static func hash(_ message: some Sequence<UInt8>) -> [UInt8] {
        DigestContext.digest(message, algorithm: algorithm)
    }
}

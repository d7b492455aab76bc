/// A signature algorithm, named as JSON Web Algorithms (RFC 7518, RFC 8037) name it.
///
/// Backends other than this module's may declare further algorithms with
/// `init(joseName:)`.
public struct SignatureAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// The algorithm's `alg` name in JOSE, such as `ES256`.
    public let joseName: String

    /// Declares an algorithm by its JOSE name.
    ///
    /// - Parameter joseName: The `alg` value that identifies the algorithm in a JWS
    ///   header.
    public init(joseName: String) {
        self.joseName = joseName
    }

    /// ECDSA on P-256 with SHA-256; the signature is the 64-byte `r || s` (JOSE `ES256`).
    public static let ecdsaP256SHA256 = SignatureAlgorithm(joseName: "ES256")

    /// Ed25519 (RFC 8032); the signature is 64 bytes (JOSE `EdDSA`).
    public static let ed25519 = SignatureAlgorithm(joseName: "EdDSA")

    /// The JOSE name.
    public var description: String { joseName }
}

/// A public key that checks signatures.
///
/// Implemented by `P256.PublicKey` and `Ed25519.PublicKey`; a backend that keeps keys
/// elsewhere (a KMS, an HSM) implements it too, so that callers need not change.
public protocol VerifyingKey: Sendable {
    /// The algorithm the key verifies.
    var algorithm: SignatureAlgorithm { get }

    /// Checks a signature over a message.
    ///
    /// A malformed signature or one of the wrong length is reported as invalid, never as
    /// an error.
    ///
    /// - Parameters:
    ///   - signature: The signature in the algorithm's JOSE form (for `ES256`, the
    ///     64-byte `r || s`).
    ///   - message: The signed message.
    /// - Returns: Whether the signature is valid for the message under this key.
    func isValidSignature(_ signature: some Sequence<UInt8>, for message: some Sequence<UInt8>)
        -> Bool
}

/// A private key that signs messages.
///
/// Implemented by `P256.PrivateKey` and `Ed25519.PrivateKey`; a backend that keeps keys
/// elsewhere (a KMS, an HSM) implements it too, so that callers need not change.
public protocol SigningKey: Sendable {
    /// The type of the matching public key.
    associatedtype PublicKey: VerifyingKey

    /// The algorithm the key signs with.
    var algorithm: SignatureAlgorithm { get }

    /// The public key that verifies this key's signatures.
    var publicKey: PublicKey { get }

    /// Signs a message.
    ///
    /// - Parameter message: The message; the algorithm hashes it as it specifies.
    /// - Returns: The signature in the algorithm's JOSE form (for `ES256`, the 64-byte
    ///   `r || s`).
    /// - Throws: `CryptoError` when the backend cannot sign.
    func signature(for message: some Sequence<UInt8>) throws(CryptoError) -> [UInt8]
}

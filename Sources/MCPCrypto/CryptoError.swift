// MCPCrypto: the cryptography the gateway needs, over OpenSSL 3 and without Foundation.
//
// - Hashing: `SHA256` (one-shot and incremental), `SHA384`, `SHA512`.
// - Message authentication: `HMAC` with constant-time verification.
// - Authenticated encryption: `AES256GCM` with `SymmetricKey`, whose bytes are zeroed
//   when released.
// - Signatures: `P256` (ECDSA with SHA-256, as JWS ES256 uses) and `Ed25519`, behind the
//   `SigningKey` and `VerifyingKey` protocols so that another backend (a KMS or an HSM)
//   can be added without touching callers.
// - Passwords: `PasswordHash`, scrypt in a self-describing encoded string.
// - Encodings and randomness: `Base64`, `Base64URL`, `SecureRandom`, `ConstantTime`.
//
// Every OpenSSL object is owned by exactly one value that frees it when released, every
// failure is a `CryptoError`, and no error description ever contains key material.

/// An error raised by a cryptographic operation.
///
/// Two errors are equal when their codes are equal; the message is for people and may
/// change between releases. Where OpenSSL reported the failure, the message carries
/// OpenSSL's own error strings. A message never contains key material, plaintext or
/// signatures.
public struct CryptoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure, safe to use as a metric label.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case invalidParameter
            case invalidKey
            case invalidSignature
            case authenticationFailure
            case invalidEncoding
            case randomSourceFailure
            case internalFailure
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// A size, length or parameter is outside what the operation accepts.
        public static let invalidParameter = Code(.invalidParameter)

        /// Key bytes or a key encoding are malformed, of the wrong type or curve, or
        /// describe a point that is not on the curve.
        public static let invalidKey = Code(.invalidKey)

        /// A signature encoding is malformed.
        public static let invalidSignature = Code(.invalidSignature)

        /// Authenticated decryption failed: the ciphertext, tag, nonce, associated data
        /// or key is not the one that was sealed.
        public static let authenticationFailure = Code(.authenticationFailure)

        /// A textual or binary encoding (base64, PEM, an encoded password hash) is
        /// malformed.
        public static let invalidEncoding = Code(.invalidEncoding)

        /// The system's secure random source failed to produce bytes.
        public static let randomSourceFailure = Code(.randomSourceFailure)

        /// OpenSSL failed in a way that the inputs do not explain.
        public static let internalFailure = Code(.internalFailure)

        /// The code's stable name, such as `invalidKey`.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code

    /// A description of the failure for people, without key material.
    public var message: String

    /// Creates an error.
    ///
    /// Another key backend (a KMS or an HSM) throws these from its `SigningKey`
    /// implementation.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A description for people; it must not contain key material.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code followed by the message, for logs.
    public var description: String { "CryptoError.\(code): \(message)" }

    /// Compares two errors by code only.
    ///
    /// - Parameters:
    ///   - lhs: An error.
    ///   - rhs: Another error.
    /// - Returns: Whether both errors have the same code.
    public static func == (lhs: CryptoError, rhs: CryptoError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

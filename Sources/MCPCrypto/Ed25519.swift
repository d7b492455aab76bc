internal import COpenSSL

/// Ed25519 signatures (RFC 8032), the JOSE `EdDSA` algorithm with the `Ed25519` curve.
public enum Ed25519 {
    /// The byte length of a raw private or public key.
    static let keyByteCount = 32

    /// The byte length of a signature.
    static let signatureByteCount = 64

    /// An Ed25519 private key.
    ///
    /// Its description never shows the key. The key material is held by OpenSSL and
    /// freed (and cleared) when the last copy of the key is released.
    public struct PrivateKey: SigningKey, CustomStringConvertible {
        private let key: EVPKey

        /// The matching public key.
        public let publicKey: PublicKey

        /// Generates a new random key.
        ///
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public init() throws(CryptoError) {
            let key = try EVPKey.generate(type: EVP_PKEY_ED25519)
            self.key = key
            publicKey = try PublicKey(key.rawBytes(isPrivate: false, count: Ed25519.keyByteCount))
        }

        /// Imports a key from its 32-byte seed, the private key of RFC 8032 (the JWK `d`).
        ///
        /// - Parameter rawRepresentation: The 32-byte private key.
        /// - Throws: `CryptoError` with code `invalidKey` for any other length.
        public init(rawRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            let key = try rawRepresentation.withContiguousBytes { (bytes) throws(CryptoError) in
                guard bytes.count == Ed25519.keyByteCount else {
                    throw CryptoError(
                        .invalidKey,
                        message: "an Ed25519 private key has 32 bytes, not \(bytes.count)"
                    )
                }
                return try EVPKey.fromRawBytes(type: EVP_PKEY_ED25519, bytes, isPrivate: true)
            }
            self.key = key
            publicKey = try PublicKey(key.rawBytes(isPrivate: false, count: Ed25519.keyByteCount))
        }

        /// The signature algorithm: `EdDSA`.
        public var algorithm: SignatureAlgorithm { .ed25519 }

        /// The 32-byte private key (the JWK `d`, before base64url).
        ///
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public var rawRepresentation: [UInt8] {
            get throws(CryptoError) {
                try key.rawBytes(isPrivate: true, count: Ed25519.keyByteCount)
            }
        }

        /// Signs a message; Ed25519 signatures are deterministic.
        ///
        /// - Parameter message: The message.
        /// - Returns: The 64-byte signature.
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public func signature(for message: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
            try message.withContiguousBytes { (bytes) throws(CryptoError) in
                try key.sign(bytes, digest: nil)
            }
        }

        /// Names the type only; the key is never shown.
        public var description: String { "Ed25519.PrivateKey(<redacted>)" }
    }

    /// An Ed25519 public key.
    public struct PublicKey: VerifyingKey, Hashable, CustomStringConvertible {
        private let key: EVPKey

        /// The 32-byte public key (the JWK `x`, before base64url).
        public let rawRepresentation: [UInt8]

        /// Imports a key from its 32 bytes.
        ///
        /// Bytes that do not decode to a curve point are accepted here and make every
        /// signature check fail.
        ///
        /// - Parameter rawRepresentation: The 32-byte public key.
        /// - Throws: `CryptoError` with code `invalidKey` for any other length.
        public init(rawRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            try self.init(Array(rawRepresentation))
        }

        fileprivate init(_ bytes: [UInt8]) throws(CryptoError) {
            guard bytes.count == Ed25519.keyByteCount else {
                throw CryptoError(
                    .invalidKey,
                    message: "an Ed25519 public key has 32 bytes, not \(bytes.count)"
                )
            }
            key = try bytes.withUnsafeBufferPointer { (buffer) throws(CryptoError) in
                try EVPKey.fromRawBytes(type: EVP_PKEY_ED25519, buffer, isPrivate: false)
            }
            rawRepresentation = bytes
        }

        /// The signature algorithm: `EdDSA`.
        public var algorithm: SignatureAlgorithm { .ed25519 }

        /// Checks a signature over a message.
        ///
        /// - Parameters:
        ///   - signature: The 64-byte signature; any other length is invalid.
        ///   - message: The signed message.
        /// - Returns: Whether the signature is valid.
        public func isValidSignature(
            _ signature: some Sequence<UInt8>,
            for message: some Sequence<UInt8>
        ) -> Bool {
            signature.withContiguousBytes { signatureBytes in
                guard signatureBytes.count == Ed25519.signatureByteCount else {
                    return false
                }
                return message.withContiguousBytes { messageBytes in
                    key.verify(signatureBytes, for: messageBytes, digest: nil)
                }
            }
        }

        /// The key in hexadecimal, to tell keys apart in logs.
        public var description: String {
            "Ed25519.PublicKey(\(Hexadecimal.encode(rawRepresentation)))"
        }

        /// Compares the key bytes.
        ///
        /// - Parameters:
        ///   - lhs: A key.
        ///   - rhs: Another key.
        /// - Returns: Whether both keys have the same bytes.
        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.rawRepresentation == rhs.rawRepresentation
        }

        /// Hashes the key bytes, consistently with `==`.
        ///
        /// - Parameter hasher: The hasher to feed.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(rawRepresentation)
        }
    }
}

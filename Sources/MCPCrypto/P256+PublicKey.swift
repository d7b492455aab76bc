internal import COpenSSL

extension P256 {
    /// A P-256 public key that verifies ECDSA signatures over SHA-256.
    ///
    /// Every initializer checks that the point is on the curve; keys compare equal when
    /// their points are equal.
    public struct PublicKey: VerifyingKey, Hashable, CustomStringConvertible {
        private let key: EVPKey

        /// The uncompressed point, `04 || x || y` (ANSI X9.63), 65 bytes.
        public let x963Representation: [UInt8]

        /// Imports a key from its uncompressed point (ANSI X9.63).
        ///
        /// - Parameter x963Representation: `04 || x || y`, 65 bytes.
        /// - Throws: `CryptoError` with code `invalidKey` when the encoding is not an
        ///   uncompressed point or the point is not on the curve.
        public init(x963Representation: some Sequence<UInt8>) throws(CryptoError) {
            let point = Array(x963Representation)
            guard point.count == P256.x963ByteCount, point[0] == 0x04 else {
                throw CryptoError(
                    .invalidKey,
                    message: "a P-256 public key is a 65-byte uncompressed point"
                )
            }
            var parameters = try KeyParameters()
            try parameters.append("group", text: "prime256v1")
            try point.withUnsafeBufferPointer { (bytes) throws(CryptoError) in
                try parameters.append("pub", octets: bytes)
            }
            let key = try EVPKey.fromParameters(
                algorithm: "EC",
                selection: copenssl_EVP_PKEY_PUBLIC_KEY,
                &parameters
            )
            try key.checkPublicKey()
            self.key = key
            self.x963Representation = point
        }

        /// Imports a key from its coordinates, `x || y`, 64 bytes.
        ///
        /// - Parameter rawRepresentation: The two 32-byte big-endian coordinates.
        /// - Throws: `CryptoError` with code `invalidKey` when the length is wrong or the
        ///   point is not on the curve.
        public init(rawRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            let coordinates = Array(rawRepresentation)
            guard coordinates.count == 2 * P256.coordinateByteCount else {
                throw CryptoError(.invalidKey, message: "P-256 coordinates are 64 bytes")
            }
            try self.init(x963Representation: [0x04] + coordinates)
        }

        /// Imports a key from the JWK `x` and `y` members (RFC 7518 section 6.2.1), once
        /// base64url-decoded.
        ///
        /// - Parameters:
        ///   - x: The 32-byte big-endian x coordinate.
        ///   - y: The 32-byte big-endian y coordinate.
        /// - Throws: `CryptoError` with code `invalidKey` when a coordinate is not 32
        ///   bytes or the point is not on the curve.
        public init(x: some Sequence<UInt8>, y: some Sequence<UInt8>) throws(CryptoError) {
            let x = Array(x)
            let y = Array(y)
            guard x.count == P256.coordinateByteCount, y.count == P256.coordinateByteCount else {
                throw CryptoError(.invalidKey, message: "P-256 coordinates are 32 bytes each")
            }
            try self.init(x963Representation: [0x04] + x + y)
        }

        /// Imports a key from a DER `SubjectPublicKeyInfo` (RFC 5480).
        ///
        /// - Parameter derRepresentation: The encoding; compressed points are accepted.
        /// - Throws: `CryptoError` with code `invalidKey` when the encoding is malformed
        ///   or holds a key that is not a P-256 key.
        public init(derRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            let parsed = try derRepresentation.withContiguousBytes {
                (der) throws(CryptoError) in
                try EVPKey.parse(subjectPublicKeyInfo: der)
            }
            try P256.requireP256(parsed)
            try self.init(x963Representation: P256.uncompressedPoint(of: parsed))
        }

        /// Imports a key from a `PUBLIC KEY` PEM block.
        ///
        /// - Parameter pemRepresentation: The PEM text; the first public key block is used.
        /// - Throws: `CryptoError` with code `invalidKey` when there is no usable block or
        ///   it holds a key that is not a P-256 key.
        public init(pemRepresentation: String) throws(CryptoError) {
            let parsed = try EVPKey.parse(publicKeyPEM: pemRepresentation)
            try P256.requireP256(parsed)
            try self.init(x963Representation: P256.uncompressedPoint(of: parsed))
        }

        /// The signature algorithm: `ES256`.
        public var algorithm: SignatureAlgorithm { .ecdsaP256SHA256 }

        /// The coordinates, `x || y`, 64 bytes.
        public var rawRepresentation: [UInt8] { Array(x963Representation[1...]) }

        /// The 32-byte big-endian x coordinate (the JWK `x`, before base64url).
        public var x: [UInt8] { Array(x963Representation[1...P256.coordinateByteCount]) }

        /// The 32-byte big-endian y coordinate (the JWK `y`, before base64url).
        public var y: [UInt8] { Array(x963Representation[(P256.coordinateByteCount + 1)...]) }

        /// The key as a DER `SubjectPublicKeyInfo` with an uncompressed point.
        ///
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public var derRepresentation: [UInt8] {
            get throws(CryptoError) { try key.subjectPublicKeyInfo() }
        }

        /// The key as a `PUBLIC KEY` PEM block.
        ///
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public var pemRepresentation: String {
            get throws(CryptoError) { try key.publicKeyPEM() }
        }

        /// Checks a 64-byte `r || s` signature (the JWS `ES256` form) over a message.
        ///
        /// - Parameters:
        ///   - signature: The signature; any other length is invalid.
        ///   - message: The signed message (not its digest).
        /// - Returns: Whether the signature is valid.
        public func isValidSignature(
            _ signature: some Sequence<UInt8>,
            for message: some Sequence<UInt8>
        ) -> Bool {
            guard let parsed = try? Signature(rawRepresentation: signature) else {
                return false
            }
            return isValidSignature(parsed, for: message)
        }

        /// Checks a DER `ECDSA-Sig-Value` signature over a message.
        ///
        /// - Parameters:
        ///   - signature: The DER signature; non-canonical encodings are invalid.
        ///   - message: The signed message (not its digest).
        /// - Returns: Whether the signature is valid.
        public func isValidDERSignature(
            _ signature: some Sequence<UInt8>,
            for message: some Sequence<UInt8>
        ) -> Bool {
            guard let parsed = try? Signature(derRepresentation: signature) else {
                return false
            }
            return isValidSignature(parsed, for: message)
        }

        /// Checks a parsed signature over a message.
        ///
        /// - Parameters:
        ///   - signature: The signature.
        ///   - message: The signed message (not its digest).
        /// - Returns: Whether the signature is valid.
        public func isValidSignature(
            _ signature: Signature,
            for message: some Sequence<UInt8>
        ) -> Bool {
            signature.derRepresentation.withUnsafeBufferPointer { der in
                message.withContiguousBytes { bytes in
                    key.verify(der, for: bytes, digest: .sha256)
                }
            }
        }

        /// The key's x coordinate in hexadecimal, to tell keys apart in logs.
        public var description: String {
            "P256.PublicKey(x: \(Hexadecimal.encode(x)))"
        }

        /// Compares the points.
        ///
        /// - Parameters:
        ///   - lhs: A key.
        ///   - rhs: Another key.
        /// - Returns: Whether both keys have the same point.
        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.x963Representation == rhs.x963Representation
        }

        /// Hashes the point, consistently with `==`.
        ///
        /// - Parameter hasher: The hasher to feed.
        public func hash(into hasher: inout Hasher) {
            hasher.combine(x963Representation)
        }
    }
}

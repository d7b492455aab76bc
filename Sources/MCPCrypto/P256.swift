internal import COpenSSL

/// ECDSA on the NIST P-256 curve (secp256r1, prime256v1) with SHA-256, the JOSE `ES256`
/// algorithm.
public enum P256 {
    /// OpenSSL's identifier of the curve.
    static var curve: Int32 { NID_X9_62_prime256v1 }

    /// The byte length of a coordinate and of a private scalar.
    static let coordinateByteCount = 32

    /// The byte length of an uncompressed point: `04 || x || y`.
    static let x963ByteCount = 65

    /// A P-256 private key for ECDSA with SHA-256.
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
            key = try EVPKey.generate(type: EVP_PKEY_EC, curve: P256.curve)
            publicKey = try PublicKey(x963Representation: P256.uncompressedPoint(of: key))
        }

        /// Imports a key from its 32-byte big-endian private scalar (the JWK `d`).
        ///
        /// - Parameter rawRepresentation: The scalar, between 1 and the curve order minus 1.
        /// - Throws: `CryptoError` with code `invalidKey` when the length or the value is
        ///   out of range.
        public init(rawRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            let (key, point) = try rawRepresentation.withContiguousBytes {
                (scalar) throws(CryptoError) in
                try P256.keyPair(scalar: scalar)
            }
            self.key = key
            publicKey = try PublicKey(x963Representation: point)
        }

        /// Imports a key from DER: PKCS#8 `PrivateKeyInfo` or SEC 1 `ECPrivateKey`.
        ///
        /// Any public key inside the encoding is ignored and derived again from the
        /// private scalar.
        ///
        /// - Parameter derRepresentation: The encoding.
        /// - Throws: `CryptoError` with code `invalidKey` when the encoding is malformed
        ///   or holds a key that is not a P-256 key.
        public init(derRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            let parsed = try derRepresentation.withContiguousBytes {
                (der) throws(CryptoError) in
                try EVPKey.parse(privateKey: der)
            }
            try self.init(importing: parsed)
        }

        /// Imports a key from PEM: a `PRIVATE KEY` (PKCS#8) or `EC PRIVATE KEY` (SEC 1)
        /// block. Encrypted keys are refused.
        ///
        /// - Parameter pemRepresentation: The PEM text; the first key block is used.
        /// - Throws: `CryptoError` with code `invalidKey` when there is no usable block or
        ///   it holds a key that is not a P-256 key.
        public init(pemRepresentation: String) throws(CryptoError) {
            try self.init(importing: EVPKey.parse(privateKeyPEM: pemRepresentation))
        }

        private init(importing parsed: EVPKey) throws(CryptoError) {
            try P256.requireP256(parsed)
            let scalar = try parsed.numberParameter("priv")
            let (key, point) = try withUnsafeTemporaryAllocation(
                of: UInt8.self,
                capacity: P256.coordinateByteCount
            ) { (buffer) throws(CryptoError) in
                buffer.initialize(repeating: 0)
                defer { OPENSSL_cleanse(buffer.baseAddress, buffer.count) }
                try scalar.write(bigEndianInto: buffer)
                return try P256.keyPair(scalar: UnsafeBufferPointer(buffer))
            }
            self.key = key
            publicKey = try PublicKey(x963Representation: point)
        }

        /// The signature algorithm: `ES256`.
        public var algorithm: SignatureAlgorithm { .ecdsaP256SHA256 }

        /// The 32-byte big-endian private scalar (the JWK `d`).
        ///
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public var rawRepresentation: [UInt8] {
            get throws(CryptoError) {
                let scalar = try key.numberParameter("priv")
                return try [UInt8](unsafeUninitializedCapacity: P256.coordinateByteCount) {
                    (buffer, count) throws(CryptoError) in
                    buffer.initialize(repeating: 0)
                    count = buffer.count
                    try scalar.write(bigEndianInto: buffer)
                }
            }
        }

        /// The key as unencrypted DER PKCS#8 `PrivateKeyInfo`.
        ///
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public var derRepresentation: [UInt8] {
            get throws(CryptoError) { try key.privateKeyInfo() }
        }

        /// The key as an unencrypted PKCS#8 `PRIVATE KEY` PEM block.
        ///
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public var pemRepresentation: String {
            get throws(CryptoError) { try key.privateKeyPEM() }
        }

        /// Signs a message with ECDSA over its SHA-256 digest.
        ///
        /// - Parameter message: The message (not its digest).
        /// - Returns: The 64-byte `r || s` signature, as JWS `ES256` uses it.
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public func signature(for message: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
            try Signature(derRepresentation: derSignature(for: message)).rawRepresentation
        }

        /// Signs a message with ECDSA over its SHA-256 digest, in DER form.
        ///
        /// - Parameter message: The message (not its digest).
        /// - Returns: The DER `ECDSA-Sig-Value`, as X.509 and TLS use it.
        /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
        public func derSignature(for message: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
            try message.withContiguousBytes { (bytes) throws(CryptoError) in
                try key.sign(bytes, digest: .sha256)
            }
        }

        /// Names the type only; the key is never shown.
        public var description: String { "P256.PrivateKey(<redacted>)" }
    }

    /// Builds a key pair from a private scalar.
    ///
    /// - Parameter scalar: The 32-byte big-endian scalar.
    /// - Returns: The key pair and its uncompressed public point.
    /// - Throws: `CryptoError` with code `invalidKey` when the scalar is not 32 bytes or
    ///   not between 1 and the curve order minus 1.
    static func keyPair(
        scalar: UnsafeBufferPointer<UInt8>
    ) throws(CryptoError) -> (EVPKey, [UInt8]) {
        guard scalar.count == coordinateByteCount else {
            throw CryptoError(
                .invalidKey,
                message: "a P-256 private key has 32 bytes, not \(scalar.count)"
            )
        }
        let group = try EllipticCurveGroup(curve: curve)
        let secret = try BigNumber(bigEndian: scalar)
        guard BN_is_zero(secret.pointer) == 0,
            let order = EC_GROUP_get0_order(group.pointer),
            BN_cmp(secret.pointer, order) < 0
        else {
            throw CryptoError(.invalidKey, message: "the P-256 private scalar is out of range")
        }
        let point = try EllipticCurvePoint(on: group)
        try requireSuccess(
            EC_POINT_mul(group.pointer, point.pointer, secret.pointer, nil, nil, nil),
            "EC_POINT_mul"
        )
        let encoded = try [UInt8](unsafeUninitializedCapacity: x963ByteCount) {
            (buffer, count) throws(CryptoError) in
            let length = EC_POINT_point2oct(
                group.pointer,
                point.pointer,
                POINT_CONVERSION_UNCOMPRESSED,
                buffer.baseAddress,
                buffer.count,
                nil
            )
            guard length == x963ByteCount else {
                throw .openSSL(.internalFailure, "EC_POINT_point2oct")
            }
            count = length
        }
        var parameters = try KeyParameters()
        try parameters.append("group", text: "prime256v1")
        try parameters.append("priv", number: secret)
        try encoded.withUnsafeBufferPointer { (bytes) throws(CryptoError) in
            try parameters.append("pub", octets: bytes)
        }
        let key = try EVPKey.fromParameters(
            algorithm: "EC",
            selection: copenssl_EVP_PKEY_KEYPAIR,
            &parameters
        )
        return (key, encoded)
    }

    /// Checks that a parsed key is an elliptic-curve key on P-256.
    ///
    /// - Parameter key: The key.
    /// - Throws: `CryptoError` with code `invalidKey` otherwise.
    static func requireP256(_ key: EVPKey) throws(CryptoError) {
        guard key.isA("EC") else {
            throw CryptoError(.invalidKey, message: "not an elliptic-curve key")
        }
        guard let name = key.groupName, name == "prime256v1" || name == "P-256" else {
            throw CryptoError(.invalidKey, message: "not a key on the P-256 curve")
        }
    }

    /// The key's public point in uncompressed form, whatever form it was encoded in.
    ///
    /// - Parameter key: A P-256 key.
    /// - Returns: `04 || x || y`.
    /// - Throws: `CryptoError` with code `invalidKey` when the key has no valid point.
    static func uncompressedPoint(of key: EVPKey) throws(CryptoError) -> [UInt8] {
        let encoded = try key.octetsParameter("pub", maximumCount: x963ByteCount)
        if encoded.count == x963ByteCount, encoded.first == 0x04 {
            return encoded
        }
        let group = try EllipticCurveGroup(curve: curve)
        let point = try EllipticCurvePoint(on: group)
        try encoded.withUnsafeBufferPointer { (bytes) throws(CryptoError) in
            try requireSuccess(
                EC_POINT_oct2point(
                    group.pointer, point.pointer, bytes.baseAddress, bytes.count, nil),
                "EC_POINT_oct2point",
                code: .invalidKey
            )
        }
        return try [UInt8](unsafeUninitializedCapacity: x963ByteCount) {
            (buffer, count) throws(CryptoError) in
            let length = EC_POINT_point2oct(
                group.pointer,
                point.pointer,
                POINT_CONVERSION_UNCOMPRESSED,
                buffer.baseAddress,
                buffer.count,
                nil
            )
            guard length == x963ByteCount else {
                throw .openSSL(.invalidKey, "EC_POINT_point2oct")
            }
            count = length
        }
    }
}

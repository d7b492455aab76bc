internal import COpenSSL

/// RSA signature verification, for the JOSE `RS256` algorithm (RSASSA-PKCS1-v1_5 with
/// SHA-256): what most OpenID Connect providers sign their ID tokens with. The gateway
/// signs nothing with RSA, so there is no private key type.
public enum RSA {
    /// The smallest modulus accepted, in bits.
    public static let minimumModulusBits = 2048
    /// The largest modulus accepted, in bits.
    public static let maximumModulusBits = 8192

    /// An RSA public key that checks `RS256` signatures.
    public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
        private let key: EVPKey
        /// The modulus, big-endian, without leading zero bytes.
        public let modulus: [UInt8]
        /// The public exponent, big-endian, without leading zero bytes.
        public let exponent: [UInt8]

        /// Imports a key from its modulus and exponent (the JWK `n` and `e`).
        ///
        /// - Throws: `CryptoError` with code `invalidKey` for a modulus outside 2048 to 8192
        ///   bits, an even or too small exponent, or a key OpenSSL refuses.
        public init(modulus: some Sequence<UInt8>, exponent: some Sequence<UInt8>) throws(CryptoError) {
            let n = Array(Array(modulus).drop(while: { $0 == 0 }))
            let e = Array(Array(exponent).drop(while: { $0 == 0 }))
            let bits = n.isEmpty ? 0 : (n.count - 1) * 8 + (8 - n[0].leadingZeroBitCount)
            guard (RSA.minimumModulusBits...RSA.maximumModulusBits).contains(bits) else {
                throw CryptoError(.invalidKey, message: "an RSA modulus has 2048 to 8192 bits, not \(bits)")
            }
            guard !e.isEmpty, e.count <= 8, e.last! & 1 == 1, e.count > 1 || e[0] >= 3 else {
                throw CryptoError(.invalidKey, message: "an RSA public exponent is odd and at least 3")
            }
            key = try n.withUnsafeBufferPointer { (modulusBytes) throws(CryptoError) -> EVPKey in
                try e.withUnsafeBufferPointer { (exponentBytes) throws(CryptoError) -> EVPKey in
                    let modulusNumber = try BigNumber(bigEndian: modulusBytes)
                    let exponentNumber = try BigNumber(bigEndian: exponentBytes)
                    var parameters = try KeyParameters()
                    try parameters.append("n", number: modulusNumber)
                    try parameters.append("e", number: exponentNumber)
                    return try EVPKey.fromParameters(
                        algorithm: "RSA", selection: copenssl_EVP_PKEY_PUBLIC_KEY, &parameters)
                }
            }
            self.modulus = n
            self.exponent = e
        }

        /// Checks an `RS256` signature over a message.
        ///
        /// - Parameters:
        ///   - signature: The signature, as long as the modulus.
        ///   - message: The signed message (not its digest).
        /// - Returns: Whether the signature is valid.
        public func isValidSignature(_ signature: some Sequence<UInt8>, for message: some Sequence<UInt8>) -> Bool {
            let signature = Array(signature)
            guard signature.count == modulus.count else { return false }
            return signature.withUnsafeBufferPointer { signatureBytes in
                message.withContiguousBytes { bytes in
                    key.verify(signatureBytes, for: bytes, digest: .sha256)
                }
            }
        }

        public var description: String { "RSA.PublicKey(\(modulus.count * 8) bits)" }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.modulus == rhs.modulus && lhs.exponent == rhs.exponent
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(modulus)
            hasher.combine(exponent)
        }
    }
}

public import MCPCrypto
internal import MCPCore

/// Signs checkpoints with a named key, through MCPCrypto's `SigningKey` seam (Ed25519,
/// ECDSA P-256, or a key kept in a KMS or HSM by another backend).
///
/// ```swift
/// let key = try Ed25519.PrivateKey()
/// let signer = AuditSigner(keyID: "audit-2026", key: key)
/// let verifier = AuditVerifier(keys: ["audit-2026": key.publicKey])
/// ```
public struct AuditSigner: Sendable {
    /// The name of the key, stored with each signature so a verifier can pick the public
    /// key (and keys can rotate).
    public let keyID: String

    /// The signature algorithm.
    public let algorithm: SignatureAlgorithm

    private let sign: @Sendable ([UInt8]) throws(CryptoError) -> [UInt8]

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - keyID: the key's name; at most 128 bytes.
    ///   - key: the private key.
    public init<Key: SigningKey>(keyID: String, key: Key) {
        self.keyID = keyID
        self.algorithm = key.algorithm
        self.sign = { (message) throws(CryptoError) in try key.signature(for: message) }
    }

    /// The conventional id of a public key: the first 16 hexadecimal digits of the SHA-256 of
    /// its raw bytes. `gatewayd` and the `audit-log` tool name keys this way, so a verifier
    /// can derive the id from the public key alone.
    ///
    /// - Parameter publicKey: the public key's raw representation.
    /// - Returns: 16 lowercase hexadecimal digits.
    public static func keyID(of publicKey: [UInt8]) -> String {
        String(Hexadecimal.encode(SHA256.hash(publicKey)).prefix(16))
    }

    /// Signs a message.
    func signature(for message: [UInt8]) throws(AuditError) -> [UInt8] {
        do {
            return try sign(message)
        } catch {
            throw AuditError(
                .signingFailed, message: "key \(EventReader.safeName(keyID)) could not sign: \(error.code)")
        }
    }
}

/// A signed statement that the chain, up to and including ``sequence``, ends in ``hash``.
///
/// Checkpoints are written every N records or T seconds and when the log shuts down. A
/// checkpoint also serves as the anchor the chain continues from after retention removed
/// the records up to it.
public struct AuditCheckpoint: Hashable, Sendable {
    /// The last record the checkpoint covers.
    public var sequence: Int64
    /// That record's chain hash.
    public var hash: [UInt8]
    /// When the checkpoint was made.
    public var time: AuditTime
    /// The signing key's name; empty when the log has no signer.
    public var keyID: String
    /// The JOSE name of the signature algorithm; empty when unsigned.
    public var algorithm: String
    /// The signature over ``signedBytes``; empty when unsigned.
    public var signature: [UInt8]

    /// Creates a checkpoint.
    ///
    /// - Parameters:
    ///   - sequence: the last record covered.
    ///   - hash: that record's hash.
    ///   - time: when it was made.
    ///   - keyID: the key's name.
    ///   - algorithm: the algorithm's JOSE name.
    ///   - signature: the signature.
    public init(sequence: Int64, hash: [UInt8], time: AuditTime, keyID: String, algorithm: String, signature: [UInt8]) {
        self.sequence = sequence
        self.hash = hash
        self.time = time
        self.keyID = keyID
        self.algorithm = algorithm
        self.signature = signature
    }

    /// The bytes the signature covers: canonical JSON
    /// `{"algorithm":..,"hash":"<hex>","keyId":..,"kind":"mcp-audit-checkpoint","sequence":n,"time":µs}`.
    public var signedBytes: [UInt8] {
        let value: JSONValue = [
            "algorithm": .string(algorithm), "hash": .string(Hexadecimal.encode(hash)), "keyId": .string(keyID),
            "kind": "mcp-audit-checkpoint", "sequence": .number(JSONNumber(sequence)),
            "time": .number(JSONNumber(time.microsecondsSinceEpoch)),
        ]
        return JSONSerializer(options: .sortedKeys).serialize(value)
    }

    /// Makes a checkpoint, signed when a signer is given.
    static func make(sequence: Int64, hash: [UInt8], time: AuditTime, signer: AuditSigner?) throws(AuditError)
        -> AuditCheckpoint
    {
        var checkpoint = AuditCheckpoint(
            sequence: sequence, hash: hash, time: time, keyID: signer?.keyID ?? "",
            algorithm: signer?.algorithm.joseName ?? "", signature: [])
        if let signer {
            checkpoint.signature = try signer.signature(for: checkpoint.signedBytes)
        }
        return checkpoint
    }
}

import Foundation
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
public import MCPCrypto

/// The key that encrypts the authorization server's secrets at rest (its signing keys),
/// read from a file or an environment variable and never written anywhere.
///
/// Secrets are sealed with AES-256-GCM, authenticated together with what they are (a
/// signing key's id), so a sealed value moved to another row does not open. Each sealed
/// value records the ``keyID`` of the master key that sealed it, so a rotation can tell
/// which values still need to be sealed again.
public struct MasterKey: Sendable, CustomStringConvertible {
    /// Identifies the key without revealing it: the first 8 bytes of its SHA-256, in
    /// hexadecimal.
    public let keyID: String
    private let key: SymmetricKey

    /// Creates a master key from 32 bytes.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/invalidMasterKey`` for another length.
    public init(bytes: some Sequence<UInt8>) throws(AuthError) {
        let bytes = Array(bytes)
        guard bytes.count == AES256GCM.keyByteCount else {
            throw AuthError(.invalidMasterKey, "a master key is 32 bytes, not \(bytes.count)")
        }
        key = SymmetricKey(bytes: bytes)
        keyID = Hexadecimal.encode(SHA256.hash(bytes).prefix(8))
    }

    /// Reads a master key written as 64 hexadecimal digits or as the base64 of 32 bytes
    /// (surrounding white space ignored), or as 32 raw bytes.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/invalidMasterKey``.
    public init(encoded: some Sequence<UInt8>) throws(AuthError) {
        let raw = Array(encoded)
        let text = String(decoding: raw, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if text.count == 64, let bytes = Hexadecimal.decode(text) {
            try self.init(bytes: bytes)
        } else if let bytes = try? Base64.decode(text), bytes.count == AES256GCM.keyByteCount {
            try self.init(bytes: bytes)
        } else if raw.count == AES256GCM.keyByteCount {
            try self.init(bytes: raw)
        } else {
            throw AuthError(
                .invalidMasterKey, "a master key is 64 hexadecimal digits, the base64 of 32 bytes, or 32 bytes")
        }
    }

    /// Reads the master key from a file, which must not be readable by other users.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/invalidMasterKey`` when the file is
    ///   missing, readable by group or others, or not a key.
    public init(contentsOfFile path: String) throws(AuthError) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let data = FileManager.default.contents(atPath: path)
        else { throw AuthError(.invalidMasterKey, "the master key file \(path) cannot be read") }
        if let permissions = attributes[.posixPermissions] as? Int, permissions & 0o077 != 0 {
            throw AuthError(
                .invalidMasterKey,
                "the master key file \(path) is readable by other users (mode \(String(permissions, radix: 8)))")
        }
        try self.init(encoded: Array(data))
    }

    /// Reads the master key from an environment variable.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/invalidMasterKey`` when it is unset
    ///   or not a key.
    public init(environmentVariable name: String) throws(AuthError) {
        guard let value = ProcessInfo.processInfo.environment[name], !value.isEmpty else {
            throw AuthError(.invalidMasterKey, "the environment variable \(name) is not set")
        }
        try self.init(encoded: Array(value.utf8))
    }

    /// Writes a new random master key, in hexadecimal, to a file only its owner can read.
    ///
    /// - Returns: the key.
    public static func create(atPath path: String) throws -> MasterKey {
        let bytes = try SecureRandom.bytes(count: AES256GCM.keyByteCount)
        // Created exclusively, readable by its owner only from the start: a file that
        // appeared meanwhile (another process starting) is never overwritten.
        guard createExclusively(path, contents: Array((Hexadecimal.encode(bytes) + "\n").utf8)) else {
            throw AuthError(
                .invalidMasterKey, "the master key file \(path) cannot be created (it may exist already)")
        }
        return try MasterKey(bytes: bytes)
    }

    /// Encrypts a secret.
    ///
    /// - Parameters:
    ///   - plaintext: the secret.
    ///   - context: what the secret is (such as `signing-key:<kid>`); opening needs the
    ///     same context.
    /// - Returns: nonce, ciphertext and tag.
    public func seal(_ plaintext: [UInt8], context: String) throws(CryptoError) -> [UInt8] {
        try AES256GCM.seal(plaintext, using: key, authenticating: Array(context.utf8)).combined
    }

    /// Decrypts a secret sealed with ``seal(_:context:)``.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/tamperedSecret`` when the value, the
    ///   context or the key differs from what was sealed.
    public func open(_ sealed: [UInt8], context: String) throws(AuthError) -> [UInt8] {
        do {
            return try AES256GCM.open(
                AES256GCM.SealedBox(combined: sealed), using: key, authenticating: Array(context.utf8))
        } catch {
            throw AuthError(
                .tamperedSecret, "the secret \(context) does not open with master key \(keyID): it was altered")
        }
    }

    public var description: String { "MasterKey(\(keyID))" }
}

/// Creates a file that must not exist yet, readable and writable by its owner only, and
/// writes `contents` to disk.
///
/// - Returns: whether the file was created and written.
private func createExclusively(_ path: String, contents: [UInt8]) -> Bool {
    let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { return false }
    defer { close(descriptor) }
    let written = contents.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    return written == contents.count && fsync(descriptor) == 0
}

internal import COpenSSL

/// HMAC (RFC 2104) message authentication codes over SHA-2.
public enum HMAC {
    /// Computes the authentication code of a message.
    ///
    /// - Parameters:
    ///   - message: The message to authenticate.
    ///   - key: The secret key; keys longer than the digest's block are hashed first, as
    ///     RFC 2104 specifies.
    ///   - digest: The hash function; SHA-256 by default.
    /// - Returns: `digest.byteCount` bytes.
    public static func authenticationCode(
        for message: some Sequence<UInt8>,
        using key: SymmetricKey,
        digest: DigestAlgorithm = .sha256
    ) -> [UInt8] {
        key.withUnsafeBytes { keyBytes in
            message.withContiguousBytes { input in
                [UInt8](unsafeUninitializedCapacity: digest.byteCount) { buffer, count in
                    guard let keyLength = Int32(exactly: keyBytes.count) else {
                        preconditionFailure("HMAC key longer than OpenSSL accepts")
                    }
                    var length: UInt32 = 0
                    // An empty key still needs a valid address.
                    let keyAddress = keyBytes.baseAddress ?? UnsafeRawPointer(input.baseAddress!)
                    guard
                        COpenSSL.HMAC(
                            digest.messageDigest,
                            keyAddress,
                            keyLength,
                            input.baseAddress,
                            input.count,
                            buffer.baseAddress,
                            &length
                        ) != nil,
                        Int(length) == digest.byteCount
                    else {
                        preconditionFailure("HMAC failed for \(digest)")
                    }
                    count = Int(length)
                }
            }
        }
    }

    /// Checks an authentication code in constant time.
    ///
    /// Only a full-length code is accepted; truncated codes are rejected.
    ///
    /// - Parameters:
    ///   - code: The code received with the message.
    ///   - message: The message it claims to authenticate.
    ///   - key: The secret key.
    ///   - digest: The hash function; SHA-256 by default.
    /// - Returns: Whether `code` is the message's authentication code under `key`.
    public static func isValidAuthenticationCode(
        _ code: some Sequence<UInt8>,
        authenticating message: some Sequence<UInt8>,
        using key: SymmetricKey,
        digest: DigestAlgorithm = .sha256
    ) -> Bool {
        let expected = authenticationCode(for: message, using: key, digest: digest)
        return ConstantTime.isEqual(expected, code)
    }
}

internal import COpenSSL

extension EVPKey {
    /// Parses a DER `SubjectPublicKeyInfo` (RFC 5280), the body of a `PUBLIC KEY` PEM.
    ///
    /// - Parameter der: The encoding; trailing bytes are rejected.
    /// - Returns: The public key.
    /// - Throws: `CryptoError` with code `invalidKey` when the encoding is malformed.
    static func parse(subjectPublicKeyInfo der: UnsafeBufferPointer<UInt8>) throws(CryptoError)
        -> EVPKey
    {
        guard der.count <= Int(Int32.max) else {
            throw CryptoError(.invalidKey, message: "public key encoding too long")
        }
        var cursor: UnsafePointer<UInt8>? = der.baseAddress
        guard let key = d2i_PUBKEY(nil, &cursor, der.count) else {
            throw .openSSL(.invalidKey, "d2i_PUBKEY")
        }
        let owned = EVPKey(taking: key)
        OpenSSLErrorQueue.clear()
        guard cursor == der.baseAddress.map({ $0 + der.count }) else {
            throw CryptoError(.invalidKey, message: "trailing bytes after the public key")
        }
        return owned
    }

    /// Parses a DER private key: PKCS#8 `PrivateKeyInfo` (RFC 5208), or the key type's
    /// own structure (such as SEC 1 `ECPrivateKey`).
    ///
    /// - Parameter der: The encoding; trailing bytes are rejected.
    /// - Returns: The private key.
    /// - Throws: `CryptoError` with code `invalidKey` when the encoding is malformed.
    static func parse(privateKey der: UnsafeBufferPointer<UInt8>) throws(CryptoError) -> EVPKey {
        guard der.count <= Int(Int32.max) else {
            throw CryptoError(.invalidKey, message: "private key encoding too long")
        }
        var cursor: UnsafePointer<UInt8>? = der.baseAddress
        guard let key = d2i_AutoPrivateKey(nil, &cursor, der.count) else {
            throw .openSSL(.invalidKey, "d2i_AutoPrivateKey")
        }
        let owned = EVPKey(taking: key)
        OpenSSLErrorQueue.clear()
        guard cursor == der.baseAddress.map({ $0 + der.count }) else {
            throw CryptoError(.invalidKey, message: "trailing bytes after the private key")
        }
        return owned
    }

    /// Parses the first `PUBLIC KEY` block of a PEM text.
    ///
    /// - Parameter pem: The PEM text.
    /// - Returns: The public key.
    /// - Throws: `CryptoError` with code `invalidKey` when there is no such block or it
    ///   is malformed.
    static func parse(publicKeyPEM pem: String) throws(CryptoError) -> EVPKey {
        try pem.utf8.withContiguousBytes { (text) throws(CryptoError) -> EVPKey in
            let bio = try MemoryBIO(readingFrom: text)
            guard let key = PEM_read_bio_PUBKEY(bio.pointer, nil, nil, nil) else {
                throw .openSSL(.invalidKey, "PEM_read_bio_PUBKEY")
            }
            OpenSSLErrorQueue.clear()
            return EVPKey(taking: key)
        }
    }

    /// Parses the first private key block of a PEM text: `PRIVATE KEY` (PKCS#8) or the
    /// key type's own block (such as `EC PRIVATE KEY`). Encrypted keys are refused.
    ///
    /// - Parameter pem: The PEM text.
    /// - Returns: The private key.
    /// - Throws: `CryptoError` with code `invalidKey` when there is no such block, it is
    ///   malformed or it is encrypted.
    static func parse(privateKeyPEM pem: String) throws(CryptoError) -> EVPKey {
        try pem.utf8.withContiguousBytes { (text) throws(CryptoError) -> EVPKey in
            let bio = try MemoryBIO(readingFrom: text)
            // The callback supplies no passphrase, so that OpenSSL never prompts on the
            // terminal for an encrypted key.
            guard let key = PEM_read_bio_PrivateKey(bio.pointer, nil, { _, _, _, _ in -1 }, nil)
            else {
                throw .openSSL(.invalidKey, "PEM_read_bio_PrivateKey")
            }
            OpenSSLErrorQueue.clear()
            return EVPKey(taking: key)
        }
    }

    /// The public part of the key as a DER `SubjectPublicKeyInfo`.
    ///
    /// - Returns: The encoding.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    func subjectPublicKeyInfo() throws(CryptoError) -> [UInt8] {
        let length = i2d_PUBKEY(pointer, nil)
        guard length > 0 else {
            throw .openSSL(.internalFailure, "i2d_PUBKEY")
        }
        return try [UInt8](unsafeUninitializedCapacity: Int(length)) {
            (buffer, count) throws(CryptoError) in
            var cursor = buffer.baseAddress
            guard i2d_PUBKEY(pointer, &cursor) == length else {
                throw .openSSL(.internalFailure, "i2d_PUBKEY")
            }
            count = Int(length)
        }
    }

    /// The private key as a DER PKCS#8 `PrivateKeyInfo`, unencrypted.
    ///
    /// - Returns: The encoding.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    func privateKeyInfo() throws(CryptoError) -> [UInt8] {
        let info = try PrivateKeyInfo(of: self)
        let length = i2d_PKCS8_PRIV_KEY_INFO(info.pointer, nil)
        guard length > 0 else {
            throw .openSSL(.internalFailure, "i2d_PKCS8_PRIV_KEY_INFO")
        }
        return try [UInt8](unsafeUninitializedCapacity: Int(length)) {
            (buffer, count) throws(CryptoError) in
            var cursor = buffer.baseAddress
            guard i2d_PKCS8_PRIV_KEY_INFO(info.pointer, &cursor) == length else {
                throw .openSSL(.internalFailure, "i2d_PKCS8_PRIV_KEY_INFO")
            }
            count = Int(length)
        }
    }

    /// The public part of the key as a `PUBLIC KEY` PEM block.
    ///
    /// - Returns: The PEM text, ending with a newline.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    func publicKeyPEM() throws(CryptoError) -> String {
        let bio = try MemoryBIO()
        try requireSuccess(PEM_write_bio_PUBKEY(bio.pointer, pointer), "PEM_write_bio_PUBKEY")
        return bio.text
    }

    /// The private key as an unencrypted PKCS#8 `PRIVATE KEY` PEM block.
    ///
    /// - Returns: The PEM text, ending with a newline.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    func privateKeyPEM() throws(CryptoError) -> String {
        let bio = try MemoryBIO()
        try requireSuccess(
            PEM_write_bio_PrivateKey(bio.pointer, pointer, nil, nil, 0, nil, nil),
            "PEM_write_bio_PrivateKey"
        )
        return bio.text
    }
}

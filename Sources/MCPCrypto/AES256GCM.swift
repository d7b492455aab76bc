internal import COpenSSL

/// AES-256 in Galois/Counter Mode (NIST SP 800-38D): authenticated encryption with
/// associated data, a 12-byte nonce and a 16-byte tag.
///
/// A nonce must never be used twice with the same key. The random nonces that `seal`
/// picks by default make a repeat negligible for up to about 2^32 messages per key.
public enum AES256GCM {
    /// The key length: 32 bytes.
    public static let keyByteCount = 32

    /// The nonce length: 12 bytes.
    public static let nonceByteCount = 12

    /// The authentication tag length: 16 bytes.
    public static let tagByteCount = 16

    /// The largest piece handed to OpenSSL in one call; longer messages are split.
    private static let chunkByteCount = 1 << 30

    /// A 12-byte AES-GCM nonce.
    public struct Nonce: Hashable, Sendable {
        /// The nonce's 12 bytes.
        public let bytes: [UInt8]

        /// Creates a fresh random nonce.
        ///
        /// - Throws: `CryptoError` with code `randomSourceFailure` when the random
        ///   generator fails.
        public init() throws(CryptoError) {
            bytes = try SecureRandom.bytes(count: AES256GCM.nonceByteCount)
        }

        /// Creates a nonce from given bytes.
        ///
        /// - Parameter bytes: Exactly 12 bytes.
        /// - Throws: `CryptoError` with code `invalidParameter` for any other length.
        public init(bytes: some Sequence<UInt8>) throws(CryptoError) {
            let bytes = Array(bytes)
            guard bytes.count == AES256GCM.nonceByteCount else {
                throw CryptoError(
                    .invalidParameter,
                    message: "an AES-GCM nonce has 12 bytes, not \(bytes.count)"
                )
            }
            self.bytes = bytes
        }
    }

    /// The result of sealing: the nonce, the ciphertext and the tag.
    public struct SealedBox: Hashable, Sendable {
        /// The nonce the message was sealed with.
        public let nonce: Nonce

        /// The encrypted message, as long as the plaintext.
        public let ciphertext: [UInt8]

        /// The 16-byte authentication tag.
        public let tag: [UInt8]

        /// Assembles a sealed box from its parts.
        ///
        /// - Parameters:
        ///   - nonce: The nonce the message was sealed with.
        ///   - ciphertext: The encrypted message.
        ///   - tag: The 16-byte authentication tag.
        /// - Throws: `CryptoError` with code `invalidParameter` when the tag is not 16
        ///   bytes.
        public init(
            nonce: Nonce,
            ciphertext: some Sequence<UInt8>,
            tag: some Sequence<UInt8>
        ) throws(CryptoError) {
            let tag = Array(tag)
            guard tag.count == AES256GCM.tagByteCount else {
                throw CryptoError(
                    .invalidParameter,
                    message: "an AES-GCM tag has 16 bytes, not \(tag.count)"
                )
            }
            self.nonce = nonce
            self.ciphertext = Array(ciphertext)
            self.tag = tag
        }

        /// Parses the combined representation, `nonce || ciphertext || tag`.
        ///
        /// - Parameter combined: At least 28 bytes: a 12-byte nonce, the ciphertext and
        ///   a 16-byte tag.
        /// - Throws: `CryptoError` with code `invalidEncoding` when `combined` is shorter
        ///   than a nonce and a tag.
        public init(combined: some Sequence<UInt8>) throws(CryptoError) {
            let combined = Array(combined)
            let overhead = AES256GCM.nonceByteCount + AES256GCM.tagByteCount
            guard combined.count >= overhead else {
                throw CryptoError(
                    .invalidEncoding,
                    message:
                        "a sealed AES-GCM box has at least \(overhead) bytes, not \(combined.count)"
                )
            }
            let tagStart = combined.count - AES256GCM.tagByteCount
            nonce = try Nonce(bytes: combined[..<AES256GCM.nonceByteCount])
            ciphertext = Array(combined[AES256GCM.nonceByteCount..<tagStart])
            tag = Array(combined[tagStart...])
        }

        /// The combined representation, `nonce || ciphertext || tag`.
        public var combined: [UInt8] {
            nonce.bytes + ciphertext + tag
        }
    }

    /// Encrypts and authenticates a message.
    ///
    /// - Parameters:
    ///   - plaintext: The message to encrypt.
    ///   - key: A 32-byte key.
    ///   - nonce: The nonce; nil (the default) picks a fresh random one. Never reuse a
    ///     nonce with the same key.
    ///   - associatedData: Bytes that are authenticated but not encrypted, such as a
    ///     header or a record identifier; `open` must be given the same bytes.
    /// - Returns: The nonce, ciphertext and tag.
    /// - Throws: `CryptoError` with code `invalidParameter` when the key is not 32
    ///   bytes, `randomSourceFailure` when no nonce can be drawn, or `internalFailure`
    ///   when OpenSSL fails.
    public static func seal(
        _ plaintext: some Sequence<UInt8>,
        using key: SymmetricKey,
        nonce: Nonce? = nil,
        authenticating associatedData: some Sequence<UInt8> = [UInt8]()
    ) throws(CryptoError) -> SealedBox {
        try requireKeyLength(key)
        let nonce =
            if let nonce {
                nonce
            } else {
                try Nonce()
            }
        let context = try CipherContext()
        try start(context, key: key, nonce: nonce, encrypting: true)
        try associatedData.withContiguousBytes { (aad) throws(CryptoError) in
            try authenticate(aad, context: context, encrypting: true)
        }
        let ciphertext = try plaintext.withContiguousBytes { (input) throws(CryptoError) in
            try [UInt8](unsafeUninitializedCapacity: input.count) {
                (output, count) throws(CryptoError) in
                try transform(input, into: output, context: context, encrypting: true)
                count = input.count
            }
        }
        var tag = [UInt8](repeating: 0, count: tagByteCount)
        try tag.withUnsafeMutableBufferPointer { (tagBytes) throws(CryptoError) in
            var finalLength: Int32 = 0
            try requireSuccess(
                EVP_EncryptFinal_ex(context.pointer, tagBytes.baseAddress, &finalLength),
                "EVP_EncryptFinal_ex"
            )
            try requireSuccess(
                EVP_CIPHER_CTX_ctrl(
                    context.pointer,
                    EVP_CTRL_GCM_GET_TAG,
                    Int32(tagByteCount),
                    tagBytes.baseAddress
                ),
                "EVP_CTRL_GCM_GET_TAG"
            )
        }
        return try SealedBox(nonce: nonce, ciphertext: ciphertext, tag: tag)
    }

    /// Checks and decrypts a sealed box.
    ///
    /// - Parameters:
    ///   - box: The nonce, ciphertext and tag.
    ///   - key: The 32-byte key the box was sealed with.
    ///   - associatedData: The associated data the box was sealed with.
    /// - Returns: The plaintext.
    /// - Throws: `CryptoError` with code `authenticationFailure` when any of the
    ///   ciphertext, tag, nonce, associated data or key differs from what was sealed
    ///   (no plaintext is returned then), `invalidParameter` when the key is not 32
    ///   bytes, or `internalFailure` when OpenSSL fails.
    public static func open(
        _ box: SealedBox,
        using key: SymmetricKey,
        authenticating associatedData: some Sequence<UInt8> = [UInt8]()
    ) throws(CryptoError) -> [UInt8] {
        try requireKeyLength(key)
        let context = try CipherContext()
        try start(context, key: key, nonce: box.nonce, encrypting: false)
        try associatedData.withContiguousBytes { (aad) throws(CryptoError) in
            try authenticate(aad, context: context, encrypting: false)
        }
        var plaintext = try box.ciphertext.withContiguousBytes { (input) throws(CryptoError) in
            try [UInt8](unsafeUninitializedCapacity: input.count) {
                (output, count) throws(CryptoError) in
                try transform(input, into: output, context: context, encrypting: false)
                count = input.count
            }
        }
        var tag = box.tag
        let tagStatus = tag.withUnsafeMutableBufferPointer { tagBytes in
            EVP_CIPHER_CTX_ctrl(
                context.pointer,
                EVP_CTRL_GCM_SET_TAG,
                Int32(tagByteCount),
                tagBytes.baseAddress
            )
        }
        try requireSuccess(tagStatus, "EVP_CTRL_GCM_SET_TAG")
        var finalLength: Int32 = 0
        var scratch = [UInt8](repeating: 0, count: tagByteCount)
        let finalStatus = scratch.withUnsafeMutableBufferPointer { buffer in
            EVP_DecryptFinal_ex(context.pointer, buffer.baseAddress, &finalLength)
        }
        guard finalStatus == 1 else {
            OpenSSLErrorQueue.clear()
            plaintext.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
            throw CryptoError(.authenticationFailure, message: "AES-GCM authentication failed")
        }
        return plaintext
    }

    private static func requireKeyLength(_ key: SymmetricKey) throws(CryptoError) {
        guard key.byteCount == keyByteCount else {
            throw CryptoError(
                .invalidParameter,
                message: "an AES-256 key has 32 bytes, not \(key.byteCount)"
            )
        }
    }

    /// Sets up `context` for AES-256-GCM with the key and nonce.
    private static func start(
        _ context: borrowing CipherContext,
        key: SymmetricKey,
        nonce: Nonce,
        encrypting: Bool
    ) throws(CryptoError) {
        try key.withUnsafeBytes { (keyBytes) throws(CryptoError) in
            try nonce.bytes.withUnsafeBufferPointer { (nonceBytes) throws(CryptoError) in
                let keyAddress = keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
                let status =
                    encrypting
                    ? EVP_EncryptInit_ex(
                        context.pointer, EVP_aes_256_gcm(), nil, keyAddress, nonceBytes.baseAddress)
                    : EVP_DecryptInit_ex(
                        context.pointer, EVP_aes_256_gcm(), nil, keyAddress, nonceBytes.baseAddress)
                try requireSuccess(status, encrypting ? "EVP_EncryptInit_ex" : "EVP_DecryptInit_ex")
            }
        }
    }

    /// Feeds associated data, which GCM authenticates without encrypting.
    private static func authenticate(
        _ data: UnsafeBufferPointer<UInt8>,
        context: borrowing CipherContext,
        encrypting: Bool
    ) throws(CryptoError) {
        var offset = 0
        while offset < data.count {
            let length = min(chunkByteCount, data.count - offset)
            var written: Int32 = 0
            let source = data.baseAddress! + offset
            let status =
                encrypting
                ? EVP_EncryptUpdate(context.pointer, nil, &written, source, Int32(length))
                : EVP_DecryptUpdate(context.pointer, nil, &written, source, Int32(length))
            try requireSuccess(status, encrypting ? "EVP_EncryptUpdate" : "EVP_DecryptUpdate")
            offset += length
        }
    }

    /// Encrypts or decrypts `input` into `output`, which has the same length.
    private static func transform(
        _ input: UnsafeBufferPointer<UInt8>,
        into output: UnsafeMutableBufferPointer<UInt8>,
        context: borrowing CipherContext,
        encrypting: Bool
    ) throws(CryptoError) {
        var offset = 0
        while offset < input.count {
            let length = min(chunkByteCount, input.count - offset)
            var written: Int32 = 0
            let source = input.baseAddress! + offset
            let destination = output.baseAddress! + offset
            let status =
                encrypting
                ? EVP_EncryptUpdate(context.pointer, destination, &written, source, Int32(length))
                : EVP_DecryptUpdate(context.pointer, destination, &written, source, Int32(length))
            try requireSuccess(status, encrypting ? "EVP_EncryptUpdate" : "EVP_DecryptUpdate")
            guard Int(written) == length else {
                throw CryptoError(
                    .internalFailure, message: "AES-GCM wrote \(written) of \(length) bytes")
            }
            offset += length
        }
    }
}

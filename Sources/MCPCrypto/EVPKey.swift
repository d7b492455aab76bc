internal import COpenSSL

/// Owns one OpenSSL asymmetric key (`EVP_PKEY`) and frees it when released; signs and
/// verifies with it.
///
/// `@unchecked Sendable`: the key is never changed after it has been created, and
/// OpenSSL 3 allows an unchanging `EVP_PKEY` to be used by many threads at once for
/// signing, verification and encoding; each operation has its own context.
final class EVPKey: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of a key.
    ///
    /// - Parameter pointer: A key nobody else frees.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Generates a new key pair.
    ///
    /// - Parameters:
    ///   - type: OpenSSL's key type, such as `EVP_PKEY_EC` or `EVP_PKEY_ED25519`.
    ///   - curve: For `EVP_PKEY_EC`, the identifier of the named curve.
    /// - Returns: The key pair.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    static func generate(type: Int32, curve: Int32? = nil) throws(CryptoError) -> EVPKey {
        let context = try KeyContext(EVP_PKEY_CTX_new_id(type, nil), "EVP_PKEY_CTX_new_id")
        try requireSuccess(EVP_PKEY_keygen_init(context.pointer), "EVP_PKEY_keygen_init")
        if let curve {
            try requireSuccess(
                EVP_PKEY_CTX_set_ec_paramgen_curve_nid(context.pointer, curve),
                "EVP_PKEY_CTX_set_ec_paramgen_curve_nid"
            )
        }
        var key: OpaquePointer?
        try requireSuccess(EVP_PKEY_keygen(context.pointer, &key), "EVP_PKEY_keygen")
        guard let key else {
            throw .openSSL(.internalFailure, "EVP_PKEY_keygen")
        }
        return EVPKey(taking: key)
    }

    /// Creates a key from named parameters.
    ///
    /// - Parameters:
    ///   - algorithm: OpenSSL's name of the key type, such as `"EC"`.
    ///   - selection: Which parts the parameters describe, such as
    ///     `copenssl_EVP_PKEY_KEYPAIR`.
    ///   - parameters: The parameters.
    /// - Returns: The key.
    /// - Throws: `CryptoError` with code `invalidKey` when OpenSSL rejects the
    ///   parameters.
    static func fromParameters(
        algorithm: StaticString,
        selection: Int32,
        _ parameters: inout KeyParameters
    ) throws(CryptoError) -> EVPKey {
        let context = try KeyContext(
            EVP_PKEY_CTX_new_from_name(nil, cString(algorithm), nil),
            "EVP_PKEY_CTX_new_from_name"
        )
        try requireSuccess(EVP_PKEY_fromdata_init(context.pointer), "EVP_PKEY_fromdata_init")
        let built = try parameters.build()
        var key: OpaquePointer?
        try requireSuccess(
            EVP_PKEY_fromdata(context.pointer, &key, selection, built),
            "EVP_PKEY_fromdata",
            code: .invalidKey
        )
        guard let key else {
            throw .openSSL(.invalidKey, "EVP_PKEY_fromdata")
        }
        return EVPKey(taking: key)
    }

    /// Creates a key from the raw bytes that RFC 8032 keys are exchanged as.
    ///
    /// - Parameters:
    ///   - type: OpenSSL's key type, such as `EVP_PKEY_ED25519`.
    ///   - bytes: The raw key.
    ///   - isPrivate: Whether `bytes` is the private key (otherwise the public key).
    /// - Returns: The key.
    /// - Throws: `CryptoError` with code `invalidKey` when OpenSSL rejects the bytes.
    static func fromRawBytes(
        type: Int32,
        _ bytes: UnsafeBufferPointer<UInt8>,
        isPrivate: Bool
    ) throws(CryptoError) -> EVPKey {
        let key =
            isPrivate
            ? EVP_PKEY_new_raw_private_key(type, nil, bytes.baseAddress, bytes.count)
            : EVP_PKEY_new_raw_public_key(type, nil, bytes.baseAddress, bytes.count)
        guard let key else {
            throw .openSSL(
                .invalidKey,
                isPrivate ? "EVP_PKEY_new_raw_private_key" : "EVP_PKEY_new_raw_public_key"
            )
        }
        return EVPKey(taking: key)
    }

    /// Whether the key is of the named type, such as `"EC"` or `"ED25519"`.
    ///
    /// - Parameter name: OpenSSL's name of the key type.
    /// - Returns: Whether the key has that type.
    func isA(_ name: StaticString) -> Bool {
        EVP_PKEY_is_a(pointer, cString(name)) == 1
    }

    /// The name of the key's elliptic curve, such as `prime256v1`, if it has one.
    var groupName: String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            var length = 0
            guard EVP_PKEY_get_group_name(pointer, buffer.baseAddress, buffer.count, &length) == 1
            else {
                OpenSSLErrorQueue.clear()
                return nil
            }
            return UnsafeRawBufferPointer(start: buffer.baseAddress, count: length)
                .withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Reads a number parameter of the key, such as its private scalar.
    ///
    /// - Parameter name: The parameter's name.
    /// - Returns: The number, cleared when released.
    /// - Throws: `CryptoError` with code `invalidKey` when the key lacks the parameter.
    func numberParameter(_ name: StaticString) throws(CryptoError) -> BigNumber {
        var number: OpaquePointer?
        guard EVP_PKEY_get_bn_param(pointer, cString(name), &number) == 1 else {
            throw .openSSL(.invalidKey, "EVP_PKEY_get_bn_param")
        }
        return try BigNumber(number, "EVP_PKEY_get_bn_param")
    }

    /// Reads a byte-string parameter of the key, such as its encoded public point.
    ///
    /// - Parameters:
    ///   - name: The parameter's name.
    ///   - maximumCount: The largest length accepted.
    /// - Returns: The bytes.
    /// - Throws: `CryptoError` with code `invalidKey` when the key lacks the parameter.
    func octetsParameter(_ name: StaticString, maximumCount: Int) throws(CryptoError) -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: maximumCount) {
            (buffer, count) throws(CryptoError) in
            var length = 0
            guard
                EVP_PKEY_get_octet_string_param(
                    pointer,
                    cString(name),
                    buffer.baseAddress,
                    buffer.count,
                    &length
                ) == 1
            else {
                throw .openSSL(.invalidKey, "EVP_PKEY_get_octet_string_param")
            }
            count = length
        }
    }

    /// Reads the raw private or public key of an RFC 8032 key.
    ///
    /// - Parameters:
    ///   - isPrivate: Whether to read the private key (otherwise the public key).
    ///   - count: The expected length.
    /// - Returns: The raw key.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    func rawBytes(isPrivate: Bool, count expected: Int) throws(CryptoError) -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: expected) { (buffer, count) throws(CryptoError) in
            var length = expected
            let status =
                isPrivate
                ? EVP_PKEY_get_raw_private_key(pointer, buffer.baseAddress, &length)
                : EVP_PKEY_get_raw_public_key(pointer, buffer.baseAddress, &length)
            guard status == 1, length == expected else {
                buffer.initialize(repeating: 0)
                throw .openSSL(
                    .internalFailure,
                    isPrivate ? "EVP_PKEY_get_raw_private_key" : "EVP_PKEY_get_raw_public_key"
                )
            }
            count = length
        }
    }

    /// Runs OpenSSL's full check of the public part of the key (for elliptic curves: on
    /// the curve, not the point at infinity, of the right order).
    ///
    /// - Throws: `CryptoError` with code `invalidKey` when the check fails.
    func checkPublicKey() throws(CryptoError) {
        let context = try KeyContext(
            EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil),
            "EVP_PKEY_CTX_new_from_pkey"
        )
        try requireSuccess(
            EVP_PKEY_public_check(context.pointer),
            "EVP_PKEY_public_check",
            code: .invalidKey
        )
    }

    /// Signs a message.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - digest: The hash to apply first, or nil for algorithms that hash internally
    ///     (Ed25519).
    /// - Returns: The signature in OpenSSL's form (DER for ECDSA, raw for Ed25519).
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    func sign(_ message: UnsafeBufferPointer<UInt8>, digest: DigestAlgorithm?) throws(CryptoError)
        -> [UInt8]
    {
        let context = try SignatureContext()
        try requireSuccess(
            EVP_DigestSignInit(context.pointer, nil, digest?.messageDigest, nil, pointer),
            "EVP_DigestSignInit"
        )
        var capacity = 0
        try requireSuccess(
            EVP_DigestSign(context.pointer, nil, &capacity, message.baseAddress, message.count),
            "EVP_DigestSign"
        )
        return try [UInt8](unsafeUninitializedCapacity: capacity) {
            (buffer, count) throws(CryptoError) in
            var length = capacity
            try requireSuccess(
                EVP_DigestSign(
                    context.pointer,
                    buffer.baseAddress,
                    &length,
                    message.baseAddress,
                    message.count
                ),
                "EVP_DigestSign"
            )
            count = length
        }
    }

    /// Checks a signature.
    ///
    /// - Parameters:
    ///   - signature: The signature in OpenSSL's form.
    ///   - message: The message.
    ///   - digest: The hash to apply first, or nil for algorithms that hash internally.
    /// - Returns: Whether the signature is valid; malformed signatures and OpenSSL
    ///   failures count as invalid.
    func verify(
        _ signature: UnsafeBufferPointer<UInt8>,
        for message: UnsafeBufferPointer<UInt8>,
        digest: DigestAlgorithm?
    ) -> Bool {
        guard let context = try? SignatureContext() else {
            return false
        }
        defer { OpenSSLErrorQueue.clear() }
        guard
            EVP_DigestVerifyInit(context.pointer, nil, digest?.messageDigest, nil, pointer) == 1
        else {
            return false
        }
        return EVP_DigestVerify(
            context.pointer,
            signature.baseAddress,
            signature.count,
            message.baseAddress,
            message.count
        ) == 1
    }
}

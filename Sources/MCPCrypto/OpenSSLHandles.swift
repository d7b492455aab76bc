internal import COpenSSL

// Owners of the short-lived OpenSSL objects that one operation creates and frees.
// Each is `~Copyable`, so exactly one value owns the object and its `deinit` frees it on
// every path out of the operation, thrown errors included.

/// Owns an `EVP_MD_CTX` used for one signature or verification.
struct SignatureContext: ~Copyable {
    let pointer: OpaquePointer

    /// Allocates the context.
    ///
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL cannot allocate.
    init() throws(CryptoError) {
        guard let pointer = EVP_MD_CTX_new() else {
            throw .openSSL(.internalFailure, "EVP_MD_CTX_new")
        }
        self.pointer = pointer
    }

    deinit {
        EVP_MD_CTX_free(pointer)
    }
}

/// Owns an `EVP_CIPHER_CTX` used for one encryption or decryption.
struct CipherContext: ~Copyable {
    let pointer: OpaquePointer

    /// Allocates the context.
    ///
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL cannot allocate.
    init() throws(CryptoError) {
        guard let pointer = EVP_CIPHER_CTX_new() else {
            throw .openSSL(.internalFailure, "EVP_CIPHER_CTX_new")
        }
        self.pointer = pointer
    }

    deinit {
        EVP_CIPHER_CTX_free(pointer)
    }
}

/// Owns an `EVP_PKEY_CTX` used for one key generation, import or check.
struct KeyContext: ~Copyable {
    let pointer: OpaquePointer

    /// Takes ownership of a context that OpenSSL returned.
    ///
    /// - Parameters:
    ///   - pointer: The context, or nil when OpenSSL failed to create it.
    ///   - operation: The call that created it, for the error message.
    /// - Throws: `CryptoError` with code `internalFailure` when `pointer` is nil.
    init(_ pointer: OpaquePointer?, _ operation: String) throws(CryptoError) {
        guard let pointer else {
            throw .openSSL(.internalFailure, operation)
        }
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_CTX_free(pointer)
    }
}

/// Owns a memory `BIO`, the in-memory stream that OpenSSL's PEM functions read and write.
struct MemoryBIO: ~Copyable {
    let pointer: OpaquePointer

    /// Creates an empty stream to write into.
    ///
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL cannot allocate.
    init() throws(CryptoError) {
        guard let pointer = BIO_new(BIO_s_mem()) else {
            throw .openSSL(.internalFailure, "BIO_new")
        }
        self.pointer = pointer
    }

    /// Creates a read-only stream over `bytes`, which must outlive the stream.
    ///
    /// - Parameter bytes: The bytes to read; OpenSSL does not copy them.
    /// - Throws: `CryptoError` with code `invalidParameter` when `bytes` is too long for
    ///   OpenSSL, or `internalFailure` when OpenSSL cannot allocate.
    init(readingFrom bytes: UnsafeBufferPointer<UInt8>) throws(CryptoError) {
        guard let length = Int32(exactly: bytes.count) else {
            throw CryptoError(.invalidParameter, message: "input too long")
        }
        guard let pointer = BIO_new_mem_buf(bytes.baseAddress, length) else {
            throw .openSSL(.internalFailure, "BIO_new_mem_buf")
        }
        self.pointer = pointer
    }

    deinit {
        BIO_free(pointer)
    }

    /// Everything written to the stream so far, as text.
    var text: String {
        var data: UnsafeMutablePointer<CChar>?
        let length = copenssl_BIO_get_mem_data(pointer, &data)
        guard let data, length > 0 else {
            return ""
        }
        return UnsafeRawBufferPointer(start: data, count: length).withMemoryRebound(
            to: UInt8.self
        ) { String(decoding: $0, as: UTF8.self) }
    }
}

/// Owns a `PKCS8_PRIV_KEY_INFO`, the PKCS#8 structure a private key is encoded from;
/// OpenSSL clears the key inside it when freeing it.
struct PrivateKeyInfo: ~Copyable {
    let pointer: OpaquePointer

    /// Builds the PKCS#8 structure of a private key.
    ///
    /// - Parameter key: The private key.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    init(of key: EVPKey) throws(CryptoError) {
        guard let pointer = EVP_PKEY2PKCS8(key.pointer) else {
            throw .openSSL(.internalFailure, "EVP_PKEY2PKCS8")
        }
        self.pointer = pointer
    }

    deinit {
        PKCS8_PRIV_KEY_INFO_free(pointer)
    }
}

/// Owns a `BIGNUM`, cleared before it is freed because it may hold a private scalar.
struct BigNumber: ~Copyable {
    let pointer: OpaquePointer

    /// Takes ownership of a number that OpenSSL returned.
    ///
    /// - Parameters:
    ///   - pointer: The number, or nil when OpenSSL failed to create it.
    ///   - operation: The call that created it, for the error message.
    /// - Throws: `CryptoError` with code `internalFailure` when `pointer` is nil.
    init(_ pointer: OpaquePointer?, _ operation: String) throws(CryptoError) {
        guard let pointer else {
            throw .openSSL(.internalFailure, operation)
        }
        self.pointer = pointer
    }

    /// Reads an unsigned big-endian number into memory that OpenSSL keeps apart and
    /// clears.
    ///
    /// - Parameter bytes: The number's big-endian bytes.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL cannot allocate.
    init(bigEndian bytes: UnsafeBufferPointer<UInt8>) throws(CryptoError) {
        let number = try BigNumber(BN_secure_new(), "BN_secure_new")
        guard BN_bin2bn(bytes.baseAddress, Int32(bytes.count), number.pointer) != nil else {
            throw .openSSL(.internalFailure, "BN_bin2bn")
        }
        self = number
    }

    deinit {
        BN_clear_free(pointer)
    }

    /// Writes the number as exactly `byteCount` big-endian bytes, zero-padded on the left.
    ///
    /// - Parameter buffer: Where to write; its count is the width.
    /// - Throws: `CryptoError` with code `internalFailure` when the number does not fit.
    func write(bigEndianInto buffer: UnsafeMutableBufferPointer<UInt8>) throws(CryptoError) {
        guard BN_bn2binpad(pointer, buffer.baseAddress, Int32(buffer.count)) == Int32(buffer.count)
        else {
            throw .openSSL(.internalFailure, "BN_bn2binpad")
        }
    }
}

/// Owns an `EC_GROUP`, the description of an elliptic curve.
struct EllipticCurveGroup: ~Copyable {
    let pointer: OpaquePointer

    /// Creates the group of a named curve.
    ///
    /// - Parameter nid: OpenSSL's identifier of the curve.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL cannot create it.
    init(curve nid: Int32) throws(CryptoError) {
        guard let pointer = EC_GROUP_new_by_curve_name(nid) else {
            throw .openSSL(.internalFailure, "EC_GROUP_new_by_curve_name")
        }
        self.pointer = pointer
    }

    deinit {
        EC_GROUP_free(pointer)
    }
}

/// Owns an `EC_POINT`, cleared before it is freed.
struct EllipticCurvePoint: ~Copyable {
    let pointer: OpaquePointer

    /// Creates the point at infinity on `group`.
    ///
    /// - Parameter group: The curve.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL cannot allocate.
    init(on group: borrowing EllipticCurveGroup) throws(CryptoError) {
        guard let pointer = EC_POINT_new(group.pointer) else {
            throw .openSSL(.internalFailure, "EC_POINT_new")
        }
        self.pointer = pointer
    }

    deinit {
        EC_POINT_clear_free(pointer)
    }
}

/// Owns an `OSSL_PARAM_BLD` and the `OSSL_PARAM` array it builds, which describe a key to
/// `EVP_PKEY_fromdata`.
///
/// Parameter names are `StaticString`s because OpenSSL keeps the name pointers, not
/// copies of the names.
struct KeyParameters: ~Copyable {
    private let builder: OpaquePointer
    private var parameters: UnsafeMutablePointer<OSSL_PARAM>?

    /// Creates an empty parameter list.
    ///
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL cannot allocate.
    init() throws(CryptoError) {
        guard let builder = OSSL_PARAM_BLD_new() else {
            throw .openSSL(.internalFailure, "OSSL_PARAM_BLD_new")
        }
        self.builder = builder
        self.parameters = nil
    }

    deinit {
        if let parameters {
            OSSL_PARAM_free(parameters)
        }
        OSSL_PARAM_BLD_free(builder)
    }

    /// Adds a text parameter.
    ///
    /// - Parameters:
    ///   - name: The parameter's name.
    ///   - value: Its value.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    mutating func append(_ name: StaticString, text value: StaticString) throws(CryptoError) {
        let status = OSSL_PARAM_BLD_push_utf8_string(
            builder,
            cString(name),
            cString(value),
            0
        )
        try requireSuccess(status, "OSSL_PARAM_BLD_push_utf8_string")
    }

    /// Adds a byte-string parameter; the bytes are copied when the list is built.
    ///
    /// - Parameters:
    ///   - name: The parameter's name.
    ///   - value: Its value; it must stay valid until `build()` returns.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    mutating func append(_ name: StaticString, octets value: UnsafeBufferPointer<UInt8>)
        throws(CryptoError)
    {
        let status = OSSL_PARAM_BLD_push_octet_string(
            builder,
            cString(name),
            value.baseAddress,
            value.count
        )
        try requireSuccess(status, "OSSL_PARAM_BLD_push_octet_string")
    }

    /// Adds a number parameter; the number must stay alive until `build()` returns.
    ///
    /// - Parameters:
    ///   - name: The parameter's name.
    ///   - value: Its value.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    mutating func append(_ name: StaticString, number value: borrowing BigNumber)
        throws(CryptoError)
    {
        let status = OSSL_PARAM_BLD_push_BN(builder, cString(name), value.pointer)
        try requireSuccess(status, "OSSL_PARAM_BLD_push_BN")
    }

    /// Builds the `OSSL_PARAM` array, once; it lives as long as this value.
    ///
    /// - Returns: The array, terminated as OpenSSL expects.
    /// - Throws: `CryptoError` with code `internalFailure` when OpenSSL fails.
    mutating func build() throws(CryptoError) -> UnsafeMutablePointer<OSSL_PARAM> {
        precondition(parameters == nil, "a parameter list is built once")
        guard let built = OSSL_PARAM_BLD_to_param(builder) else {
            throw .openSSL(.internalFailure, "OSSL_PARAM_BLD_to_param")
        }
        parameters = built
        return built
    }
}

/// The C string of a static string literal, valid for the life of the program.
///
/// - Parameter string: A literal without interior NUL bytes.
/// - Returns: A pointer to its NUL-terminated bytes.
func cString(_ string: StaticString) -> UnsafePointer<CChar> {
    precondition(string.hasPointerRepresentation, "a C string needs a literal with a pointer")
    return UnsafeRawPointer(string.utf8Start).assumingMemoryBound(to: CChar.self)
}

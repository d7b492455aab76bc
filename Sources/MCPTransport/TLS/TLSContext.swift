internal import COpenSSL

/// A server's TLS context: the certificate chain and key, loaded and checked once, shared by
/// every connection (OpenSSL allows creating sessions from one context on several threads).
final class TLSContext: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Loads the certificate chain and key.
    ///
    /// - Throws: ``TLSError`` naming the file that could not be used and why.
    init(configuration: TLSConfiguration) throws(TLSError) {
        guard let context = SSL_CTX_new(TLS_server_method()) else { throw TLSError(Self.reason("SSL_CTX_new")) }
        pointer = context
        guard copenssl_SSL_CTX_set_min_proto_version(context, copenssl_TLS1_2_VERSION) == 1 else {
            throw TLSError(Self.reason("setting the oldest TLS version"))
        }
        _ = copenssl_SSL_CTX_set_nonblocking_write_modes(context)
        // No renegotiation: a handshake in the middle of a stream would make a read need a
        // write (and the reverse), which the event loop does not wait for.
        _ = SSL_CTX_set_options(context, UInt64(copenssl_SSL_OP_NO_RENEGOTIATION))
        guard SSL_CTX_use_certificate_chain_file(context, configuration.certificateChainFile) == 1 else {
            throw TLSError(Self.reason("the certificate file \(configuration.certificateChainFile)"))
        }
        guard SSL_CTX_use_PrivateKey_file(context, configuration.privateKeyFile, SSL_FILETYPE_PEM) == 1 else {
            throw TLSError(Self.reason("the private key file \(configuration.privateKeyFile)"))
        }
        guard SSL_CTX_check_private_key(context) == 1 else {
            throw TLSError(Self.reason("the private key does not match the certificate"))
        }
    }

    deinit { SSL_CTX_free(pointer) }

    /// OpenSSL's last error, with what was being done.
    static func reason(_ what: String) -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "\(what) failed" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return "\(what) failed: \(text)"
    }
}

/// One connection's TLS session over a non-blocking socket, confined to the connection's
/// event loop. Reads and writes behave as the socket's do: `nil` when the call would block
/// (whichever direction TLS needs), `0` at the peer's clean close.
final class TLSSession {
    private let ssl: OpaquePointer
    /// Set after a fatal error: no close notification may be sent then.
    private var failed = false

    /// Starts a server-side session on a connected socket.
    init(context: TLSContext, descriptor: CInt) throws(TLSError) {
        guard let ssl = SSL_new(context.pointer) else { throw TLSError(TLSContext.reason("SSL_new")) }
        self.ssl = ssl
        guard SSL_set_fd(ssl, descriptor) == 1 else { throw TLSError(TLSContext.reason("SSL_set_fd")) }
        SSL_set_accept_state(ssl)
    }

    deinit { SSL_free(ssl) }

    /// Decrypted bytes the session holds that the socket will not signal again.
    var hasBufferedInput: Bool { SSL_pending(ssl) > 0 }

    /// Reads decrypted bytes (completing the handshake first when needed).
    ///
    /// - Returns: the count read, `0` at the end of the stream, `nil` when it would block.
    /// - Throws: ``TLSError`` for a failed handshake or a broken stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(TLSError) -> Int? {
        ERR_clear_error()
        let count = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if count > 0 { return Int(count) }
        return try outcome(count, "reading")
    }

    /// Encrypts and writes bytes.
    ///
    /// - Returns: the count of plaintext bytes taken, `nil` when it would block.
    /// - Throws: ``TLSError`` when the stream is broken.
    func write(_ bytes: UnsafeRawBufferPointer) throws(TLSError) -> Int? {
        guard !bytes.isEmpty else { return 0 }
        ERR_clear_error()
        let count = SSL_write(ssl, bytes.baseAddress, Int32(min(bytes.count, Int(Int32.max))))
        if count > 0 { return Int(count) }
        return try outcome(count, "writing")
    }

    /// Sends the close notification, without waiting for the peer's.
    func shutdown() {
        guard !failed else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private func outcome(_ result: Int32, _ what: String) throws(TLSError) -> Int? {
        let error = SSL_get_error(ssl, result)
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            ERR_clear_error()
            return nil
        case SSL_ERROR_ZERO_RETURN:
            return 0
        default:
            failed = true
            throw TLSError(TLSContext.reason("TLS \(what)"))
        }
    }
}

/// The certificate and key a server presents over TLS.
public struct TLSConfiguration: Sendable, Hashable {
    /// A PEM file with the server's certificate followed by its chain.
    public var certificateChainFile: String
    /// A PEM file with the certificate's private key.
    public var privateKeyFile: String

    /// Creates the settings. TLS 1.2 is the oldest version accepted.
    public init(certificateChainFile: String, privateKeyFile: String) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
    }
}

/// Why a TLS context could not be made.
public struct TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed, with OpenSSL's reason.
    public let message: String

    init(_ message: String) { self.message = message }

    public var description: String { message }
}

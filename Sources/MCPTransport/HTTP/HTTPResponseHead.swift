/// The status line and header fields of an HTTP/1.x response.
///
/// `Content-Length` and `Transfer-Encoding` are not part of it: ``HTTPResponseWriter``
/// writes them from the body framing it is given, and refuses heads that carry them.
public struct HTTPResponseHead: Sendable, Hashable {
    /// The status.
    public var status: HTTPStatus
    /// The version written in the status line (default HTTP/1.1, the highest this
    /// module speaks, as RFC 9110 §2.5 asks even when answering HTTP/1.0).
    public var version: HTTPVersion
    /// The header fields, in order.
    public var fields: HTTPFields

    /// Creates a response head.
    ///
    /// - Parameters:
    ///   - status: the status.
    ///   - version: the version (default HTTP/1.1).
    ///   - fields: the header fields.
    public init(
        status: HTTPStatus, version: HTTPVersion = .http1_1, fields: HTTPFields = HTTPFields()
    ) {
        self.status = status
        self.version = version
        self.fields = fields
    }
}

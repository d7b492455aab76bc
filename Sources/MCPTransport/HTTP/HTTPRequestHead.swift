/// The request line and header section of an HTTP/1.x request.
///
/// ``HTTPRequestParser`` produces heads whose every part has been validated; the derived
/// properties (``keepAlive``, ``expectsContinue``, ``bodyFraming``) are what the parser
/// decided from the fields.
public struct HTTPRequestHead: Sendable, Hashable {
    /// The form of the request target (RFC 9112 §3.2).
    public enum TargetForm: Sendable, Hashable {
        /// An absolute path and optional query, such as `/mcp?x=1`.
        case origin
        /// A whole `http` or `https` URI, such as `http://host:8080/mcp`.
        case absolute
        /// `*`, for a server-wide `OPTIONS`.
        case asterisk
    }

    /// How the request's body is delimited (RFC 9112 §6.3).
    public enum BodyFraming: Sendable, Hashable {
        /// The request has no body.
        case none
        /// A body of exactly this many bytes (more than zero).
        case contentLength(Int)
        /// A body in the chunked transfer coding.
        case chunked
    }

    /// The request method.
    public let method: HTTPMethod
    /// The request target, exactly as received.
    public let target: String
    /// Which form the target has.
    public let targetForm: TargetForm
    /// The protocol version, 1.0 or 1.1.
    public let version: HTTPVersion
    /// The header fields, in order.
    public let fields: HTTPFields
    /// Whether the connection may carry another request after this one: HTTP/1.1 unless
    /// `Connection: close`; HTTP/1.0 only with `Connection: keep-alive` and no `close`.
    public let keepAlive: Bool
    /// Whether the client sent `Expect: 100-continue` and waits for a `100 Continue`
    /// before sending the body; always `false` for HTTP/1.0 (RFC 9110 §10.1.1).
    public let expectsContinue: Bool
    /// How the body is delimited.
    public let bodyFraming: BodyFraming

    /// Creates a head, deriving ``targetForm``, ``keepAlive``, ``expectsContinue`` and
    /// ``bodyFraming`` from the other parts without validating them.
    ///
    /// - Parameters:
    ///   - method: the method.
    ///   - target: the request target.
    ///   - version: the version (default HTTP/1.1).
    ///   - fields: the header fields.
    public init(
        method: HTTPMethod, target: String, version: HTTPVersion = .http1_1,
        fields: HTTPFields = HTTPFields()
    ) {
        let form: TargetForm =
            if target.utf8.first == HTTPSyntax.slash {
                .origin
            } else if target == "*" {
                .asterisk
            } else {
                .absolute
            }
        let framing: BodyFraming
        if fields.contains(named: "transfer-encoding") {
            framing = .chunked
        } else if let length = fields["content-length"].flatMap({ Int($0) }), length > 0 {
            framing = .contentLength(length)
        } else {
            framing = .none
        }
        let expectations = fields.listElements(named: "expect")
        self.init(
            method: method, target: target, targetForm: form, version: version, fields: fields,
            keepAlive: Self.keepAlive(version: version, fields: fields),
            expectsContinue: version == .http1_1
                && expectations.contains { $0.lowercased() == "100-continue" },
            bodyFraming: framing)
    }

    init(
        method: HTTPMethod, target: String, targetForm: TargetForm, version: HTTPVersion,
        fields: HTTPFields, keepAlive: Bool, expectsContinue: Bool, bodyFraming: BodyFraming
    ) {
        self.method = method
        self.target = target
        self.targetForm = targetForm
        self.version = version
        self.fields = fields
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
        self.bodyFraming = bodyFraming
    }

    /// The path of the target, without the query: `/mcp` for `/mcp?x=1` and for
    /// `http://host/mcp?x=1`, `/` for `http://host`, `*` for the asterisk form.
    public var path: Substring {
        let pathAndQuery = self.pathAndQuery
        if let question = pathAndQuery.firstIndex(of: "?") {
            return pathAndQuery[..<question]
        }
        return pathAndQuery
    }

    /// The query of the target, without the `?`, or `nil` when there is none.
    public var query: Substring? {
        let pathAndQuery = self.pathAndQuery
        guard let question = pathAndQuery.firstIndex(of: "?") else { return nil }
        return pathAndQuery[pathAndQuery.index(after: question)...]
    }

    /// The authority the request is for: the authority of an absolute-form target, which
    /// takes precedence over `Host` (RFC 9112 §3.2.2), or else the `Host` field; `nil`
    /// when neither is there (HTTP/1.0 without `Host`).
    public var authority: Substring? {
        if targetForm == .absolute, let start = target.firstRange(of: "://")?.upperBound {
            let rest = target[start...]
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            return rest[..<end]
        }
        return fields["host"].map { Substring($0) }
    }

    private var pathAndQuery: Substring {
        switch targetForm {
        case .origin, .asterisk:
            return target[...]
        case .absolute:
            guard let start = target.firstRange(of: "://")?.upperBound else { return target[...] }
            let rest = target[start...]
            guard let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
            return rest[end] == "?" ? "/" + rest[end...] : rest[end...]
        }
    }

    static func keepAlive(version: HTTPVersion, fields: HTTPFields) -> Bool {
        var close = false
        var keepAlive = false
        for value in fields.valueBytes(named: "connection") {
            HTTPFields.forEachListElement(value) { option in
                if HTTPSyntax.equalsIgnoringCase(option, "close".utf8) { close = true }
                if HTTPSyntax.equalsIgnoringCase(option, "keep-alive".utf8) { keepAlive = true }
            }
        }
        if close { return false }
        return version == .http1_1 || keepAlive
    }
}

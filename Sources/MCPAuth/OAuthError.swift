import MCPCore

/// An OAuth error: the `error` code an RFC names, a description for people, and the HTTP
/// status it is answered with.
///
/// Every refusal of the authorization server and the resource server is one of these, so
/// a client always gets the code its library understands (RFC 6749 §5.2, RFC 6750 §3.1,
/// RFC 7591 §3.2.2). The description never quotes a secret from the request.
public struct OAuthError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The `error` code; stable, safe as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The code as the RFC spells it.
        public let rawValue: String

        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A parameter is missing, repeated, malformed or unsupported (RFC 6749).
        public static let invalidRequest = Code("invalid_request")
        /// Client authentication failed (RFC 6749).
        public static let invalidClient = Code("invalid_client")
        /// The code, refresh token or PKCE verifier is invalid, expired, revoked or was
        /// issued to another client or redirect URI (RFC 6749).
        public static let invalidGrant = Code("invalid_grant")
        /// The client may not use this grant or response type (RFC 6749).
        public static let unauthorizedClient = Code("unauthorized_client")
        /// The grant type is not supported (RFC 6749).
        public static let unsupportedGrantType = Code("unsupported_grant_type")
        /// The response type is not supported (RFC 6749).
        public static let unsupportedResponseType = Code("unsupported_response_type")
        /// The scope is unknown or exceeds what may be granted (RFC 6749).
        public static let invalidScope = Code("invalid_scope")
        /// The user or the server refused (RFC 6749).
        public static let accessDenied = Code("access_denied")
        /// The `resource` is not one this server issues tokens for (RFC 8707).
        public static let invalidTarget = Code("invalid_target")
        /// The server failed (RFC 6749).
        public static let serverError = Code("server_error")
        /// The server is overloaded or rate-limits the client.
        public static let temporarilyUnavailable = Code("temporarily_unavailable")
        /// The access token is missing, malformed, expired, revoked or for another
        /// resource (RFC 6750).
        public static let invalidToken = Code("invalid_token")
        /// The token lacks a scope the request needs (RFC 6750).
        public static let insufficientScope = Code("insufficient_scope")
        /// A redirect URI in a registration is not acceptable (RFC 7591).
        public static let invalidRedirectURI = Code("invalid_redirect_uri")
        /// Client metadata in a registration is not acceptable (RFC 7591).
        public static let invalidClientMetadata = Code("invalid_client_metadata")
        /// The token type is not supported for revocation (RFC 7009).
        public static let unsupportedTokenType = Code("unsupported_token_type")

        public var description: String { rawValue }
    }

    /// The `error` code.
    public let code: Code
    /// The `error_description`: what was wrong, for people.
    public let message: String
    /// The HTTP status the error is answered with.
    public let status: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: the `error` code.
    ///   - message: what was wrong, for people; never a secret.
    ///   - status: the HTTP status; by default the one RFC 6749 and RFC 6750 give the code.
    public init(_ code: Code, _ message: String, status: Int? = nil) {
        self.code = code
        self.message = message
        self.status = status ?? Self.defaultStatus(code)
    }

    public var description: String { "\(code): \(message)" }

    /// The JSON error body: `{"error": ..., "error_description": ...}`.
    public var body: [UInt8] {
        JSONSerializer().serialize(["error": .string(code.rawValue), "error_description": .string(message)])
    }

    public static func == (lhs: OAuthError, rhs: OAuthError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    private static func defaultStatus(_ code: Code) -> Int {
        switch code {
        case .invalidClient, .invalidToken: 401
        case .insufficientScope, .accessDenied: 403
        case .serverError: 500
        case .temporarilyUnavailable: 503
        default: 400
        }
    }
}

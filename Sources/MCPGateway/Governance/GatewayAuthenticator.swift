public import MCPTransport

/// Who may reach the gateway's MCP endpoints: turns an HTTP request into the
/// ``GatewayPrincipal`` every interceptor sees, or refuses it with a challenge.
///
/// The gateway asks before any MCP message is read, on every endpoint (Streamable HTTP,
/// HTTP+SSE, virtual servers, every method), and also lets the authenticator answer the
/// paths it serves itself (OAuth metadata and endpoints). ``OAuthAuthenticator`` is the
/// one backed by MCPAuth; an embedding team may plug in its own.
public protocol GatewayAuthenticator: Sendable {
    /// Whether the authenticator answers this path itself (an OAuth or metadata endpoint).
    func serves(path: Substring) -> Bool

    /// Answers a request for a path it serves.
    func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws

    /// Authenticates a request to the MCP endpoint at `endpoint` (its configured path).
    ///
    /// - Returns: the principal, or the refusal to send.
    func authenticate(_ request: HTTPServerRequest, endpoint: String) -> GatewayAuthentication
}

/// The outcome of authenticating one request.
public enum GatewayAuthentication: Sendable {
    /// The caller is known.
    case authenticated(GatewayPrincipal)
    /// The caller is refused: the status, header fields (`WWW-Authenticate`) and body to send.
    case refused(status: Int, fields: HTTPFields, body: [UInt8])
}

/// The principal of the request being handled, set by the gateway's HTTP endpoints around
/// the MCP transport so that the router attributes each message to its caller.
enum AuthenticatedCaller {
    @TaskLocal static var principal: GatewayPrincipal?
}

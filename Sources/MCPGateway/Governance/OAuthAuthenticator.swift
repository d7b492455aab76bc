public import MCPAuth
public import MCPTransport

/// The gateway as an OAuth 2.1 protected resource, with MCPAuth's authorization server:
/// each MCP endpoint is a resource whose tokens must name it as their audience, and the
/// server's metadata, sign-in and token endpoints are served on the same listener.
public struct OAuthAuthenticator: GatewayAuthenticator {
    /// The authorization server.
    public let server: AuthorizationServer
    private let resources: [String: ProtectedResource]

    /// Creates the authenticator.
    ///
    /// - Parameters:
    ///   - server: the authorization server.
    ///   - resources: for each MCP endpoint path (`/mcp`, `/sse`, a virtual server's path),
    ///     the resource URL tokens for it must name.
    public init(server: AuthorizationServer, resources: [String: String]) {
        self.server = server
        self.resources = resources.mapValues { server.protectedResource($0) }
    }

    public func serves(path: Substring) -> Bool { server.handles(path: path) }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        try await server.respond(to: request, with: response)
    }

    public func authenticate(_ request: HTTPServerRequest, endpoint: String) -> GatewayAuthentication {
        guard let resource = resources[endpoint] else {
            return .refused(status: 404, fields: ["Content-Type": "text/plain"], body: Array("no such endpoint\n".utf8))
        }
        do {
            let principal = try resource.authenticate(authorization: request.header("Authorization"))
            return .authenticated(
                GatewayPrincipal(
                    subject: principal.subject, organization: principal.organization, teams: principal.teams,
                    clientID: principal.clientID, scopes: principal.scopes))
        } catch {
            var fields: HTTPFields = ["WWW-Authenticate": error.header, "Content-Type": "application/json"]
            fields.append(name: "Cache-Control", value: "no-store")
            let body =
                error.error?.body
                ?? Array(#"{"error":"invalid_token","error_description":"an access token is required"}"#.utf8)
            return .refused(status: error.status, fields: fields, body: body)
        }
    }
}

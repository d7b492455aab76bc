import MCPTransport

/// The gateway's HTTP surface besides MCP: `/healthz` (the process answers), `/readyz`
/// (every upstream is up, else 503 naming those that are not), `/metrics` (Prometheus
/// text), each virtual server's Streamable HTTP endpoint at its path, and the main MCP
/// endpoints for everything else.
struct GatewayEndpoints: HTTPResponder {
    let mcp: MCPHTTPEndpoints
    let handle: RouterHandle
    /// The virtual servers' endpoints, by path.
    let virtual: [String: StreamableHTTPServerTransport]
    /// More endpoints by path prefix.
    let routes: [String: any HTTPResponder]
    /// Who may reach the MCP endpoints, when the gateway authenticates.
    let authenticator: (any GatewayAuthenticator)?
    /// Who each session belongs to.
    let owners: SessionOwners

    func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        let router = handle.current
        switch request.head.path {
        case "/healthz":
            try await response.send(
                status: HTTPStatus(code: 200), fields: ["Content-Type": "text/plain"], body: Array("ok\n".utf8))
        case "/readyz":
            let down = router.supervisors.filter { $0.health != .up }.map(\.configuration.name)
            let body = down.isEmpty ? "ready\n" : down.map { "upstream \($0) is not running\n" }.joined()
            try await response.send(
                status: HTTPStatus(code: down.isEmpty ? 200 : 503), fields: ["Content-Type": "text/plain"],
                body: Array(body.utf8))
        case "/metrics":
            let breakers = router.breakerStates
            let upstreams = router.supervisors.enumerated().map { index, supervisor in
                (
                    name: supervisor.configuration.name, health: supervisor.health.rawValue,
                    restarts: supervisor.restartCount,
                    sessionLosses: supervisor.sessionLossCount, breaker: breakers[index]
                )
            }
            try await response.send(
                status: HTTPStatus(code: 200), fields: ["Content-Type": "text/plain; version=0.0.4"],
                body: Array(router.metrics.render(upstreams: upstreams).utf8))
        default:
            if let authenticator, authenticator.serves(path: request.head.path) {
                try await authenticator.respond(to: request, with: response)
            } else if let route = routes.first(where: { request.head.path.hasPrefix($0.key) }) {
                try await route.value.respond(to: request, with: response)
            } else if let server = virtual[String(request.head.path)] {
                try await authenticated(request, response, endpoint: String(request.head.path)) {
                    try await server.respond(to: request, with: response)
                }
            } else {
                let endpoint = mcp.isLegacy(path: request.head.path) ? "/sse" : String(request.head.path)
                try await authenticated(request, response, endpoint: endpoint) {
                    try await mcp.respond(to: request, with: response)
                }
            }
        }
    }

    /// Runs `body` for an authenticated caller, with the principal in the task's context;
    /// answers the refusal otherwise. Without an authenticator every caller passes.
    private func authenticated(
        _ request: HTTPServerRequest, _ response: HTTPServerResponse, endpoint: String,
        _ body: () async throws -> Void
    ) async throws {
        guard let authenticator else { return try await body() }
        switch authenticator.authenticate(request, endpoint: endpoint) {
        case .authenticated(let principal):
            if let session = SessionOwners.session(of: request),
                !owners.allows(session: session, subject: principal.subject)
            {
                // Another principal's session: answered as an unknown one.
                try await response.send(
                    status: HTTPStatus(code: 404), fields: ["Content-Type": "application/json"],
                    body: Array(
                        #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Session not found"}}"#.utf8))
                return
            }
            try await AuthenticatedCaller.$principal.withValue(principal) { try await body() }
        case .refused(let status, let fields, let body):
            try await response.send(status: HTTPStatus(code: status), fields: fields, body: body)
        }
    }
}

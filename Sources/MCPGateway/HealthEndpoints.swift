import MCPTransport

/// The gateway's HTTP surface: `/healthz` (the process answers), `/readyz` (the upstream is
/// up, else 503), and the MCP endpoints for everything else.
struct HealthEndpoints: HTTPResponder {
    let mcp: MCPHTTPEndpoints
    let supervisor: UpstreamSupervisor

    func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        switch request.head.path {
        case "/healthz":
            try await response.send(status: HTTPStatus(code: 200), fields: ["Content-Type": "text/plain"], body: Array("ok\n".utf8))
        case "/readyz":
            let ready = (try? supervisor.connection()) != nil
            try await response.send(
                status: HTTPStatus(code: ready ? 200 : 503), fields: ["Content-Type": "text/plain"],
                body: Array((ready ? "ready\n" : "upstream \(supervisor.configuration.name) is not running\n").utf8))
        default:
            try await mcp.respond(to: request, with: response)
        }
    }
}

// mcp-embedded-gateway: a small service of its own that mounts the whole MCP gateway among
// its routes, with no gatewayd involved.
//
//   mcp-embedded-gateway [PORT] [UPSTREAM-COMMAND]
//
// Its own route is GET /status; /mcp, /sse, /messages, /healthz and /readyz belong to the
// gateway, which fronts the example MCP server (or the given command) over stdio.

import Foundation
import MCPGateway
import MCPTransport

/// The host's own request handler: its routes first, then the gateway's.
struct HostService: HTTPResponder {
    let gateway: any HTTPResponder

    func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        switch request.head.path {
        case "/status":
            try await response.send(
                status: HTTPStatus(code: 200), fields: ["Content-Type": "application/json"],
                body: Array(#"{"service":"host","mcp":"/mcp"}"#.utf8))
        case "/mcp", "/sse", "/messages", "/healthz", "/readyz":
            try await gateway.respond(to: request, with: response)
        default:
            try await response.send(status: HTTPStatus(code: 404), body: Array("Not Found".utf8))
        }
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
let port = arguments.first.flatMap(UInt16.init) ?? 8090
let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let upstream = arguments.dropFirst().first ?? here.appendingPathComponent("mcp-example-server").path

let gateway = Gateway(
    configuration: GatewayConfiguration(upstreams: [.init(name: "example", command: upstream)]))
try await gateway.withResponder { responder in
    let server = HTTPServer(
        configuration: HTTPServerConfiguration(port: port), responder: HostService(gateway: responder))
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        let address = try await server.listeningAddress()
        print("listening on http://\(address) (MCP at /mcp)")
        fflush(nil)
        try await group.waitForAll()
    }
}

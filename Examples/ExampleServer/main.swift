// mcp-example-server: an MCP server with the tools echo, add, slow and big.
//
//   mcp-example-server                 serve on standard input and output
//   mcp-example-server --http PORT     serve Streamable HTTP on 127.0.0.1:PORT/mcp and
//                                      HTTP+SSE (2024-11-05) on /sse and /messages
//   mcp-example-server --help          this text
//
// Requests are handled concurrently; each answer is written as one line when ready.

import Glibc
import MCPCore
import MCPTransport

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
    print(
        "usage: mcp-example-server [--http PORT]\nAn MCP server with the tools echo, add, slow and big, on standard input and output or on Streamable HTTP."
    )
    exit(0)
}

let server = ExampleServer()

if let flag = arguments.firstIndex(of: "--http") {
    guard flag + 1 < arguments.count, let port = UInt16(arguments[flag + 1]) else {
        print("mcp-example-server: --http needs a port")
        exit(2)
    }
    let http = HTTPServer(
        configuration: HTTPServerConfiguration(port: port),
        responder: MCPHTTPEndpoints(handler: server))
    Task {
        if let address = try? await http.listeningAddress() {
            print("listening on http://\(address)/mcp")
            fflush(nil)
        }
    }
    try await http.run()
    exit(0)
}

let transport = StdioServerTransport()
let state = RevisionState()

// Requests are handled on the thread that reads standard input when it is a pipe (as
// when a client starts the server), so a request needs no hand-off between threads.
await withTaskExecutorPreference(transport.executor) {
    await serve(server, on: transport, state: state)
}

/// Reads requests and answers each in a task of its own. Not isolated to the main actor,
/// so that the loop runs on the preferred executor, as its tasks do.
nonisolated func serve(_ server: ExampleServer, on transport: StdioServerTransport, state: RevisionState) async {
    await withDiscardingTaskGroup { group in
        while let inbound = try? await transport.receive() {
            guard case .message(let message) = inbound else {
                if case .invalid(let failure) = inbound {
                    let error = failure.envelope?.jsonRPCError ?? JSONRPCError.invalidRequest("message too large")
                    try? transport.send(
                        JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: failure.envelope?.id, error: error))
                            .serialized)
                }
                continue
            }
            if message.method == "initialize",
                let requested = message.decodeParams()?["protocolVersion"]?.stringValue,
                let chosen = server.negotiation.answerInitialize(requested: requested)
            {
                state.set(chosen)
            }
            let revision =
                message.decodeMeta()?["io.modelcontextprotocol/protocolVersion"]?.stringValue
                .flatMap(ProtocolRevision.init(rawValue:)) ?? state.revision
            group.addTask {
                let answer = await server.handle(message, revision: revision) { notification in
                    try? transport.send(notification)
                }
                if let answer { try? transport.send(answer) }
            }
        }
    }
}

// mcp-example-server: an MCP server over stdio with the tools echo, add, slow and big.
//
//   mcp-example-server            serve on standard input and output
//   mcp-example-server --help     this text
//
// Requests are handled concurrently; each answer is written as one line when ready.

import Glibc
import MCPCore
import MCPTransport

if CommandLine.arguments.dropFirst().contains(where: { $0 == "--help" || $0 == "-h" }) {
    print("usage: mcp-example-server\nAn MCP server on standard input and output with the tools echo, add, slow and big.")
    exit(0)
}

let server = ExampleServer()
let transport = StdioServerTransport()
let state = RevisionState()

await withDiscardingTaskGroup { group in
    while let inbound = try? await transport.receive() {
        guard case .message(let message) = inbound else {
            if case .invalid(let failure) = inbound {
                let error = failure.envelope?.jsonRPCError ?? JSONRPCError.invalidRequest("message too large")
                try? transport.send(JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: failure.envelope?.id, error: error)).serialized)
            }
            continue
        }
        if message.method == "initialize",
            let requested = message.decodeParams()?["protocolVersion"]?.stringValue,
            let chosen = server.negotiation.answerInitialize(requested: requested)
        {
            state.set(chosen)
        }
        let revision = message.decodeMeta()?["io.modelcontextprotocol/protocolVersion"]?.stringValue
            .flatMap(ProtocolRevision.init(rawValue:)) ?? state.revision
        group.addTask {
            let answer = await server.handle(message, revision: revision) { notification in
                try? transport.send(notification)
            }
            if let answer { try? transport.send(answer) }
        }
    }
}

import MCPCore
import MCPTransport

/// The tools of the example server.
///
/// - `echo(text)`: returns the text.
/// - `add(a, b)`: returns the sum of two integers, also as structured content.
/// - `slow(steps, delayMs)`: waits `steps` times, sending a progress notification after
///   each step when the request carries a progress token.
/// - `big(kilobytes)`: returns a text of that many kilobytes.
enum ExampleTools {
    static let all: [Tool] = [
        Tool(
            name: "echo", description: "Returns its input.",
            inputSchema: ["type": "object", "properties": ["text": ["type": "string"]], "required": ["text"]],
            annotations: ToolAnnotations(readOnlyHint: true, openWorldHint: false)),
        Tool(
            name: "add", description: "Adds two integers.",
            inputSchema: [
                "type": "object", "properties": ["a": ["type": "integer"], "b": ["type": "integer"]], "required": ["a", "b"],
            ],
            outputSchema: ["type": "object", "properties": ["sum": ["type": "integer"]], "required": ["sum"]],
            annotations: ToolAnnotations(readOnlyHint: true, idempotentHint: true, openWorldHint: false)),
        Tool(
            name: "slow", description: "Takes its time, reporting progress.",
            inputSchema: [
                "type": "object",
                "properties": ["steps": ["type": "integer", "minimum": 1, "maximum": 100], "delayMs": ["type": "integer", "minimum": 0, "maximum": 10_000]],
            ],
            annotations: ToolAnnotations(readOnlyHint: true, openWorldHint: false)),
        Tool(
            name: "big", description: "Returns a large text.",
            inputSchema: ["type": "object", "properties": ["kilobytes": ["type": "integer", "minimum": 0, "maximum": 16384]], "required": ["kilobytes"]],
            annotations: ToolAnnotations(readOnlyHint: true, openWorldHint: false)),
    ]
}

/// An MCP server with a few tools, for tests, benchmarks and the quick start. It speaks
/// every revision: `initialize` for the legacy era and `server/discover` for 2026-07-28.
struct ExampleServer: Sendable {
    let negotiation = ProtocolNegotiation()
    let serverInfo = Implementation(name: "mcp-example-server", version: "1.0.0")

    /// Something that takes the server's outgoing notifications.
    typealias Notify = @Sendable ([UInt8]) async -> Void

    /// Answers one request; `nil` for notifications.
    func handle(_ message: MessageEnvelope, revision: ProtocolRevision, notify: Notify) async -> [UInt8]? {
        guard message.kind == .request, let id = message.id, let method = message.method else { return nil }
        do {
            switch method {
            case "initialize":
                let params = try JSONValueDecoder().decode(InitializeRequestParams.self, from: message.decodeParams() ?? [:])
                guard let chosen = negotiation.answerInitialize(requested: params.protocolVersion) else {
                    return error(id, JSONRPCError.methodNotFound(method))
                }
                let result = InitializeResult(
                    protocolVersion: chosen.rawValue, capabilities: ServerCapabilities(tools: .init(listChanged: false)),
                    serverInfo: serverInfo, instructions: "Example tools: echo, add, slow, big.")
                return try MCPResultMessage<Initialize>(id: id, result: result).encodedBytes(for: chosen)
            case "server/discover":
                let result = DiscoverResult(
                    supportedVersions: negotiation.supported.map(\.rawValue),
                    capabilities: ServerCapabilities(tools: .init(listChanged: false)),
                    meta: [MCPMetaKey.serverInfo: try JSONValueEncoder().encode(serverInfo)])
                return try MCPResultMessage<Discover>(id: id, result: result).encodedBytes(for: .v2026_07_28)
            case "ping":
                return JSONRPCMessage.response(JSONRPCResponse(id: id, result: [:])).serialized
            case "tools/list":
                return try MCPResultMessage<ListTools>(id: id, result: ListToolsResult(tools: ExampleTools.all))
                    .encodedBytes(for: revision)
            case "tools/call":
                let params = try JSONValueDecoder().decode(CallToolRequestParams.self, from: message.decodeParams() ?? [:])
                let progressToken = params.meta?[MCPMetaKey.progressToken].flatMap(JSONRPCID.init)
                let result = try await call(params.name, params.arguments ?? [:], progressToken: progressToken, revision: revision, notify: notify)
                return try MCPResultMessage<CallTool>(id: id, result: .complete(result)).encodedBytes(for: revision)
            default:
                return error(id, .methodNotFound(method))
            }
        } catch let error as JSONRPCError {
            return self.error(id, error)
        } catch {
            return self.error(id, .invalidParams("Invalid params: \(error)"))
        }
    }

    private func call(
        _ name: String, _ arguments: JSONObject, progressToken: ProgressToken?, revision: ProtocolRevision, notify: Notify
    ) async throws -> CallToolResult {
        switch name {
        case "echo":
            guard let text = arguments["text"]?.stringValue else { throw JSONRPCError.invalidParams("echo needs a string text") }
            return CallToolResult(content: [.text(TextContent(text: text))])
        case "add":
            guard let a = arguments["a"]?.numberValue?.int64Value, let b = arguments["b"]?.numberValue?.int64Value else {
                throw JSONRPCError.invalidParams("add needs two integers a and b")
            }
            let (sum, overflow) = a.addingReportingOverflow(b)
            guard !overflow else { throw JSONRPCError.invalidParams("the sum does not fit in 64 bits") }
            return CallToolResult(
                content: [.text(TextContent(text: String(sum)))],
                structuredContent: revision >= .v2025_06_18 ? ["sum": .number(JSONNumber(sum))] : nil)
        case "slow":
            let steps = Int(clamping: arguments["steps"]?.numberValue?.int64Value ?? 3)
            let delay = Int(clamping: arguments["delayMs"]?.numberValue?.int64Value ?? 100)
            guard (1...100).contains(steps), (0...10_000).contains(delay) else {
                throw JSONRPCError.invalidParams("slow takes 1 to 100 steps of 0 to 10000 ms")
            }
            for step in 1...steps {
                try await Task.sleep(for: .milliseconds(delay))
                if let progressToken {
                    let params = ProgressNotificationParams(
                        progressToken: progressToken, progress: Double(step), total: Double(steps),
                        message: revision >= .v2025_03_26 ? "step \(step) of \(steps)" : nil)
                    await notify(try MCPNotificationMessage<ProgressNotification>(params: params).encodedBytes(for: revision))
                }
            }
            return CallToolResult(content: [.text(TextContent(text: "done after \(steps) steps"))])
        case "big":
            let kilobytes = Int(clamping: arguments["kilobytes"]?.numberValue?.int64Value ?? -1)
            guard (0...16384).contains(kilobytes) else { throw JSONRPCError.invalidParams("big takes 0 to 16384 kilobytes") }
            let line = String(repeating: "0123456789abcdef", count: 4) + "\n"
            return CallToolResult(content: [.text(TextContent(text: String(repeating: line, count: kilobytes * 1024 / 65) + String(repeating: "x", count: kilobytes * 1024 % 65)))])
        default:
            throw JSONRPCError.invalidParams("Unknown tool: \(name)")
        }
    }

    private func error(_ id: JSONRPCID, _ error: JSONRPCError) -> [UInt8] {
        JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: id, error: error)).serialized
    }
}

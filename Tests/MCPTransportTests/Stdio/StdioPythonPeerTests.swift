import Foundation
import MCPCore
import Synchronization
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The stdio client transport against a server built on the official MCP Python SDK.
@Suite("Stdio transport with the Python SDK")
struct StdioPythonPeerTests {
    private static func receiveMessage(_ transport: StdioClientTransport) async throws -> MessageEnvelope {
        while let inbound = try await transport.receive() {
            if case .message(let envelope) = inbound { return envelope }
        }
        throw CancellationError()
    }

    private static func request(_ id: Int, _ method: String, _ params: JSONValue) -> [UInt8] {
        JSONValue.object(["jsonrpc": "2.0", "id": .number(JSONNumber(id)), "method": .string(method), "params": params]).serialized
    }

    @Test(arguments: ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"])
    func initializeListAndCall(revision: String) async throws {
        let loop = try EventLoop.start(name: "stdio-peer")
        defer { loop.stop() }
        let errorLines = Mutex<[String]>([])
        let transport = try await StdioClientTransport.start(
            ChildProcessConfiguration(executable: TestPeers.python, arguments: [TestPeers.script("python_stdio_server.py")]),
            on: loop
        ) { line in errorLines.withLock { $0.append(line) } }

        try await transport.send(
            Self.request(
                1, "initialize",
                ["protocolVersion": .string(revision), "capabilities": [:], "clientInfo": ["name": "gateway-test", "version": "1"]]))
        let initialized = try await Self.receiveMessage(transport)
        #expect(initialized.kind == .response)
        #expect(initialized.id == 1)
        let result = try #require(initialized.decodeResult())
        #expect(result["protocolVersion"] == .string(revision))
        #expect(result["serverInfo"]?["name"] == "python-peer")

        try await transport.send(Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8))
        // Pretty-printed input is framed onto one line.
        try await transport.send(Array("{\n  \"jsonrpc\": \"2.0\",\n  \"id\": 2,\n  \"method\": \"tools/list\"\n}".utf8))
        let list = try await Self.receiveMessage(transport)
        #expect(list.id == 2)
        let names = list.decodeResult()?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(Set(names) == ["echo", "add", "fail", "ask_model", "ask_user", "resolve_user", "resolve_model", "count_roots"])

        try await transport.send(Self.request(3, "tools/call", ["name": "echo", "arguments": ["text": "grüße\n\"quoted\""]]))
        let call = try await Self.receiveMessage(transport)
        #expect(call.id == 3)
        #expect(call.name == nil)
        #expect(call.decodeResult()?["content"]?.arrayValue?.first?["text"] == "grüße\n\"quoted\"")

        let exit = await transport.close()
        #expect(exit == .exited(0) || exit == .signaled(SIGTERM))
        #expect(errorLines.withLock { $0 }.contains("python peer starting on stdio"))
    }

    @Test func invalidLinesAreReportedAndTheStreamGoesOn() async throws {
        let loop = try EventLoop.start(name: "stdio-noise")
        defer { loop.stop() }
        let script = "print('not json'); print('{\"jsonrpc\":\"2.0\",\"id\":1}'); print('x' * 200); print('{\"jsonrpc\":\"2.0\",\"method\":\"n\"}')"
        let transport = try await StdioClientTransport.start(
            ChildProcessConfiguration(executable: TestPeers.python, arguments: ["-c", script]), on: loop, maxMessageBytes: 100)
        var codes: [String] = []
        var methods: [String] = []
        while let inbound = try await transport.receive() {
            switch inbound {
            case .message(let envelope): methods.append(envelope.method ?? "")
            case .invalid(let error): codes.append(error.code.description)
            }
        }
        #expect(codes == ["invalidMessage", "invalidMessage", "oversizedLine"])
        #expect(methods == ["n"])
        #expect(await transport.close() == .exited(0))
    }

    @Test func closeEscalatesForAServerThatIgnoresEndOfInput() async throws {
        let loop = try EventLoop.start(name: "stdio-stubborn")
        defer { loop.stop() }
        let transport = try await StdioClientTransport.start(
            ChildProcessConfiguration(executable: "/bin/sh", arguments: ["-c", "trap '' TERM; while true; do sleep 1; done"]), on: loop)
        let exit = await transport.close(gracePeriod: .milliseconds(100))
        #expect(exit == .signaled(SIGKILL))
    }
}

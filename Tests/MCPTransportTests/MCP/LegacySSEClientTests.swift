import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The HTTP+SSE client transport against a server built on the official MCP Python SDK.
@Suite("HTTP+SSE client transport")
struct LegacySSEClientTests {
    @Test func talksToThePythonSDKServerOverSSE() async throws {
        let loop = try EventLoop.start(name: "sdk-sse-server")
        defer { loop.stop() }
        let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!, backlog: 1, reusePort: false)
        let port = try #require(try socket.localAddress()).port
        socket.close()
        let server = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python,
                arguments: [TestPeers.script("python_stdio_server.py"), "sse", String(port)]),
            on: loop)
        let client = try HTTPClient()
        defer { client.shutdown() }
        let url = "http://127.0.0.1:\(port)/sse"
        var ready = false
        for _ in 0..<100 where !ready {
            if let response = try? await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/", timeout: .seconds(1)))
            {
                _ = try? await response.collectBody()
                ready = true
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try #require(ready)

        let transport = LegacySSEClientTransport(url: url, client: client)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await transport.run() }
            func message(_ text: String) throws -> MessageEnvelope { try MessageEnvelope(parsing: Array(text.utf8)) }
            try await transport.send(
                message(
                    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"gateway-test","version":"1"}}}"#
                ))
            let initialized = try #require(try await transport.receive())
            #expect(initialized.id == 1)
            #expect(initialized.decodeResult()?["protocolVersion"] == "2024-11-05")
            try await transport.send(message(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#))
            try await transport.send(
                message(
                    #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"über SSE"}}}"#
                ))
            var answer = try #require(try await transport.receive())
            while answer.kind != .response { answer = try #require(try await transport.receive()) }
            #expect(answer.id == 2)
            #expect(answer.decodeResult()?["content"]?.arrayValue?.first?["text"] == "über SSE")
            // The event stream lasts as long as the session: more than any one response
            // may carry (16 MiB) goes through it, and it stays open.
            let text = String(repeating: "x", count: 1 << 20)
            for id in 3..<21 {
                try await transport.send(
                    message(
                        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"echo","arguments":{"text":"\#(text)"}}}"#
                    ))
                var answer = try #require(try await transport.receive())
                while answer.kind != .response { answer = try #require(try await transport.receive()) }
                #expect(answer.id == JSONRPCID(Int64(id)))
                #expect(answer.decodeResult()?["content"]?.arrayValue?.first?["text"]?.stringValue?.count == 1 << 20)
            }
            _ = await server.terminate(gracePeriod: .seconds(2))
            try? await group.waitForAll()
        }
    }
}

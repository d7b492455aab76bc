import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The Streamable HTTP client transport against a server built on the official MCP
/// Python SDK, and against our own endpoint for session loss.
@Suite("Streamable HTTP client transport")
struct StreamableHTTPClientTests {
    private static func message(_ text: String) throws -> MessageEnvelope {
        try MessageEnvelope(parsing: Array(text.utf8))
    }

    private static func freePort() throws -> UInt16 {
        let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!, backlog: 1, reusePort: false)
        defer { socket.close() }
        return try #require(try socket.localAddress()).port
    }

    @Test func talksToThePythonSDKServer() async throws {
        let loop = try EventLoop.start(name: "sdk-server")
        defer { loop.stop() }
        let port = try Self.freePort()
        let server = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python, arguments: [TestPeers.script("python_stdio_server.py"), "streamable-http", String(port)]),
            on: loop)
        let client = try HTTPClient()
        defer { client.shutdown() }
        let url = "http://127.0.0.1:\(port)/mcp"

        // Wait for the server to listen.
        var ready = false
        for _ in 0..<100 where !ready {
            if let response = try? await client.execute(HTTPClientRequest(url: url, timeout: .seconds(1))) {
                _ = try? await response.collectBody()
                ready = true
            } else {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        try #require(ready)

        let transport = StreamableHTTPClientTransport(url: url, client: client)
        try await transport.send(
            Self.message(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"gateway-test","version":"1"}}}"#))
        let initialized = try #require(try await transport.receive())
        #expect(initialized.id == 1)
        #expect(initialized.decodeResult()?["serverInfo"]?["name"] == "python-peer")
        #expect(transport.revision == .v2025_06_18)
        #expect(transport.sessionID != nil)

        try await transport.send(Self.message(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#))
        try await transport.send(Self.message(#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":3}}}"#))
        var answer = try #require(try await transport.receive())
        while answer.kind != .response { answer = try #require(try await transport.receive()) }
        #expect(answer.id == 2)
        #expect(answer.decodeResult()?["content"]?.arrayValue?.first?["text"] == "5")

        try await transport.send(Self.message(#"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"no_such_tool","arguments":{}}}"#))
        let failed = try #require(try await transport.receive())
        #expect(failed.id == 3)
        #expect(failed.kind == .errorResponse || failed.decodeResult()?["isError"] == true)

        await transport.close()
        #expect(try await transport.receive() == nil)
        _ = await server.terminate(gracePeriod: .seconds(2))
    }

    @Test func aLostSessionIsReportedAsSuch() async throws {
        let server = HTTPServer(responder: StreamableHTTPServerTransport(handler: StreamableHTTPServerTests.EchoHandler()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress().port
            let client = try HTTPClient()
            defer { client.shutdown() }
            let url = "http://127.0.0.1:\(port)/mcp"
            let transport = StreamableHTTPClientTransport(url: url, client: client)
            try await transport.send(
                Self.message(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#))
            _ = try await transport.receive()
            let session = try #require(transport.sessionID)
            // Another party ends the session.
            let deleted = try await client.execute(HTTPClientRequest(method: "DELETE", url: url, headers: [("Mcp-Session-Id", session)]))
            _ = try await deleted.collectBody()
            await #expect {
                try await transport.send(Self.message(#"{"jsonrpc":"2.0","id":2,"method":"ping"}"#))
            } throws: { error in
                (error as? StreamableHTTPClientError)?.code == .sessionExpired
            }
            #expect(transport.sessionID == nil)
            server.shutdown(gracePeriod: .seconds(1))
            try await group.waitForAll()
        }
    }

    @Test func modernRequestsCarryTheirRoutingHeaders() async throws {
        let server = HTTPServer(responder: StreamableHTTPServerTransport(handler: StreamableHTTPServerTests.EchoHandler()))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress().port
            let client = try HTTPClient()
            defer { client.shutdown() }
            // Our server refuses a 2026-07-28 request without matching headers, so an
            // answer proves they were sent and agreed with the body.
            let transport = StreamableHTTPClientTransport(url: "http://127.0.0.1:\(port)/mcp", client: client, revision: .v2026_07_28)
            try await transport.send(Self.message(#"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"Zürich weather","arguments":{}}}"#))
            let answer = try #require(try await transport.receive())
            #expect(answer.decodeResult()?["revision"] == "2026-07-28")
            server.shutdown(gracePeriod: .seconds(1))
            try await group.waitForAll()
        }
    }
}

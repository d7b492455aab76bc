import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The HTTP+SSE transport of 2024-11-05: the official Python SDK's SSE client against the
/// example server, and the refusals over a real socket.
@Suite("HTTP+SSE server transport")
struct LegacySSEServerTests {
    @Test func theSDKClientUsesTheExampleServerOverSSE() async throws {
        let loop = try EventLoop.start(name: "sdk-sse")
        defer { loop.stop() }
        let server = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: TestPeers.exampleServer, arguments: ["--http", "0"]), on: loop)
        var framer = LineFramer()
        var base: String?
        while base == nil, let chunk = try await server.output.next() {
            for case .line(let line) in framer.feed(chunk) {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("listening on "), text.hasSuffix("/mcp") {
                    base = String(text.dropFirst("listening on ".count).dropLast("/mcp".count))
                }
            }
        }
        let errors = ErrorLines()
        let client = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python, arguments: [TestPeers.script("sdk_client.py"), "--sse", try #require(base) + "/sse"]),
            on: loop
        ) { line in errors.append(line) }
        var output: [UInt8] = []
        while let chunk = try await client.output.next() { output += chunk }
        #expect(await client.wait() == .exited(0), "\(errors.lines.suffix(20).joined(separator: "\n"))")
        _ = await server.terminate(gracePeriod: .seconds(2))
        let summary = try JSONValue(parsing: output)
        #expect(summary["tools"] == ["add", "big", "echo", "slow"])
        #expect(summary["structured"] == ["sum": 42])
        #expect(summary["progress"]?.arrayValue?.count == 3)
        #expect(summary["bigLength"] == 262_144)
        #expect(summary["unknownToolError"] == -32602)
    }

    @Test func refusals() async throws {
        let transport = LegacySSEServerTransport(
            configuration: .init(maxBodyBytes: 1024), handler: StreamableHTTPServerTests.EchoHandler())
        let server = HTTPServer(responder: transport)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress().port
            let client = try HTTPClient()
            defer { client.shutdown() }
            let base = "http://127.0.0.1:\(port)"
            func post(_ path: String, _ body: String) async throws -> Int {
                let response = try await client.execute(
                    HTTPClientRequest(method: "POST", url: base + path, headers: [("Content-Type", "application/json")], body: Array(body.utf8)))
                _ = try await response.collectBody()
                return response.status
            }
            #expect(try await post("/messages", #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == 404)
            #expect(try await post("/messages?session_id=nope", #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#) == 404)
            let get = try await client.execute(HTTPClientRequest(url: base + "/messages"))
            #expect(get.status == 405)
            _ = try await get.collectBody()

            // A real session: the endpoint event names it; a message too large is refused.
            let stream = try await client.execute(HTTPClientRequest(url: base + "/sse", timeout: nil))
            #expect(stream.status == 200)
            #expect(stream.header("Content-Type") == "text/event-stream")
            var parser = SSEParser()
            var endpoint: String?
            while endpoint == nil, let chunk = try await stream.body.next() {
                parser.append(chunk)
                while let event = try parser.next() {
                    if event.event == "endpoint" { endpoint = event.dataString }
                }
            }
            let path = try #require(endpoint)
            #expect(path.hasPrefix("/messages?session_id="))
            #expect(transport.sessionCount == 1)
            #expect(try await post(path, "{\"jsonrpc\":\"2.0\",\"method\":\"n\",\"params\":{\"p\":\"" + String(repeating: "a", count: 2000) + "\"}}") == 413)
            #expect(try await post(path, "{not json") == 400)
            #expect(try await post(path, #"{"jsonrpc":"2.0","id":7,"method":"tools/list"}"#) == 202)
            // The answer arrives on the stream.
            var answer: JSONValue?
            while answer == nil, let chunk = try await stream.body.next() {
                parser.append(chunk)
                while let event = try parser.next() {
                    if event.event == "message" { answer = try JSONValue(parsing: event.data ?? []) }
                }
            }
            #expect(answer?["id"] == 7)
            #expect(answer?["result"]?["echo"] == "tools/list")
            stream.body.cancel()
            server.shutdown(gracePeriod: .seconds(1))
            try await group.waitForAll()
        }
    }
}

import Foundation
import MCPCore
import Synchronization
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The Streamable HTTP server transport: the official Python SDK client against the
/// example server, and every refusal over a real socket.
@Suite("Streamable HTTP server transport")
struct StreamableHTTPServerTests {
    /// Answers every request with `{"echo": method}`; counts notifications.
    final class EchoHandler: MCPMessageHandler {
        let notifications = Atomic<Int>(0)

        func respond(to request: MessageEnvelope, context: MCPRequestContext, send: MCPRelatedMessageSender) async -> [UInt8] {
            if request.method == "initialize" {
                let version = request.decodeParams()?["protocolVersion"]?.stringValue ?? ""
                return JSONRPCMessage.response(JSONRPCResponse(id: request.id!, result: ["protocolVersion": .string(version)])).serialized
            }
            return JSONRPCMessage.response(
                JSONRPCResponse(id: request.id!, result: ["echo": .string(request.method ?? ""), "revision": .string(context.revision.rawValue)])
            ).serialized
        }

        func receive(_ message: MessageEnvelope, context: MCPRequestContext) async {
            notifications.add(1, ordering: .relaxed)
        }
    }

    private static func withEndpoint(_ body: (String, HTTPClient) async throws -> Void) async throws {
        try await withTransport { base, client, _ in try await body(base, client) }
    }

    private static func withTransport(
        maxReplayEvents: Int = 64, _ body: (String, HTTPClient, StreamableHTTPServerTransport) async throws -> Void
    ) async throws {
        let transport = StreamableHTTPServerTransport(
            configuration: .init(
                originPolicy: OriginPolicy(allowedOrigins: ["https://app.example.com"]), maxBodyBytes: 4096,
                maxReplayEvents: maxReplayEvents, keepAliveInterval: .milliseconds(200)),
            handler: EchoHandler())
        let server = HTTPServer(responder: transport)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let address = try await server.listeningAddress()
            let client = try HTTPClient()
            defer { client.shutdown() }
            do {
                try await body("http://127.0.0.1:\(address.port)", client, transport)
            } catch {
                server.shutdown(gracePeriod: .zero)
                throw error
            }
            server.shutdown(gracePeriod: .seconds(1))
            try await group.waitForAll()
        }
    }

    private static func post(
        _ client: HTTPClient, _ url: String, _ body: String, headers: [(String, String)] = []
    ) async throws -> (status: Int, headers: HTTPClientResponse, body: JSONValue?) {
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: url,
                headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")] + headers,
                body: Array(body.utf8)))
        let bytes = try await response.collectBody()
        return (response.status, response, bytes.isEmpty ? nil : try? JSONValue(parsing: bytes))
    }

    private static let initialize = #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#

    @Test func legacySessionsFromInitializeToDelete() async throws {
        try await Self.withEndpoint { base, client in
            let url = base + "/mcp"
            let opened = try await Self.post(client, url, Self.initialize)
            #expect(opened.status == 200)
            let session = try #require(opened.headers.header("Mcp-Session-Id"))
            #expect(session.count == 32)
            let sessionHeaders = [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")]

            let listed = try await Self.post(client, url, #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#, headers: sessionHeaders)
            #expect(listed.status == 200)
            #expect(listed.body?["result"]?["echo"] == "tools/list")
            #expect(listed.body?["result"]?["revision"] == "2025-06-18")

            let notified = try await Self.post(client, url, #"{"jsonrpc":"2.0","method":"notifications/initialized"}"#, headers: sessionHeaders)
            #expect(notified.status == 202)

            let missing = try await Self.post(client, url, #"{"jsonrpc":"2.0","id":3,"method":"ping"}"#)
            #expect(missing.status == 400)
            let unknown = try await Self.post(client, url, #"{"jsonrpc":"2.0","id":3,"method":"ping"}"#, headers: [("Mcp-Session-Id", "nope")])
            #expect(unknown.status == 404)

            let deleted = try await client.execute(HTTPClientRequest(method: "DELETE", url: url, headers: [("Mcp-Session-Id", session)]))
            #expect(deleted.status == 200)
            _ = try await deleted.collectBody()
            let gone = try await Self.post(client, url, #"{"jsonrpc":"2.0","id":4,"method":"ping"}"#, headers: sessionHeaders)
            #expect(gone.status == 404)
        }
    }

    @Test func refusals() async throws {
        try await Self.withEndpoint { base, client in
            let url = base + "/mcp"
            let wrongPath = try await Self.post(client, base + "/other", Self.initialize)
            #expect(wrongPath.status == 404)
            let origin = try await Self.post(client, url, Self.initialize, headers: [("Origin", "https://evil.example")])
            #expect(origin.status == 403)
            let allowedOrigin = try await Self.post(client, url, Self.initialize, headers: [("Origin", "https://app.example.com")])
            #expect(allowedOrigin.status == 200)

            let text = try await client.execute(
                HTTPClientRequest(method: "POST", url: url, headers: [("Content-Type", "text/plain")], body: Array("x".utf8)))
            #expect(text.status == 415)
            _ = try await text.collectBody()

            let big = try await Self.post(client, url, "{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":{\"p\":\"" + String(repeating: "a", count: 5000) + "\"}}")
            #expect(big.status == 413)

            let garbage = try await Self.post(client, url, "{not json", headers: [("MCP-Protocol-Version", "2026-07-28")])
            #expect(garbage.status == 400)
            #expect(garbage.body?["error"]?["code"] == -32700)
            #expect(garbage.body?["id"] == .null)

            let badVersion = try await Self.post(client, url, #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#, headers: [("MCP-Protocol-Version", "1900-01-01")])
            #expect(badVersion.status == 400)
            #expect(badVersion.body?["error"]?["code"] == -32022)
            #expect(badVersion.body?["error"]?["data"]?["requested"] == "1900-01-01")

            let get = try await client.execute(HTTPClientRequest(url: url))
            #expect(get.status == 406, "a GET stream needs Accept: text/event-stream")
            _ = try await get.collectBody()
            let put = try await client.execute(HTTPClientRequest(method: "PUT", url: url))
            #expect(put.status == 405)
            #expect(put.header("Allow") == "GET, POST, DELETE")
            _ = try await put.collectBody()
        }
    }

    /// Reads SSE events from a streaming body until `count` message events arrived.
    private static func readEvents(_ response: HTTPClientResponse, count: Int) async throws -> [ServerSentEvent] {
        var parser = SSEParser()
        var events: [ServerSentEvent] = []
        while events.count < count, let chunk = try await response.body.next() {
            parser.append(chunk)
            while let event = try parser.next() { events.append(event) }
        }
        return events
    }

    @Test func theStandaloneStreamDeliversServerMessagesAndReplaysWhatWasMissed() async throws {
        try await Self.withTransport(maxReplayEvents: 3) { base, client, transport in
            let url = base + "/mcp"
            let initialized = try await Self.post(client, url, Self.initialize)
            let session = try #require(initialized.headers.header("Mcp-Session-Id"))
            let accept = ("Accept", "text/event-stream")

            let noSession = try await client.execute(HTTPClientRequest(url: url, headers: [accept]))
            #expect(noSession.status == 400)
            _ = try await noSession.collectBody()
            let unknown = try await client.execute(HTTPClientRequest(url: url, headers: [accept, ("Mcp-Session-Id", "nope")]))
            #expect(unknown.status == 404)
            _ = try await unknown.collectBody()
            #expect(!transport.notify(session: "nope", Array("{}".utf8)))

            let stream = try await client.execute(HTTPClientRequest(url: url, headers: [accept, ("Mcp-Session-Id", session)], timeout: nil))
            #expect(stream.status == 200)
            #expect(stream.header("Content-Type") == "text/event-stream")
            let second = try await client.execute(HTTPClientRequest(url: url, headers: [accept, ("Mcp-Session-Id", session)]))
            #expect(second.status == 409, "one stream per session")
            _ = try await second.collectBody()

            let first = Array(#"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#.utf8)
            #expect(transport.notify(session: session, first))
            let received = try await Self.readEvents(stream, count: 1).filter { $0.data != nil }
            #expect(received.first?.id == "1")
            #expect(received.first?.data == first)
            stream.body.cancel()

            // Messages sent while no stream is open wait in the bounded buffer: the oldest
            // goes once more than three are queued.
            for index in 2...5 {
                transport.notify(session: session, Array(#"{"jsonrpc":"2.0","method":"notifications/message","params":{"n":\#(index)}}"#.utf8))
            }
            // The server notices the closed stream shortly; until then a new one is refused.
            var resumed = try await client.execute(
                HTTPClientRequest(url: url, headers: [accept, ("Mcp-Session-Id", session), ("Last-Event-ID", "1")], timeout: nil))
            for _ in 0..<50 where resumed.status == 409 {
                _ = try await resumed.collectBody()
                try await Task.sleep(for: .milliseconds(50))
                resumed = try await client.execute(
                    HTTPClientRequest(url: url, headers: [accept, ("Mcp-Session-Id", session), ("Last-Event-ID", "1")], timeout: nil))
            }
            #expect(resumed.status == 200)
            let replayed = try await Self.readEvents(resumed, count: 3).filter { $0.data != nil }
            #expect(replayed.map(\.id) == ["3", "4", "5"], "\(replayed.map(\.id))")
            resumed.body.cancel()

            // Deleting the session ends what the transport keeps for it.
            let delete = try await client.execute(HTTPClientRequest(method: "DELETE", url: url, headers: [("Mcp-Session-Id", session)]))
            #expect(delete.status == 200)
            _ = try await delete.collectBody()
            #expect(!transport.notify(session: session, first))
        }
    }

    @Test func modernRequestsAreStatelessAndTheirHeadersMustMatchTheBody() async throws {
        try await Self.withEndpoint { base, client in
            let url = base + "/mcp"
            let call = #"{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"echo","arguments":{}}}"#
            let good = try await Self.post(
                client, url, call, headers: [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"), ("Mcp-Name", "echo")])
            #expect(good.status == 200)
            #expect(good.body?["result"]?["revision"] == "2026-07-28")
            #expect(good.headers.header("Mcp-Session-Id") == nil)

            for headers in [
                [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/call"), ("Mcp-Name", "delete_all")],
                [("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "tools/list"), ("Mcp-Name", "echo")],
                [("MCP-Protocol-Version", "2026-07-28")],
            ] {
                let refused = try await Self.post(client, url, call, headers: headers)
                #expect(refused.status == 400)
                #expect(refused.body?["error"]?["code"] == -32020)
                #expect(refused.body?["id"] == 7)
            }
        }
    }

    @Test func batchesOnlyIn20250326() async throws {
        try await Self.withEndpoint { base, client in
            let url = base + "/mcp"
            let opened = try await Self.post(client, url, Self.initialize.replacing("2025-06-18", with: "2025-03-26"))
            let session = try #require(opened.headers.header("Mcp-Session-Id"))
            let batch = #"[{"jsonrpc":"2.0","id":1,"method":"a"},{"jsonrpc":"2.0","method":"n"},{"jsonrpc":"2.0","id":2}]"#
            let answered = try await Self.post(client, url, batch, headers: [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-03-26")])
            #expect(answered.status == 200)
            let answers = try #require(answered.body?.arrayValue)
            #expect(answers.count == 2)
            #expect(answers[0]["result"]?["echo"] == "a")
            #expect(answers[1]["error"]?["code"] == -32600)

            let modern = try await Self.post(client, url, batch, headers: [("MCP-Protocol-Version", "2025-06-18"), ("Mcp-Session-Id", session)])
            #expect(modern.status == 400)
            #expect(modern.body?["error"]?["code"] == -32600)
        }
    }

    @Test(arguments: [nil, "2025-03-26", "2025-06-18", "2025-11-25"])
    func theSDKClientUsesTheExampleServerOverStreamableHTTP(revision: String?) async throws {
        let loop = try EventLoop.start(name: "sdk-http")
        defer { loop.stop() }
        let server = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: TestPeers.exampleServer, arguments: ["--http", "0"]), on: loop)
        var framer = LineFramer()
        var url: String?
        while url == nil, let chunk = try await server.output.next() {
            for case .line(let line) in framer.feed(chunk) {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("listening on ") { url = String(text.dropFirst("listening on ".count)) }
            }
        }
        let errors = ErrorLines()
        let client = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python,
                arguments: [TestPeers.script("sdk_client.py"), "--http", try #require(url)] + (revision.map { ["--revision", $0] } ?? [])),
            on: loop
        ) { line in errors.append(line) }
        var output: [UInt8] = []
        while let chunk = try await client.output.next() { output += chunk }
        #expect(await client.wait() == .exited(0), "\(errors.lines.suffix(20).joined(separator: "\n"))")
        _ = await server.terminate(gracePeriod: .seconds(2))
        let summary = try JSONValue(parsing: output)
        #expect(summary["tools"] == ["add", "big", "echo", "slow"])
        if let revision { #expect(summary["protocolVersion"] == .string(revision), "the SDK spoke \(revision)") }
        #expect(summary["progress"]?.arrayValue?.count == 3, "progress arrives over the event stream")
        #expect(summary["bigLength"] == 262_144)
        #expect(summary["unknownToolError"] == -32602)
    }
}

@Suite("Streamable HTTP cancellation")
struct StreamableHTTPCancellationTests {
    /// Waits a long time in every request, and records whether it was cancelled.
    final class SlowHandler: MCPMessageHandler {
        let started = Atomic<Bool>(false)
        let cancelled = Atomic<Bool>(false)

        func respond(to request: MessageEnvelope, context: MCPRequestContext, send: MCPRelatedMessageSender) async -> [UInt8] {
            started.store(true, ordering: .relaxed)
            do {
                try await Task.sleep(for: .seconds(30))
            } catch {
                cancelled.store(true, ordering: .relaxed)
            }
            return JSONRPCMessage.response(JSONRPCResponse(id: request.id!, result: [:])).serialized
        }

        func receive(_ message: MessageEnvelope, context: MCPRequestContext) async {}
    }

    @Test func closingTheConnectionCancelsTheRequest() async throws {
        let handler = SlowHandler()
        let server = HTTPServer(responder: StreamableHTTPServerTransport(handler: handler))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress().port
            do {
                let body = #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow","arguments":{}}}"#
                let connection = try RawConnection(port: port)
                connection.send(
                    "POST /mcp HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                        + "MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: slow\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                for _ in 0..<100 where !handler.started.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(20)) }
                let started = handler.started.load(ordering: .relaxed)
                #expect(started)
            }
            // The connection is released here: the client went away.
            for _ in 0..<100 where !handler.cancelled.load(ordering: .relaxed) { try await Task.sleep(for: .milliseconds(20)) }
            let cancelled = handler.cancelled.load(ordering: .relaxed)
            #expect(cancelled, "the handler kept working for a client that went away")
            server.shutdown(gracePeriod: .seconds(1))
            try await group.waitForAll()
        }
    }
}

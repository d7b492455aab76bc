import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// A stateless 2026-07-28 client through the gateway to legacy-era upstreams: the gateway
/// answers `server/discover`, and every result it returns validates against the 2026-07-28
/// schema (checked with the Python `jsonschema` package, not by the gateway's own code).
@Suite("Gateway revision bridge")
struct GatewayRevisionBridgeTests {
    static func modernPost(_ url: String, method: String, name: String? = nil, _ body: String) async throws -> JSONValue
    {
        let client = try HTTPClient()
        defer { client.shutdown() }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
            ("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", method),
        ]
        if let name { headers.append(("Mcp-Name", name)) }
        let response = try await client.execute(
            HTTPClientRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8)))
        return try JSONValue(parsing: try await response.collectBody())
    }

    @Test func aModernClientGetsResultsInItsOwnForm() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(name: "example", command: TestPeers.exampleServer),
                .init(name: "py", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")]),
            ])
        let meta =
            #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}"#
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let url = base + "/mcp"
            let discover = try await Self.modernPost(
                url, method: "server/discover",
                #"{"jsonrpc":"2.0","id":1,"method":"server/discover","params":{\#(meta)}}"#)
            #expect(discover["result"]?["supportedVersions"]?.arrayValue?.first == "2026-07-28")
            #expect(discover["result"]?["capabilities"]?["tools"] != nil)
            let list = try await Self.modernPost(
                url, method: "tools/list", #"{"jsonrpc":"2.0","id":2,"method":"tools/list","params":{\#(meta)}}"#)
            #expect(list["result"]?["resultType"] == "complete")
            let call = try await Self.modernPost(
                url, method: "tools/call", name: "py__add",
                #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{\#(meta),"name":"py__add","arguments":{"a":20,"b":22}}}"#
            )
            #expect(call["result"]?["content"]?.arrayValue?.first?["text"] == "42")
            let prompt = try await Self.modernPost(
                url, method: "prompts/get", name: "py__greet",
                #"{"jsonrpc":"2.0","id":4,"method":"prompts/get","params":{\#(meta),"name":"py__greet","arguments":{"name":"Ada"}}}"#
            )
            let read = try await Self.modernPost(
                url, method: "resources/read", name: "test://greeting",
                #"{"jsonrpc":"2.0","id":5,"method":"resources/read","params":{\#(meta),"uri":"test://greeting"}}"#)
            let ping = try await Self.modernPost(
                url, method: "ping", #"{"jsonrpc":"2.0","id":6,"method":"ping","params":{\#(meta)}}"#)

            // Validate every answer against the 2026-07-28 schema with jsonschema.
            let directory = NSTemporaryDirectory() + "bridge-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let samples: [(String, JSONValue, String)] = [
                ("discover.json", discover, "DiscoverResultResponse"), ("list.json", list, "ListToolsResultResponse"),
                ("call.json", call, "CallToolResultResponse"), ("prompt.json", prompt, "GetPromptResultResponse"),
                ("read.json", read, "ReadResourceResultResponse"), ("ping.json", ping, "JSONRPCResultResponse"),
            ]
            var checks: [JSONValue] = []
            for (file, value, definition) in samples {
                try Data(value.serialized).write(to: URL(fileURLWithPath: directory + "/" + file))
                checks.append(["file": .string(file), "checks": [["definition": .string(definition), "pointer": ""]]])
            }
            let manifest: JSONValue = ["revision": "2026-07-28", "samples": .array(checks)]
            try Data(manifest.serialized).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
            let loop = try EventLoop.start(name: "validate")
            defer { loop.stop() }
            let validator = try await ChildProcess.spawn(
                ChildProcessConfiguration(
                    executable: TestPeers.python,
                    arguments: [
                        TestPeers.script("validate_schema.py"),
                        TestPeers.repositoryRoot.appendingPathComponent(
                            "Tests/Fixtures/mcp-schema/2026-07-28/schema.json"
                        ).path,
                        directory + "/manifest.json",
                    ]), on: loop)
            var output: [UInt8] = []
            while let chunk = try await validator.output.next() { output += chunk }
            let text = String(decoding: output, as: UTF8.self)
            #expect(await validator.wait() == .exited(0), "\(text)")
            #expect(text.contains("validated 6 files, 6 checks"), "\(text)")
        }
    }

    @Test func theBridgeStripsModernMetaForLegacyUpstreamsAndModernMembersForLegacyClients() throws {
        let request = try MessageEnvelope(
            parsing: Array(
                #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","progressToken":7},"name":"x"}}"#
                    .utf8))
        let legacy = RevisionBridge.requestForLegacyUpstream(request)
        #expect(legacy.decodeMeta() == ["progressToken": 7])
        #expect(legacy.name == "x")

        let modernResult = try MessageEnvelope(
            parsing: Array(
                #"{"jsonrpc":"2.0","id":1,"result":{"resultType":"complete","tools":[],"ttlMs":5,"cacheScope":"public"}}"#
                    .utf8))
        let forLegacy = RevisionBridge.response(modernResult, for: "tools/list", clientRevision: .v2025_06_18)
        #expect(forLegacy.decodeResult() == ["tools": []])
        let legacyResult = try MessageEnvelope(
            parsing: Array(#"{"jsonrpc":"2.0","id":"a","result":{"tools":[]}}"#.utf8))
        let forModern = RevisionBridge.response(legacyResult, for: "tools/list", clientRevision: .v2026_07_28)
        #expect(
            forModern.decodeResult() == ["tools": [], "resultType": "complete", "ttlMs": 0, "cacheScope": "private"])
        #expect(forModern.id == "a")
    }
}

/// A 2026-07-28 upstream (stateless, `server/discover`) behind the gateway, reached by
/// legacy-era clients: the official Python SDK client and a 2024-11-05 client over HTTP+SSE.
@Suite("Gateway in front of a 2026-07-28 upstream")
struct GatewayModernUpstreamTests {
    @Test func legacyClientsReachAModernUpstream() async throws {
        let loop = try EventLoop.start(name: "modern")
        defer { loop.stop() }
        let port = try PythonPeerProcess.freePort()
        let upstream = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: TestPeers.exampleServer, arguments: ["--http", String(port)]),
            on: loop)
        var banner: [UInt8] = []
        while !banner.contains(UInt8(ascii: "\n")), let chunk = try await upstream.output.next() { banner += chunk }
        var modern = GatewayConfiguration.Upstream(
            name: "modern", endpoint: .streamableHTTP(url: "http://127.0.0.1:\(port)/mcp"))
        modern.revision = .v2026_07_28
        let configuration = GatewayConfiguration(
            listen: .init(port: 0), upstreams: [modern, .init(name: "legacy", command: TestPeers.exampleServer)])
        do {
            try await Self.exercise(configuration, on: loop)
        } catch {
            _ = await upstream.terminate(gracePeriod: .seconds(1))
            throw error
        }
        _ = await upstream.terminate(gracePeriod: .seconds(1))
    }

    static func exercise(_ configuration: GatewayConfiguration, on loop: EventLoop) async throws {
        try await GatewayMultiUpstreamTests.withGateway(configuration) { gateway, base in
            #expect(gateway.router?.supervisors[0].catalog?.initializeResult["protocolVersion"] == "2026-07-28")
            let summary = try await GatewayMultiUpstreamTests.runSDKClient([base + "/mcp"], on: loop)
            #expect(summary["calls"]?["modern__echo"] == "via modern__echo", "\(summary)")
            #expect(summary["calls"]?["modern__add"] == "42")
            #expect(summary["calls"]?["legacy__add"] == "42")

            // A 2025-06-18 client gets results in its own form: no resultType.
            let session = try await GatewayMultiUpstreamTests.initialize(base + "/mcp")
            let call = try await GatewayMultiUpstreamTests.post(
                base + "/mcp", session: session,
                #"{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"modern__add","arguments":{"a":1,"b":2}}}"#
            )
            #expect(call["result"]?["content"]?.arrayValue?.first?["text"] == "3", "\(call)")
            #expect(call["result"]?["resultType"] == nil)

            // A 2024-11-05 client over HTTP+SSE.
            let sse = try await GatewayMultiUpstreamTests.runSDKClient([base + "/sse", "--sse"], on: loop)
            #expect(sse["calls"]?["modern__echo"] == "via modern__echo", "\(sse)")
        }
    }
}

/// `subscriptions/listen` of 2026-07-28: a stateless client hears that an upstream's tool
/// list changed.
@Suite("Gateway subscriptions for 2026-07-28 clients")
struct GatewayListenTests {
    @Test func aListenerHearsThatTheToolListChanged() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [.init(name: "peer", command: TestPeers.python, args: [TestPeers.script("inspect_server.py")])])
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let meta =
                #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}"#
            var listen = try await ListenStream.open(
                client, url: base + "/mcp", meta: meta, id: "listen-1",
                notifications: #"{"toolsListChanged":true,"resourceSubscriptions":["x://y"]}"#)
            #expect(listen.response.status == 200)
            let acknowledged = try #require(try await listen.nextMessage())
            #expect(acknowledged["method"] == "notifications/subscriptions/acknowledged")
            #expect(acknowledged["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == "listen-1")
            #expect(
                acknowledged["params"]?["notifications"] == ["toolsListChanged": true, "resourceSubscriptions": []])

            let changed = try await GatewayRevisionBridgeTests.modernPost(
                base + "/mcp", method: "tools/call", name: "rug_pull",
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{\#(meta),"name":"rug_pull","arguments":{}}}"#)
            #expect(changed["result"]?["content"]?.arrayValue?.first?["text"] == "changed")
            let notification = try #require(try await listen.nextMessage())
            #expect(notification["method"] == "notifications/tools/list_changed")
            #expect(notification["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == "listen-1")
            listen.response.body.cancel()
        }
    }
}

/// `subscriptions/listen` with resource subscriptions: the gateway subscribes upstream and
/// passes each update on.
@Suite("Gateway resource subscriptions for 2026-07-28 clients")
struct GatewayListenResourceTests {
    @Test func aListenerHearsResourceUpdates() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [.init(name: "res", command: TestPeers.python, args: [TestPeers.script("resource_server.py")])])
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let meta =
                #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}"#
            var listen = try await ListenStream.open(
                client, url: base + "/mcp", meta: meta, id: "l",
                notifications: #"{"resourceSubscriptions":["example://counter","nowhere://x"]}"#)
            let acknowledged = try #require(try await listen.nextMessage())
            #expect(
                acknowledged["params"]?["notifications"]?["resourceSubscriptions"] == ["example://counter"],
                "\(acknowledged)")
            let bumped = try await GatewayRevisionBridgeTests.modernPost(
                base + "/mcp", method: "tools/call", name: "bump",
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{\#(meta),"name":"bump","arguments":{}}}"#)
            #expect(bumped["result"]?["content"]?.arrayValue?.first?["text"] == "1")
            let update = try #require(try await listen.nextMessage())
            #expect(update["method"] == "notifications/resources/updated")
            #expect(update["params"]?["uri"] == "example://counter")
            #expect(update["params"]?["_meta"]?["io.modelcontextprotocol/subscriptionId"] == "l")
            listen.response.body.cancel()
        }
    }
}

/// A `subscriptions/listen` request of 2026-07-28 and the messages of its event stream.
struct ListenStream {
    let response: HTTPClientResponse
    private var parser = SSEParser()

    private init(response: HTTPClientResponse) {
        self.response = response
    }

    /// Sends `subscriptions/listen` with `meta` (the `"_meta":{...}` member) and
    /// `notifications` (a JSON object).
    static func open(
        _ client: HTTPClient, url: String, meta: String, id: String, notifications: String
    ) async throws -> ListenStream {
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: url,
                headers: [
                    ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
                    ("MCP-Protocol-Version", "2026-07-28"), ("Mcp-Method", "subscriptions/listen"),
                ],
                body: Array(
                    #"{"jsonrpc":"2.0","id":"\#(id)","method":"subscriptions/listen","params":{\#(meta),"notifications":\#(notifications)}}"#
                        .utf8),
                timeout: nil))
        return ListenStream(response: response)
    }

    /// The next message of the stream, or `nil` when it ended.
    mutating func nextMessage() async throws -> JSONValue? {
        while true {
            if let event = try parser.next(), let data = event.data { return try JSONValue(parsing: data) }
            guard let chunk = try await response.body.next() else { return nil }
            parser.append(chunk)
        }
    }
}

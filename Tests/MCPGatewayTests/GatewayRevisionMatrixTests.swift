import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// Every client revision through the gateway to an upstream of every revision: five
/// upstreams (2024-11-05 to 2025-11-25 over stdio, 2026-07-28 over Streamable HTTP), five
/// clients (2024-11-05 over HTTP+SSE, the others over Streamable HTTP, 2026-07-28
/// stateless). Each of the 25 answers must be right and validate against the schema of
/// the client's revision (checked with the Python `jsonschema` package).
@Suite("Gateway revision matrix")
struct GatewayRevisionMatrixTests {
    static let upstreamRevisions: [ProtocolRevision] = [
        .v2024_11_05, .v2025_03_26, .v2025_06_18, .v2025_11_25, .v2026_07_28,
    ]

    static func name(_ revision: ProtocolRevision) -> String {
        "r" + revision.rawValue.replacingOccurrences(of: "-", with: "")
    }

    static func call(_ upstream: ProtocolRevision, id: Int) -> String {
        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(name(upstream))__add","arguments":{"a":40,"b":2}}}"#
    }

    @Test func everyClientRevisionReachesEveryUpstreamRevision() async throws {
        let loop = try EventLoop.start(name: "matrix")
        defer { loop.stop() }
        let port = try PythonPeerProcess.freePort()
        let modern = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: TestPeers.exampleServer, arguments: ["--http", String(port)]),
            on: loop)
        var banner: [UInt8] = []
        while !banner.contains(UInt8(ascii: "\n")), let chunk = try await modern.output.next() { banner += chunk }
        var upstreams: [GatewayConfiguration.Upstream] = []
        for revision in Self.upstreamRevisions {
            var upstream =
                revision == .v2026_07_28
                ? GatewayConfiguration.Upstream(
                    name: Self.name(revision), endpoint: .streamableHTTP(url: "http://127.0.0.1:\(port)/mcp"))
                : GatewayConfiguration.Upstream(name: Self.name(revision), command: TestPeers.exampleServer)
            upstream.revision = revision
            upstreams.append(upstream)
        }
        do {
            try await GatewayMultiUpstreamTests.withGateway(
                GatewayConfiguration(listen: .init(port: 0), upstreams: upstreams)
            ) { gateway, base in
                for (index, supervisor) in gateway.router?.supervisors.enumerated() ?? [].enumerated() {
                    #expect(
                        supervisor.catalog?.initializeResult["protocolVersion"]
                            == .string(Self.upstreamRevisions[index].rawValue),
                        "each upstream speaks its revision")
                }
                var answers: [ProtocolRevision: [JSONValue]] = [:]
                answers[.v2024_11_05] = try await Self.legacySSEClient(base)
                for revision in [ProtocolRevision.v2025_03_26, .v2025_06_18, .v2025_11_25] {
                    answers[revision] = try await Self.streamableClient(base, revision: revision)
                }
                answers[.v2026_07_28] = try await Self.modernClient(base)
                for (revision, list) in answers {
                    #expect(list.count == 5, "\(revision)")
                    for answer in list {
                        #expect(
                            answer["result"]?["content"]?.arrayValue?.first?["text"] == "42", "\(revision): \(answer)")
                        #expect(
                            (answer["result"]?["resultType"] != nil) == (revision == .v2026_07_28),
                            "\(revision): \(answer)")
                    }
                    try await Self.validate(list, revision: revision, on: loop)
                }
            }
        } catch {
            _ = await modern.terminate(gracePeriod: .seconds(1))
            throw error
        }
        _ = await modern.terminate(gracePeriod: .seconds(1))
    }

    /// A 2024-11-05 client over HTTP+SSE.
    static func legacySSEClient(_ base: String) async throws -> [JSONValue] {
        let client = try HTTPClient()
        defer { client.shutdown() }
        let transport = LegacySSEClientTransport(url: base + "/sse", client: client)
        return try await withThrowingTaskGroup(of: [JSONValue]?.self) { group in
            group.addTask {
                try? await transport.run()
                return nil
            }
            group.addTask {
                try await transport.send(
                    MessageEnvelope(
                        parsing: Array(
                            #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2024-11-05","capabilities":{},"clientInfo":{"name":"matrix","version":"1"}}}"#
                                .utf8)))
                let initialized = try await transport.receive()
                #expect(initialized?.decodeResult()?["protocolVersion"] == "2024-11-05")
                try await transport.send(
                    MessageEnvelope(parsing: Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8)))
                var answers: [JSONValue] = []
                for (index, upstream) in Self.upstreamRevisions.enumerated() {
                    try await transport.send(MessageEnvelope(parsing: Array(Self.call(upstream, id: index + 1).utf8)))
                    while let message = try await transport.receive() {
                        guard message.kind == .response || message.kind == .errorResponse else { continue }
                        answers.append(try JSONValue(parsing: message.bytes))
                        break
                    }
                }
                return answers
            }
            var result: [JSONValue] = []
            while let next = try await group.next() {
                if let answers = next {
                    result = answers
                    group.cancelAll()
                }
            }
            return result
        }
    }

    /// A legacy-era client over Streamable HTTP, with a session.
    static func streamableClient(_ base: String, revision: ProtocolRevision) async throws -> [JSONValue] {
        let client = try HTTPClient()
        defer { client.shutdown() }
        let initialize = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: base + "/mcp",
                headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")],
                body: Array(
                    #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"\#(revision.rawValue)","capabilities":{},"clientInfo":{"name":"matrix","version":"1"}}}"#
                        .utf8)))
        let initialized = try JSONValue(parsing: try await initialize.collectBody())
        #expect(initialized["result"]?["protocolVersion"] == .string(revision.rawValue))
        let session = try #require(initialize.header("Mcp-Session-Id"))
        var answers: [JSONValue] = []
        for (index, upstream) in upstreamRevisions.enumerated() {
            let response = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: base + "/mcp",
                    headers: [
                        ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
                        ("Mcp-Session-Id", session), ("MCP-Protocol-Version", revision.rawValue),
                    ],
                    body: Array(call(upstream, id: index + 1).utf8)))
            answers.append(try JSONValue(parsing: try await response.collectBody()))
        }
        return answers
    }

    /// A stateless 2026-07-28 client.
    static func modernClient(_ base: String) async throws -> [JSONValue] {
        var answers: [JSONValue] = []
        for (index, upstream) in upstreamRevisions.enumerated() {
            let meta =
                #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"matrix","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}"#
            let body =
                #"{"jsonrpc":"2.0","id":\#(index + 1),"method":"tools/call","params":{\#(meta),"name":"\#(name(upstream))__add","arguments":{"a":40,"b":2}}}"#
            answers.append(
                try await GatewayRevisionBridgeTests.modernPost(
                    base + "/mcp", method: "tools/call", name: "\(name(upstream))__add", body))
        }
        return answers
    }

    /// Validates each answer's result as a CallToolResult of `revision`.
    static func validate(_ answers: [JSONValue], revision: ProtocolRevision, on loop: EventLoop) async throws {
        let directory = NSTemporaryDirectory() + "matrix-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var samples: [JSONValue] = []
        for (index, answer) in answers.enumerated() {
            try Data(answer.serialized).write(to: URL(fileURLWithPath: directory + "/\(index).json"))
            samples.append([
                "file": .string("\(index).json"), "checks": [["definition": "CallToolResult", "pointer": "/result"]],
            ])
        }
        let manifest: JSONValue = ["revision": .string(revision.rawValue), "samples": .array(samples)]
        try Data(manifest.serialized).write(to: URL(fileURLWithPath: directory + "/manifest.json"))
        let validator = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python,
                arguments: [
                    TestPeers.script("validate_schema.py"),
                    TestPeers.repositoryRoot.appendingPathComponent(
                        "Tests/Fixtures/mcp-schema/\(revision.rawValue)/schema.json"
                    ).path,
                    directory + "/manifest.json",
                ]), on: loop)
        var output: [UInt8] = []
        while let chunk = try await validator.output.next() { output += chunk }
        let text = String(decoding: output, as: UTF8.self)
        #expect(await validator.wait() == .exited(0), "\(revision): \(text)")
        #expect(text.contains("validated 5 files, 5 checks"), "\(revision): \(text)")
    }
}

/// `"revision": "auto"`: the gateway probes with `server/discover` and speaks 2026-07-28 to
/// an upstream that does, and initializes any other.
@Suite("Gateway revision probing")
struct GatewayRevisionProbeTests {
    @Test func theGatewayFindsEachUpstreamsEra() async throws {
        let configuration = try GatewayConfiguration(
            parsing: Array(#"{"upstreams":[{"name":"a","command":"x","revision":"auto"}]}"#.utf8))
        #expect(configuration.upstreams[0].probesRevision && configuration.upstreams[0].revision == nil)

        let loop = try EventLoop.start(name: "probe")
        defer { loop.stop() }
        let port = try PythonPeerProcess.freePort()
        let legacy = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python,
                arguments: [TestPeers.script("forgetful_server.py"), String(port), "prose"]), on: loop)
        var banner: [UInt8] = []
        while !banner.contains(UInt8(ascii: "\n")), let chunk = try await legacy.output.next() { banner += chunk }
        var example = GatewayConfiguration.Upstream(name: "example", command: TestPeers.exampleServer)
        example.probesRevision = true
        var old = GatewayConfiguration.Upstream(
            name: "old", endpoint: .streamableHTTP(url: "http://127.0.0.1:\(port)/mcp"))
        old.probesRevision = true
        var python = GatewayConfiguration.Upstream(
            name: "py", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")])
        python.probesRevision = true
        do {
            try await GatewayMultiUpstreamTests.withGateway(
                GatewayConfiguration(listen: .init(port: 0), upstreams: [example, old, python])
            ) { gateway, base in
                let revisions =
                    gateway.router?.supervisors.map { $0.catalog?.initializeResult["protocolVersion"] } ?? []
                #expect(revisions == ["2026-07-28", "2025-11-25", "2026-07-28"], "\(revisions)")
                let summary = try await GatewayMultiUpstreamTests.runSDKClient(
                    [
                        base + "/mcp", "--call", "old__echo", #"{"text":"still legacy"}"#, "--call", "py__resolve_user",
                        #"{"question":"q"}"#,
                    ],
                    on: loop)
                #expect(summary["calls"]?["example__add"] == "42", "\(summary)")
                #expect(summary["calledAll"]?["old__echo"]?["text"] == "still legacy")
                #expect(summary["calledAll"]?["py__resolve_user"]?["text"] == "user said: forty-two")
            }
        } catch {
            _ = await legacy.terminate(gracePeriod: .seconds(1))
            throw error
        }
        _ = await legacy.terminate(gracePeriod: .seconds(1))
    }
}

import Foundation
import MCPCore
import MCPTestSupport
import MCPTransport
import Synchronization
import Testing

@testable import MCPGateway

/// Log records kept in memory, for tests that check what the gateway logs.
final class MemoryLogSink: GatewayLogSink {
    let records = Mutex<[(level: GatewayLogLevel, event: String, fields: JSONObject)]>([])

    func write(level: GatewayLogLevel, event: String, fields: JSONObject) {
        records.withLock { $0.append((level, event, fields)) }
    }

    func events(_ name: String) -> [JSONObject] {
        records.withLock { $0.filter { $0.event == name }.map(\.fields) }
    }
}

/// One gateway in front of four upstreams (the example server and the Python SDK server
/// over stdio, the Python SDK server over Streamable HTTP and over HTTP+SSE), driven by
/// the official Python SDK client.
@Suite("Gateway with several upstreams")
struct GatewayMultiUpstreamTests {
    static func withGateway(
        _ configuration: GatewayConfiguration, interceptors: [any GatewayInterceptor] = [],
        logSink: MemoryLogSink = MemoryLogSink(),
        _ body: (Gateway, String) async throws -> Void
    ) async throws {
        let gateway = Gateway(configuration: configuration, interceptors: interceptors, logSink: logSink)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let address = try await gateway.listeningAddress()
            do {
                try await body(gateway, "http://\(address)")
            } catch {
                gateway.shutdown(gracePeriod: .zero)
                throw error
            }
            gateway.shutdown(gracePeriod: .seconds(2))
            try await group.waitForAll()
        }
    }

    static func runSDKClient(_ arguments: [String], on loop: EventLoop) async throws -> JSONValue {
        let errors = Mutex<[String]>([])
        let client = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python, arguments: [TestPeers.script("gateway_client.py")] + arguments),
            on: loop
        ) { line in errors.withLock { $0.append(line) } }
        var output: [UInt8] = []
        while let chunk = try await client.output.next() { output += chunk }
        let exit = await client.wait()
        try #require(exit == .exited(0), "\(errors.withLock { $0 }.suffix(30).joined(separator: "\n"))")
        return try JSONValue(parsing: output)
    }

    @Test func theSDKClientSeesEveryUpstreamUnderItsPrefix() async throws {
        let loop = try EventLoop.start(name: "peers")
        defer { loop.stop() }
        try await PythonPeerProcess.with(transport: "streamable-http", on: loop) { http in
            try await PythonPeerProcess.with(transport: "sse", on: loop) { sse in
                var configuration = GatewayConfiguration(
                    listen: .init(port: 0),
                    upstreams: [
                        .init(name: "example", command: TestPeers.exampleServer),
                        .init(
                            name: "py", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")]),
                        .init(name: "pyhttp", endpoint: .streamableHTTP(url: http.url)),
                        .init(name: "pysse", endpoint: .legacySSE(url: sse.url)),
                    ])
                configuration.limits.pageSize = 3
                let log = MemoryLogSink()
                try await Self.withGateway(configuration, logSink: log) { gateway, base in
                    let summary = try await Self.runSDKClient([base + "/mcp"], on: loop)
                    #expect(summary["serverName"] == "mcp-gateway")
                    #expect(summary["capabilities"]?.arrayValue?.contains("tools") == true)
                    #expect(summary["capabilities"]?.arrayValue?.contains("prompts") == true)
                    // Upstreams in configuration order, each in its own order, across pages of 3.
                    let tools = summary["tools"]?.arrayValue?.compactMap(\.stringValue) ?? []
                    #expect(
                        Array(tools.prefix(4)) == ["example__echo", "example__add", "example__slow", "example__big"])
                    #expect(
                        tools.filter { $0.hasPrefix("py__") } == [
                            "py__echo", "py__add", "py__fail", "py__ask_model", "py__ask_user", "py__resolve_user",
                            "py__resolve_model", "py__count_roots",
                        ])
                    #expect(
                        tools.filter { $0.hasPrefix("pyhttp__") } == [
                            "pyhttp__echo", "pyhttp__add", "pyhttp__fail", "pyhttp__ask_model", "pyhttp__ask_user",
                            "pyhttp__resolve_user", "pyhttp__resolve_model", "pyhttp__count_roots",
                        ])
                    #expect(
                        tools.filter { $0.hasPrefix("pysse__") } == [
                            "pysse__echo", "pysse__add", "pysse__fail", "pysse__ask_model", "pysse__ask_user",
                            "pysse__resolve_user", "pysse__resolve_model", "pysse__count_roots",
                        ])
                    #expect(tools.count == 28)
                    #expect(summary["toolPages"] == 10)
                    // Each call reached the upstream its prefix names, under the upstream's own name.
                    for prefix in ["example", "py", "pyhttp", "pysse"] {
                        #expect(summary["calls"]?["\(prefix)__echo"] == .string("via \(prefix)__echo"))
                        #expect(summary["calls"]?["\(prefix)__add"] == "42")
                    }
                    #expect(summary["prompts"] == ["py__greet", "pyhttp__greet", "pysse__greet"])
                    #expect(summary["promptText"] == "Please greet Ada.")
                    // Three upstreams list the same resource URI: the first keeps it.
                    #expect(summary["resources"] == ["test://greeting"])
                    #expect(summary["resourceText"] == "hello from the python peer")
                    #expect(summary["unknownToolError"] == -32602)

                    let collisions = log.events("routing.collision")
                    #expect(
                        collisions.contains {
                            $0["name"] == "test://greeting" && $0["upstreams"] == ["py", "pyhttp", "pysse"]
                        })
                    // One log line per request, with a request id and no arguments.
                    let requests = log.events("request")
                    #expect(
                        requests.contains {
                            $0["method"] == "tools/call" && $0["upstream"] == "pyhttp" && $0["name"] == "pyhttp__add"
                        })
                    #expect(requests.allSatisfy { $0["requestId"]?.stringValue?.isEmpty == false })
                    #expect(!log.records.withLock { "\($0)" }.contains("via py__echo"))

                    // Metrics, as Prometheus scrapes them.
                    #expect(
                        gateway.metrics.callCount(
                            upstream: "pysse", method: "tools/call", tool: "pysse__add", outcome: "ok") == 1)
                    let metrics = try await Self.curl([base + "/metrics"])
                    #expect(
                        metrics.contains(
                            #"mcp_gateway_calls_total{upstream="py",method="tools/call",tool="py__echo",outcome="ok"} 1"#
                        ))
                    #expect(
                        metrics.contains(
                            #"mcp_gateway_calls_total{upstream="gateway",method="tools/call",tool="",outcome="error"} 1"#
                        ))
                    #expect(metrics.contains(#"mcp_gateway_upstream_up{upstream="pysse",state="up"} 1"#))
                    #expect(
                        metrics.contains(
                            #"mcp_gateway_call_duration_seconds_count{upstream="example",method="tools/call"} 2"#))
                    #expect(metrics.contains("mcp_gateway_sessions_started_total 1"))
                    let ready = try await Self.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", base + "/readyz"])
                    #expect(ready == "200")
                }
            }
        }
    }

    @Test func aCursorTheGatewayDidNotIssueIsRefused() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(name: "a", command: TestPeers.exampleServer), .init(name: "b", command: TestPeers.exampleServer),
            ])
        try await Self.withGateway(configuration) { _, base in
            let session = try await Self.initialize(base + "/mcp")
            for cursor in [#""nope""#, "42", #""67312e2d31""#, #""67312e3939""#] {
                let answer = try await Self.post(
                    base + "/mcp", session: session,
                    #"{"jsonrpc":"2.0","id":7,"method":"tools/list","params":{"cursor":\#(cursor)}}"#)
                #expect(answer["error"]?["code"] == -32602, "cursor \(cursor)")
            }
            let first = try await Self.post(
                base + "/mcp", session: session, #"{"jsonrpc":"2.0","id":8,"method":"tools/list"}"#)
            #expect(first["result"]?["tools"]?.arrayValue?.count == 8)
            #expect(first["result"]?["nextCursor"] == nil)
        }
    }

    // MARK: Helpers

    static func curl(_ arguments: [String]) async throws -> String {
        let loop = try EventLoop.start(name: "curl")
        defer { loop.stop() }
        let process = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: "/usr/bin/curl", arguments: ["-s", "--max-time", "10"] + arguments),
            on: loop)
        var output: [UInt8] = []
        while let chunk = try await process.output.next() { output += chunk }
        _ = await process.wait()
        return String(decoding: output, as: UTF8.self)
    }

    static func initialize(_ url: String) async throws -> String {
        let client = try HTTPClient()
        defer { client.shutdown() }
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: url,
                headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")],
                body: Array(
                    #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
                        .utf8)))
        _ = try await response.collectBody()
        return try #require(response.header("Mcp-Session-Id"))
    }

    static func post(_ url: String, session: String, _ body: String) async throws -> JSONValue {
        let client = try HTTPClient()
        defer { client.shutdown() }
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: url,
                headers: [
                    ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
                    ("Mcp-Session-Id", session),
                    ("MCP-Protocol-Version", "2025-06-18"),
                ],
                body: Array(body.utf8)))
        return try JSONValue(parsing: try await response.collectBody())
    }
}

/// The reference server `mcp-server-time` (installed from PyPI) behind the gateway next to
/// the example server, exactly as the quick start configures them.
@Suite("Gateway with the reference time server")
struct GatewayReferenceServerTests {
    @Test func theQuickStartConfigurationServesBothUpstreams() async throws {
        let text = try String(
            contentsOfFile: TestPeers.repositoryRoot.appendingPathComponent("Examples/quickstart.json").path,
            encoding: .utf8)
        var configuration = try GatewayConfiguration(parsing: Array(text.utf8))
        #expect(configuration.upstreams.map(\.name) == ["example", "time"])
        // The quick start runs release builds from the repository root; here the test build's.
        configuration.listen.port = 0
        configuration.upstreams[0] = .init(name: "example", command: TestPeers.exampleServer)
        let timeServer = TestPeers.repositoryRoot.appendingPathComponent(".build/venv/bin/mcp-server-time").path
        let venvBin = URL(fileURLWithPath: TestPeers.python).deletingLastPathComponent().appendingPathComponent(
            "mcp-server-time"
        ).path
        configuration.upstreams[1] = .init(
            name: "time", command: FileManager.default.isExecutableFile(atPath: venvBin) ? venvBin : timeServer,
            args: ["--local-timezone", "UTC"])
        let loop = try EventLoop.start(name: "time")
        defer { loop.stop() }
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let summary = try await GatewayMultiUpstreamTests.runSDKClient(
                [
                    base + "/mcp", "--call", "time__convert_time",
                    #"{"source_timezone":"UTC","time":"12:00","target_timezone":"Asia/Tokyo"}"#,
                ],
                on: loop)
            let tools = summary["tools"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(tools.contains("time__get_current_time"))
            #expect(tools.contains("time__convert_time"))
            #expect(tools.contains("example__echo"))
            #expect(summary["called"]?["isError"] == false)
            let converted = try JSONValue(parsing: Array((summary["called"]?["text"]?.stringValue ?? "").utf8))
            #expect(converted["target"]?["datetime"]?.stringValue?.contains("T21:00:00") == true, "\(converted)")
        }
    }
}

import Foundation
import MCPCore
import MCPTransport
import Synchronization
import MCPTestSupport
import Testing

@testable import MCPGateway

/// The gateway as its users run it: the official MCP Python SDK client, over Streamable
/// HTTP, through the gateway, to the example server over stdio.
@Suite("Gateway end to end")
struct GatewayEndToEndTests {
    static func withGateway(timeoutSeconds: Double = 30, _ body: (String) async throws -> Void) async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [.init(name: "example", command: TestPeers.exampleServer, timeoutSeconds: timeoutSeconds)])
        let gateway = Gateway(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let address = try await gateway.listeningAddress()
            do {
                try await body("http://\(address)/mcp")
            } catch {
                gateway.shutdown(gracePeriod: .zero)
                throw error
            }
            gateway.shutdown(gracePeriod: .seconds(2))
            try await group.waitForAll()
        }
    }

    @Test(arguments: [nil, "2025-03-26", "2025-06-18"])
    func theSDKClientReachesTheUpstreamThroughTheGateway(revision: String?) async throws {
        try await Self.withGateway { url in
            let loop = try EventLoop.start(name: "sdk")
            defer { loop.stop() }
            let errors = Mutex<[String]>([])
            let client = try await ChildProcess.spawn(
                ChildProcessConfiguration(
                    executable: TestPeers.python,
                    arguments: [TestPeers.script("sdk_client.py"), "--http", url]
                        + (revision.map { ["--revision", $0] } ?? [])),
                on: loop
            ) { line in errors.withLock { $0.append(line) } }
            var output: [UInt8] = []
            while let chunk = try await client.output.next() { output += chunk }
            #expect(await client.wait() == .exited(0), "\(errors.withLock { $0 }.suffix(20).joined(separator: "\n"))")
            let summary = try JSONValue(parsing: output)
            #expect(summary["serverName"] == "mcp-example-server")
            if let revision { #expect(summary["protocolVersion"] == .string(revision)) }
            #expect(summary["tools"] == ["add", "big", "echo", "slow"])
            // Structured content exists from 2025-06-18 on; an older client gets none (and
            // no output schema that would make it wait for some).
            #expect(summary["structured"] == (revision == "2025-03-26" ? .null : ["sum": 42]))
            #expect(summary["progress"]?.arrayValue?.count == 3, "progress is routed back to the calling client")
            #expect(summary["bigLength"] == 262_144)
            #expect(summary["unknownToolError"] == -32602)
        }
    }

    @Test func aSlowUpstreamYieldsATimeoutErrorNotAHang() async throws {
        try await Self.withGateway(timeoutSeconds: 0.5) { url in
            let client = try HTTPClient()
            defer { client.shutdown() }
            let initialize = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: url,
                    headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                    body: Array(
                        #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
                            .utf8)))
            _ = try await initialize.collectBody()
            let session = try #require(initialize.header("Mcp-Session-Id"))
            let start = ContinuousClock.now
            let call = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: url,
                    headers: [
                        ("Content-Type", "application/json"), ("Accept", "application/json"),
                        ("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18"),
                    ],
                    body: Array(
                        #"{"jsonrpc":"2.0","id":"call-1","method":"tools/call","params":{"name":"slow","arguments":{"steps":3,"delayMs":1000}}}"#
                            .utf8)))
            let answer = try JSONValue(parsing: try await call.collectBody())
            #expect(answer["id"] == "call-1")
            #expect(answer["error"]?["code"] == -32001)
            #expect(ContinuousClock.now - start < .seconds(3))

            // The gateway still answers afterwards, and ids come back as the client wrote them.
            let next = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: url,
                    headers: [
                        ("Content-Type", "application/json"), ("Accept", "application/json"),
                        ("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18"),
                    ],
                    body: Array(
                        #"{"jsonrpc":"2.0","id":"e\u0301","method":"tools/call","params":{"name":"echo","arguments":{"text":"hi"}}}"#
                            .utf8)))
            let text = String(decoding: try await next.collectBody(), as: UTF8.self)
            #expect(text.hasPrefix(#"{"jsonrpc":"2.0","id":"e\u0301","result""#), "\(text)")
        }
    }

    @Test func gatewaydChecksConfigurations() async throws {
        let directory = NSTemporaryDirectory() + "gatewayd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let good = directory + "/good.json"
        let bad = directory + "/bad.json"
        try #"{"upstreams":[{"name":"a","command":"x"}]}"#.write(toFile: good, atomically: true, encoding: .utf8)
        try #"{"upstreams":[{"name":"a","command":"x","args":[1]}]}"#.write(
            toFile: bad, atomically: true, encoding: .utf8)
        let loop = try EventLoop.start(name: "cli")
        defer { loop.stop() }
        func run(_ arguments: [String]) async throws -> (ChildProcessExit, String, [String]) {
            let errors = Mutex<[String]>([])
            let process = try await ChildProcess.spawn(
                ChildProcessConfiguration(executable: TestPeers.binary("gatewayd"), arguments: arguments), on: loop
            ) { line in errors.withLock { $0.append(line) } }
            var output: [UInt8] = []
            while let chunk = try await process.output.next() { output += chunk }
            let exit = await process.wait()
            try await Task.sleep(for: .milliseconds(20))
            return (exit, String(decoding: output, as: UTF8.self), errors.withLock { $0 })
        }
        let (goodExit, goodOutput, _) = try await run(["check-config", good])
        #expect(goodExit == .exited(0))
        #expect(goodOutput.contains("configuration is valid"))
        let (badExit, _, badErrors) = try await run(["check-config", bad])
        #expect(badExit == .exited(2))
        #expect(badErrors.joined().contains("upstreams[0].args[0]"))
        let (versionExit, version, _) = try await run(["version"])
        #expect(versionExit == .exited(0))
        #expect(version.hasPrefix("gatewayd "))
        let (helpExit, help, _) = try await run(["--help"])
        #expect(helpExit == .exited(0))
        #expect(help.contains("serve --config FILE"))
    }
}

@Suite("Gateway upstream recovery")
struct GatewayRecoveryTests {
    @Test func anUpstreamKilledMidCallFailsTheCallAndComesBack() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [.init(name: "example", command: TestPeers.exampleServer, timeoutSeconds: 10)])
        let gateway = Gateway(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let url = "http://\(try await gateway.listeningAddress())/mcp"
            let client = try HTTPClient()
            defer { client.shutdown() }
            func post(_ body: String, session: String? = nil) async throws -> (JSONValue, String?) {
                var headers: [(name: String, value: String)] = [
                    ("Content-Type", "application/json"), ("Accept", "application/json"),
                ]
                if let session { headers += [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-06-18")] }
                let response = try await client.execute(
                    HTTPClientRequest(method: "POST", url: url, headers: headers, body: Array(body.utf8)))
                return (try JSONValue(parsing: try await response.collectBody()), response.header("Mcp-Session-Id"))
            }
            let (_, sessionHeader) = try await post(
                #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
            )
            let session = try #require(sessionHeader)
            let supervisor = try #require(gateway.upstreamSupervisor)
            let firstPID = try #require(supervisor.pid)

            let start = ContinuousClock.now
            async let slow = post(
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"slow","arguments":{"steps":50,"delayMs":100}}}"#,
                session: session)
            try await Task.sleep(for: .milliseconds(300))
            kill(firstPID, SIGKILL)
            let (failed, _) = try await slow
            #expect(failed["id"] == 2)
            #expect(failed["error"]?["code"] == -32603)
            #expect(
                ContinuousClock.now - start < .seconds(4), "the call fails when the upstream dies, not at its timeout")

            // The upstream is restarted and calls work again.
            var answer: JSONValue = .null
            for _ in 0..<50 {
                (answer, _) = try await post(
                    #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"back"}}}"#,
                    session: session)
                if answer["result"] != nil { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(answer["result"]?["content"]?.arrayValue?.first?["text"] == "back")
            #expect(supervisor.restartCount == 1)
            #expect(supervisor.pid != firstPID)

            // Health and readiness.
            let base = String(url.dropLast("/mcp".count))
            let health = try await client.execute(HTTPClientRequest(url: base + "/healthz"))
            #expect(health.status == 200)
            _ = try await health.collectBody()
            let ready = try await client.execute(HTTPClientRequest(url: base + "/readyz"))
            #expect(ready.status == 200)
            _ = try await ready.collectBody()
            kill(try #require(supervisor.pid), SIGKILL)
            var notReady = 0
            for _ in 0..<50 where notReady != 503 {
                let probe = try await client.execute(HTTPClientRequest(url: base + "/readyz"))
                notReady = probe.status
                _ = try await probe.collectBody()
                if notReady != 503 { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(notReady == 503, "readiness reports the upstream down while it restarts")
            gateway.shutdown(gracePeriod: .seconds(1))
            try await group.waitForAll()
        }
    }
}

@Suite("Gateway embedded in a host service")
struct EmbeddedGatewayTests {
    @Test func aHostServesItsRoutesAndTheGatewaysSideBySide() async throws {
        let loop = try EventLoop.start(name: "embedded")
        defer { loop.stop() }
        let host = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.binary("mcp-embedded-gateway"), arguments: ["0", TestPeers.exampleServer]),
            on: loop)
        var framer = LineFramer()
        var base: String?
        while base == nil, let chunk = try await host.output.next() {
            for case .line(let line) in framer.feed(chunk) {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("listening on http://") {
                    base = String(text.dropFirst("listening on ".count).prefix { $0 != " " })
                }
            }
        }
        let url = try #require(base)
        let client = try HTTPClient()
        defer { client.shutdown() }
        let status = try await client.execute(HTTPClientRequest(url: url + "/status"))
        #expect(status.status == 200)
        #expect(try JSONValue(parsing: try await status.collectBody())["service"] == "host")

        let errors = ErrorLines()
        let sdk = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python, arguments: [TestPeers.script("sdk_client.py"), "--http", url + "/mcp"]),
            on: loop
        ) { line in errors.append(line) }
        var output: [UInt8] = []
        while let chunk = try await sdk.output.next() { output += chunk }
        #expect(await sdk.wait() == .exited(0), "\(errors.lines.suffix(20).joined(separator: "\n"))")
        #expect(try JSONValue(parsing: output)["tools"] == ["add", "big", "echo", "slow"])
        _ = await host.terminate(gracePeriod: .seconds(2))
    }
}

import Foundation
import MCPCore
import MCPPolicy
import MCPTestSupport
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// Sampling, elicitation and roots requests from upstreams reach the client whose call
/// caused them, and the client's answers go back, with the official Python SDK on both
/// sides.
@Suite("Gateway server-to-client requests")
struct GatewayServerRequestTests {
    @Test func samplingElicitationAndRootsRoundTripThroughTheGateway() async throws {
        let loop = try EventLoop.start(name: "peers")
        defer { loop.stop() }
        try await PythonPeerProcess.with(transport: "streamable-http", on: loop) { http in
            let configuration = GatewayConfiguration(
                listen: .init(port: 0),
                upstreams: [
                    .init(name: "py", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")]),
                    .init(name: "pyhttp", endpoint: .streamableHTTP(url: http.url)),
                ])
            try await GatewayMultiUpstreamTests.withGateway(configuration) { gateway, base in
                let summary = try await GatewayMultiUpstreamTests.runSDKClient(
                    [
                        base + "/mcp",
                        "--call", "py__ask_model", #"{"question":"what is six times seven?"}"#,
                        "--call", "py__ask_user", #"{"question":"the answer?"}"#,
                        "--call", "py__count_roots", "{}",
                        "--call", "pyhttp__ask_model", #"{"question":"over HTTP?"}"#,
                        "--call", "pyhttp__ask_user", #"{"question":"over HTTP?"}"#,
                    ], on: loop)
                let called = summary["calledAll"]
                #expect(
                    called?["py__ask_model"]?["text"] == "model said: sampled: what is six times seven?", "\(summary)")
                #expect(called?["py__ask_user"]?["text"] == "user said: forty-two")
                #expect(called?["py__count_roots"]?["text"] == "1 roots: file:///work")
                #expect(called?["pyhttp__ask_model"]?["text"] == "model said: sampled: over HTTP?")
                #expect(called?["pyhttp__ask_user"]?["text"] == "user said: forty-two")
                #expect(gateway.pendingServerRequestCount == 0, "every request was answered")
            }
        }
    }
}

/// A policy that turns sampling off for an upstream: its sampling requests never reach the
/// client, while elicitation still does.
@Suite("Gateway server-to-client requests under a policy")
struct GatewayServerRequestPolicyTests {
    @Test func samplingTurnedOffByPolicyNeverReachesTheClient() async throws {
        let document = try PolicyDocument(
            parsing:
                #"{"id":"p","organization":"o","defaultEffect":"allow","features":[{"id":"quiet-py","when":{"upstreams":["py"]},"disable":["sampling"]}]}"#
        )
        let policy = PolicyInterceptor(
            engine: try PolicyEngine(documents: [document]),
            anonymousPrincipal: PolicyPrincipal(subject: "anonymous", organization: "o"))
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(name: "py", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")])
            ])
        let loop = try EventLoop.start(name: "peers")
        defer { loop.stop() }
        try await GatewayMultiUpstreamTests.withGateway(configuration, interceptors: [policy]) { gateway, base in
            let summary = try await GatewayMultiUpstreamTests.runSDKClient(
                [
                    base + "/mcp", "--call", "ask_user", #"{"question":"q"}"#, "--call", "ask_model",
                    #"{"question":"q"}"#,
                ], on: loop)
            let called = summary["calledAll"]
            #expect(called?["ask_user"]?["text"] == "user said: forty-two", "\(summary)")
            #expect(called?["ask_model"]?["isError"] == true, "\(summary)")
            #expect(called?["ask_model"]?["text"]?.stringValue?.contains("sampled") == false)
            #expect(gateway.pendingServerRequestCount == 0)
        }
    }
}

/// A 2026-07-28 client cannot be sent a request mid-call: the upstream is refused at once,
/// so the call ends promptly instead of at its timeout.
@Suite("Gateway server-to-client requests for 2026-07-28 clients")
struct GatewayServerRequestModernTests {
    @Test func anUpstreamAskingAModernClientIsRefusedAtOnce() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(name: "py", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")], timeoutSeconds: 20)
            ])
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let meta =
                #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{"sampling":{}}}"#
            let start = ContinuousClock.now
            let answer = try await GatewayRevisionBridgeTests.modernPost(
                base + "/mcp", method: "tools/call", name: "ask_model",
                #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{\#(meta),"name":"ask_model","arguments":{"question":"q"}}}"#)
            #expect(ContinuousClock.now - start < .seconds(10), "not left to time out")
            let failed = answer["error"] != nil || answer["result"]?["isError"] == true
            #expect(failed, "\(answer)")
        }
    }
}

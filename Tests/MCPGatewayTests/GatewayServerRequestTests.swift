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

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

/// A 2026-07-28 client is asked for input through its call's result (input requests and
/// a request state), not through requests on a stream: the gateway translates an
/// upstream's elicitation and sampling requests into that, and the client's retry back.
@Suite("Gateway input requests for 2026-07-28 clients")
struct GatewayInputRequestTests {
    static let meta =
        #""_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"t","version":"1"},"io.modelcontextprotocol/clientCapabilities":{"sampling":{},"elicitation":{}}}"#

    static func call(_ base: String, id: Int, tool: String, arguments: String, extra: String = "") async throws
        -> JSONValue
    {
        try await GatewayRevisionBridgeTests.modernPost(
            base + "/mcp", method: "tools/call", name: tool,
            #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{\#(meta),"name":"\#(tool)","arguments":\#(arguments)\#(extra)}}"#
        )
    }

    @Test func elicitationAndSamplingBecomeInputRequestsAndTheRetryCarriesOn() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(
                    name: "py", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")],
                    timeoutSeconds: 20)
            ])
        try await GatewayMultiUpstreamTests.withGateway(configuration) { gateway, base in
            // Elicitation.
            let first = try await Self.call(base, id: 1, tool: "ask_user", arguments: #"{"question":"the answer?"}"#)
            #expect(first["id"] == 1)
            #expect(first["result"]?["resultType"] == "input_required", "\(first)")
            let requests = try #require(first["result"]?["inputRequests"]?.objectValue)
            let (key, input) = try #require(requests.members.first)
            #expect(input["method"] == "elicitation/create")
            #expect(input["params"]?["message"] == "the answer?")
            let state = try #require(first["result"]?["requestState"]?.stringValue)
            let retried = try await Self.call(
                base, id: 2, tool: "ask_user", arguments: #"{"question":"the answer?"}"#,
                extra:
                    #","inputResponses":{"\#(key)":{"action":"accept","content":{"answer":"forty-two"}}},"requestState":"\#(state)""#
            )
            #expect(retried["id"] == 2)
            #expect(retried["result"]?["content"]?.arrayValue?.first?["text"] == "user said: forty-two", "\(retried)")
            #expect(retried["result"]?["resultType"] == "complete")

            // A request state is used once; a made-up one is refused.
            let again = try await Self.call(
                base, id: 3, tool: "ask_user", arguments: "{}",
                extra: #","inputResponses":{},"requestState":"\#(state)""#)
            #expect(again["error"]?["code"] == -32602, "\(again)")
            let forged = try await Self.call(
                base, id: 6, tool: "ask_user", arguments: "{}",
                extra: #","inputResponses":{},"requestState":"rs_forged""#)
            #expect(forged["error"]?["code"] == -32602)

            // Sampling.
            let sampling = try await Self.call(base, id: 4, tool: "ask_model", arguments: #"{"question":"q?"}"#)
            let samplingState = try #require(sampling["result"]?["requestState"]?.stringValue, "\(sampling)")
            let samplingKey = try #require(sampling["result"]?["inputRequests"]?.objectValue?.keys.first)
            #expect(sampling["result"]?["inputRequests"]?[samplingKey]?["method"] == "sampling/createMessage")
            let sampled = try await Self.call(
                base, id: 5, tool: "ask_model", arguments: #"{"question":"q?"}"#,
                extra:
                    #","inputResponses":{"\#(samplingKey)":{"role":"assistant","content":{"type":"text","text":"Paris"},"model":"m"}},"requestState":"\#(samplingState)""#
            )
            #expect(sampled["result"]?["content"]?.arrayValue?.first?["text"] == "model said: Paris", "\(sampled)")
        }
    }
}

/// A 2026-07-28 upstream (the Python SDK server over Streamable HTTP) that answers
/// `input_required` to a legacy-era client: the gateway asks the client through requests of
/// its own and retries the call with the answers.
@Suite("Gateway input requests from 2026-07-28 upstreams")
struct GatewayModernInputRequestTests {
    @Test func aLegacyClientAnswersAModernUpstreamsInputRequests() async throws {
        let loop = try EventLoop.start(name: "peers")
        defer { loop.stop() }
        try await PythonPeerProcess.with(transport: "streamable-http", on: loop) { http in
            var upstream = GatewayConfiguration.Upstream(name: "py", endpoint: .streamableHTTP(url: http.url))
            upstream.revision = .v2026_07_28
            let configuration = GatewayConfiguration(listen: .init(port: 0), upstreams: [upstream])
            try await GatewayMultiUpstreamTests.withGateway(configuration) { gateway, base in
                #expect(gateway.router?.supervisors[0].catalog?.initializeResult["protocolVersion"] == "2026-07-28")
                let summary = try await GatewayMultiUpstreamTests.runSDKClient(
                    [
                        base + "/mcp", "--call", "resolve_user", #"{"question":"the answer?"}"#, "--call",
                        "resolve_model",
                        #"{"question":"capital?"}"#,
                    ], on: loop)
                let called = summary["calledAll"]
                #expect(called?["resolve_user"]?["text"] == "user said: forty-two", "\(summary)")
                #expect(called?["resolve_model"]?["text"] == "model said: sampled: capital?", "\(summary)")
            }
        }
    }
}

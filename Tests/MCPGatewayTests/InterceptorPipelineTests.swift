import MCPCore
import MCPTestSupport
import Synchronization
import Testing

@testable import MCPGateway

/// The interceptor pipeline as an embedding team uses it: steps run in order around every
/// request, may answer themselves, change requests and change responses.
@Suite("Interceptor pipeline")
struct InterceptorPipelineTests {
    /// Refuses one tool and hides it from tools/list.
    struct HideTool: GatewayInterceptor {
        let name: String

        func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
            if request.target?.kind == .tool, request.target?.exposedName == name {
                throw JSONRPCError(code: .invalidParams, message: "Tool \(name) is not allowed")
            }
            let response = try await next(request)
            guard request.method == "tools/list", var result = response.decodeResult()?.objectValue,
                let tools = result["tools"]?.arrayValue
            else { return response }
            result["tools"] = .array(tools.filter { $0["name"]?.stringValue != name })
            return request.resultResponse(result)
        }
    }

    final class Trace: Sendable {
        let lines = Mutex<[String]>([])
        func withLock<R>(_ body: (inout [String]) -> R) -> R { lines.withLock { body(&$0) } }
    }

    /// Records the order in which steps see requests and responses, and what they saw.
    struct Recorder: GatewayInterceptor {
        let label: String
        let trace: Trace

        func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
            trace.withLock {
                $0.append(
                    "\(label)>\(request.method):\(request.target?.upstream ?? "-"):\(request.target?.name ?? "-")")
            }
            let response = try await next(request)
            trace.withLock { $0.append("<\(label)") }
            return response
        }
    }

    /// Answers `echo` itself, without the upstream.
    struct AnswerEcho: GatewayInterceptor {
        func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
            guard request.target?.name == "echo" else { return try await next(request) }
            return request.resultResponse(["content": [["type": "text", "text": "answered by the gateway"]]])
        }
    }

    @Test func stepsRunInOrderAndCanRefuseFilterAndAnswer() async throws {
        let trace = Trace()
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(name: "a", command: TestPeers.exampleServer), .init(name: "b", command: TestPeers.exampleServer),
            ])
        let interceptors: [any GatewayInterceptor] = [
            Recorder(label: "first", trace: trace), HideTool(name: "a__add"), Recorder(label: "second", trace: trace),
            AnswerEcho(),
        ]
        try await GatewayMultiUpstreamTests.withGateway(configuration, interceptors: interceptors) { gateway, base in
            let url = base + "/mcp"
            let session = try await GatewayMultiUpstreamTests.initialize(url)
            trace.withLock { $0 = [] }

            let list = try await GatewayMultiUpstreamTests.post(
                url, session: session, #"{"jsonrpc":"2.0","id":"l","method":"tools/list"}"#)
            let names = list["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(!names.contains("a__add"))
            #expect(names.contains("b__add"))
            #expect(trace.withLock { $0 } == ["first>tools/list:-:-", "second>tools/list:-:-", "<second", "<first"])

            trace.withLock { $0 = [] }
            let refused = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":"r","method":"tools/call","params":{"name":"a__add","arguments":{"a":1,"b":2}}}"#
            )
            #expect(refused["id"] == "r")
            #expect(refused["error"]?["code"] == -32602)
            #expect(refused["error"]?["message"] == "Tool a__add is not allowed")
            // The refusal is thrown: it unwinds through the first step, and later steps never see the call.
            #expect(trace.withLock { $0 } == ["first>tools/call:a:add"])

            let allowed = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"b__add","arguments":{"a":1,"b":2}}}"#)
            #expect(allowed["result"]?["content"]?.arrayValue?.first?["text"] == "3")

            let echoed = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"b__echo","arguments":{"text":"x"}}}"#)
            #expect(echoed["result"]?["content"]?.arrayValue?.first?["text"] == "answered by the gateway")
            #expect(
                gateway.metrics.callCount(upstream: "a", method: "tools/call", tool: "a__add", outcome: "error") == 1)
        }
    }
}

/// A client's `notifications/cancelled` names its own request id; the gateway finds the
/// upstream request it became, ends it at once and tells the upstream.
@Suite("Gateway cancellation")
struct GatewayCancellationTests {
    @Test func aClientCancellationEndsTheForwardedRequest() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0), upstreams: [.init(name: "a", command: TestPeers.exampleServer)])
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let url = base + "/mcp"
            let session = try await GatewayMultiUpstreamTests.initialize(url)
            let start = ContinuousClock.now
            try await withThrowingTaskGroup(of: JSONValue?.self) { group in
                group.addTask {
                    try await GatewayMultiUpstreamTests.post(
                        url, session: session,
                        #"{"jsonrpc":"2.0","id":"long-1","method":"tools/call","params":{"name":"slow","arguments":{"steps":50,"delayMs":200}}}"#
                    )
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(400))
                    _ = try? await GatewayMultiUpstreamTests.post(
                        url, session: session,
                        #"{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":"long-1","reason":"user pressed stop"}}"#
                    )
                    return nil
                }
                var answer: JSONValue?
                for try await value in group { if let value { answer = value } }
                #expect(ContinuousClock.now - start < .seconds(3), "ended long before the 10 s the call would take")
                #expect(answer?["id"] == "long-1")
                #expect(answer?["error"]?["message"] == "Request cancelled by the client")
            }
            // The upstream is still fine for the next call.
            let next = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":1}}}"#)
            #expect(next["result"]?["content"]?.arrayValue?.first?["text"] == "2")
        }
    }
}

@Suite("Call outcomes")
struct CallOutcomeTests {
    @Test func toolErrorsAreToldFromResultsWithoutParsingEveryResult() throws {
        func outcome(_ text: String) throws -> String {
            MetricsInterceptor.outcome(of: try MessageEnvelope(parsing: Array(text.utf8)))
        }
        #expect(try outcome(#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"isError":true}}"#) == "tool_error")
        #expect(try outcome(#"{"jsonrpc":"2.0","id":1,"result":{"content":[], "isError" :  true}}"#) == "tool_error")
        #expect(try outcome(#"{"jsonrpc":"2.0","id":1,"result":{"content":[],"isError":false}}"#) == "ok")
        #expect(
            try outcome(#"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"\"isError\":true"}]}}"#)
                == "ok")
        #expect(try outcome(#"{"jsonrpc":"2.0","id":1,"result":{}}"#) == "ok")
        #expect(try outcome(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"x"}}"#) == "error")
    }
}

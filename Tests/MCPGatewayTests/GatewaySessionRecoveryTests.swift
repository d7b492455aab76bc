import Foundation
import MCPCore
import MCPTestSupport
import Synchronization
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// Upstreams that forget the gateway's session: the gateway sets up a new one exactly once
/// per loss, sends again only what is safe to send again, and tells the client plainly
/// about the rest.
@Suite("Gateway session recovery")
struct GatewaySessionRecoveryTests {
    /// Runs the forgetful server in `mode` and a gateway in front of it.
    static func withForgetfulUpstream(
        mode: String,
        _ body: (_ gateway: Gateway, _ call: @escaping (String, String) async throws -> JSONValue) async throws -> Void
    ) async throws {
        let loop = try EventLoop.start(name: "forgetful")
        defer { loop.stop() }
        let port = try PythonPeerProcess.freePort()
        let server = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python, arguments: [TestPeers.script("forgetful_server.py"), String(port), mode]),
            on: loop)
        var banner: [UInt8] = []
        while !banner.contains(UInt8(ascii: "\n")), let chunk = try await server.output.next() { banner += chunk }
        #expect(String(decoding: banner, as: UTF8.self).hasPrefix("PORT \(port)"))
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(
                    name: "forgetful", endpoint: .streamableHTTP(url: "http://127.0.0.1:\(port)/mcp"),
                    timeoutSeconds: 10)
            ])
        do {
            try await GatewayMultiUpstreamTests.withGateway(configuration) { gateway, base in
                let url = base + "/mcp"
                let session = try await GatewayMultiUpstreamTests.initialize(url)
                let counter = Mutex(100)
                try await body(gateway) { tool, text in
                    let id = counter.withLock { value in
                        value += 1
                        return value
                    }
                    return try await GatewayMultiUpstreamTests.post(
                        url, session: session,
                        #"{"jsonrpc":"2.0","id":\#(id),"method":"tools/call","params":{"name":"\#(tool)","arguments":{"text":"\#(text)"}}}"#
                    )
                }
            }
        } catch {
            _ = await server.terminate(gracePeriod: .seconds(1))
            throw error
        }
        _ = await server.terminate(gracePeriod: .seconds(2))
    }

    static func text(_ answer: JSONValue) -> String? {
        answer["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue
    }

    @Test(arguments: ["prose", "404"])
    func aLostSessionIsSetUpAgainOnceAndOnlySafeCallsAreRetried(mode: String) async throws {
        try await Self.withForgetfulUpstream(mode: mode) { gateway, call in
            #expect(Self.text(try await call("echo", "a")) == "a")

            // The upstream forgets; the next call of an idempotent tool meets the loss,
            // the gateway initializes again and sends it once more.
            #expect(Self.text(try await call("forget", "")) == "forgotten")
            #expect(Self.text(try await call("echo", "b")) == "b")

            // A tool that is not idempotent may have run: it is not sent again, and the
            // client is told why.
            #expect(Self.text(try await call("forget", "")) == "forgotten")
            let refused = try await call("write", "x")
            #expect(refused["error"]?["code"] == -32603)
            #expect(refused["error"]?["message"]?.stringValue?.contains("lost its session") == true, "\(refused)")

            // The next call goes through on the new session.
            #expect(Self.text(try await call("echo", "c")) == "c")
            let stats = try JSONValue(parsing: Array((Self.text(try await call("stats", "")) ?? "").utf8))
            #expect(stats["initializes"] == 3, "one initialize at start and exactly one per loss")
            #expect(stats["lostAnswers"] == 2)
            #expect(stats["writes"] == 0)
            #expect(gateway.router?.supervisors[0].sessionLossCount == 2)
        }
    }
}

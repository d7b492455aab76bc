import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// gatewayd serving HTTPS (`listen.tls`), driven by curl trusting a test authority: an MCP
/// call, the OAuth metadata under an `https` issuer, and a refusal to start with a key that
/// does not fit.
@Suite("Gateway over TLS")
struct GatewayTLSTests {
    @Test func curlCallsAToolOverHTTPS() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let files = try await TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let port = try PythonPeerProcess.freePort()
        let path = files.directory + "/gateway.json"
        try #"""
        {"listen":{"port":\#(port),"tls":{"certificateFile":"server.pem","privateKeyFile":"server.key"}},
         "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"}]}
        """#.write(toFile: path, atomically: true, encoding: .utf8)
        try await GatewaydProcess.serving(configuration: path, on: loop) { _ in
            let base = "https://127.0.0.1:\(port)"
            let health = try await GatewayMultiUpstreamTests.curl(["--cacert", files.authority, base + "/healthz"])
            #expect(health == "ok\n")
            let answer = try await GatewayMultiUpstreamTests.curl([
                "--cacert", files.authority, base + "/mcp", "-H", "Content-Type: application/json",
                "-H", "Accept: application/json, text/event-stream", "-H", "MCP-Protocol-Version: 2026-07-28",
                "-H", "Mcp-Method: tools/call", "-H", "Mcp-Name: add", "-d",
                #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":40},"_meta":{"io.modelcontextprotocol/clientInfo":{"name":"curl","version":"1"},"io.modelcontextprotocol/clientCapabilities":{}}}}"#,
            ])
            let result = try JSONValue(parsing: Array(answer.utf8))
            #expect(result["result"]?["content"]?.arrayValue?.first?["text"] == "42", "\(answer)")
            let plain = try await GatewayMultiUpstreamTests.curl(["http://127.0.0.1:\(port)/healthz"])
            #expect(plain.isEmpty, "plain HTTP gets no answer: \(plain)")
        }
    }

    @Test func theIssuerIsHTTPSAndABadKeyStopsTheStart() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let files = try await TestCertificates.make()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        let port = try PythonPeerProcess.freePort()
        let path = files.directory + "/gateway.json"
        try #"""
        {"listen":{"port":\#(port),"tls":{"certificateFile":"server.pem","privateKeyFile":"server.key"}},
         "dataDirectory":".", "authorization":{},
         "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"}]}
        """#.write(toFile: path, atomically: true, encoding: .utf8)
        try await GatewaydProcess.serving(configuration: path, on: loop) { _ in
            let metadata = try await GatewayMultiUpstreamTests.curl([
                "--cacert", files.authority, "https://127.0.0.1:\(port)/.well-known/oauth-authorization-server",
            ])
            #expect(try JSONValue(parsing: Array(metadata.utf8))["issuer"] == .string("https://127.0.0.1:\(port)"))
            let challenge = try await GatewayMultiUpstreamTests.curl([
                "--cacert", files.authority, "-i", "-X", "POST", "https://127.0.0.1:\(port)/mcp", "-d", "{}",
            ])
            #expect(
                challenge.contains(
                    #"resource_metadata="https://127.0.0.1:\#(port)/.well-known/oauth-protected-resource/mcp""#),
                "\(challenge)")
        }
        // The certificate's key replaced by another: gatewayd says why and stops.
        try FileManager.default.removeItem(atPath: files.directory + "/server.key")
        try FileManager.default.copyItem(atPath: files.directory + "/ca.pem", toPath: files.directory + "/server.key")
        let (exit, output) = try await GatewayAuthorizationTests.run(["serve", "--config", path], on: loop)
        #expect(exit != ChildProcessExit.exited(0))
        #expect(output.contains("private key file"), "\(output)")
    }
}

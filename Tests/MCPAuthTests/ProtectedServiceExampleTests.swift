import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The example program that uses MCPAuth alone to protect a plain HTTP API, driven by
/// Authlib: discovery from the 401 challenge, registration, sign-in, a call with the token,
/// and revocation that ends the token's grant.
@Suite("Protected service example")
struct ProtectedServiceExampleTests {
    @Test func authlibGetsATokenAndCallsTheAPI() async throws {
        let loop = try EventLoop.start(name: "example")
        defer { loop.stop() }
        let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!, backlog: 1, reusePort: false)
        let port = try #require(try socket.localAddress()).port
        socket.close()
        let service = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.binary("mcp-protected-service"),
                arguments: ["--port", String(port), "--user", "alice:correct horse battery"]), on: loop)
        var banner: [UInt8] = []
        while !String(decoding: banner, as: UTF8.self).contains("listening") {
            guard let chunk = try await service.output.next() else { break }
            banner += chunk
        }
        #expect(
            String(decoding: banner, as: UTF8.self).contains("protected resource http://127.0.0.1:\(port)/api/notes"))
        let client = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python,
                arguments: [
                    TestPeers.script("protected_api_client.py"), "http://127.0.0.1:\(port)/api/notes", "--username",
                    "alice", "--password", "correct horse battery",
                ]), on: loop)
        var output: [UInt8] = []
        while let chunk = try await client.output.next() { output += chunk }
        let exit = await client.wait()
        let errors = await client.recentErrorLines()
        _ = await service.terminate(gracePeriod: .seconds(2))
        try #require(exit == .exited(0), "\(errors)")
        let summary = try JSONValue(parsing: output)
        #expect(summary["challenge"]?["scope"] == "notes")
        #expect(summary["status"] == 200)
        #expect(summary["body"]?["owner"] == "alice")
        #expect(summary["body"]?["organization"] == "example")
        #expect(summary["statusAfterRevocation"] == 401)
    }
}

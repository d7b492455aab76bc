import Foundation
import MCPCore
import MCPTestSupport
@testable import MCPTransport
import Testing

/// The Python SDK peer server run over HTTP (Streamable HTTP or HTTP+SSE) on a free port,
/// for as long as a test body runs.
struct PythonPeerProcess {
    let url: String

    static func freePort() throws -> UInt16 {
        let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!, backlog: 1, reusePort: false)
        defer { socket.close() }
        return try #require(try socket.localAddress()).port
    }

    /// Runs the peer with `transport` (`streamable-http` or `sse`) and hands `body` its URL.
    static func with<Result>(
        transport: String, on loop: EventLoop, _ body: (PythonPeerProcess) async throws -> Result
    ) async throws -> Result {
        let port = try freePort()
        let server = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python,
                arguments: [TestPeers.script("python_stdio_server.py"), transport, String(port)]),
            on: loop)
        let path = transport == "sse" ? "/sse" : "/mcp"
        let url = "http://127.0.0.1:\(port)\(path)"
        do {
            // Wait (boundedly) until it listens: any HTTP answer will do.
            let client = try HTTPClient()
            defer { client.shutdown() }
            var ready = false
            for _ in 0..<150 where !ready {
                let probe = HTTPClientRequest(url: "http://127.0.0.1:\(port)/", timeout: .seconds(1))
                if let response = try? await client.execute(probe) {
                    _ = try? await response.collectBody()
                    ready = true
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            try #require(ready, "the Python peer did not listen on \(port)")
            let result = try await body(PythonPeerProcess(url: url))
            _ = await server.terminate(gracePeriod: .seconds(2))
            return result
        } catch {
            _ = await server.terminate(gracePeriod: .seconds(1))
            throw error
        }
    }
}

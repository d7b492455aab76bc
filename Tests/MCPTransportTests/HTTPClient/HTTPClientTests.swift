import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The libcurl HTTP client against a real HTTP server on loopback (Python's http.server).
@Suite("HTTP client")
struct HTTPClientTests {
    /// Runs `body` with a fresh test server's base URL and a client.
    private static func withServer(_ body: (String, HTTPClient) async throws -> Void) async throws {
        let loop = try EventLoop.start(name: "http-client-test")
        defer { loop.stop() }
        let server = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python, arguments: [TestPeers.script("http_test_server.py")]),
            on: loop)
        var framer = LineFramer()
        var port: String?
        while port == nil, let chunk = try await server.output.next() {
            for case .line(let line) in framer.feed(chunk) {
                let text = String(decoding: line, as: UTF8.self)
                if text.hasPrefix("PORT ") { port = String(text.dropFirst(5)) }
            }
        }
        let client = try HTTPClient()
        do {
            try await body("http://127.0.0.1:\(try #require(port))", client)
        } catch {
            client.shutdown()
            _ = await server.terminate(gracePeriod: .seconds(1))
            throw error
        }
        client.shutdown()
        _ = await server.terminate(gracePeriod: .seconds(1))
    }

    @Test func postsAndReadsJSON() async throws {
        try await Self.withServer { base, client in
            let body = Array(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8)
            let response = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: base + "/echo",
                    headers: [("Content-Type", "application/json"), ("Mcp-Session-Id", "abc")], body: body))
            #expect(response.status == 200)
            #expect(response.header("content-type") == "application/json")
            #expect(response.headers.filter { $0.name == "X-Multi" }.map(\.value) == ["one", "two"])
            let echoed = try JSONValue(parsing: try await response.collectBody())
            #expect(echoed["method"] == "POST")
            #expect(echoed["headers"]?["mcp-session-id"] == "abc")
            #expect(echoed["headers"]?["expect"] == nil)
            #expect(echoed["body"]?.stringValue == String(decoding: body, as: UTF8.self))
        }
    }

    @Test("a finished transfer and its libcurl handle are released")
    func finishedTransfersAreReleased() async throws {
        try await Self.withServer { base, client in
            weak var released: HTTPTransfer?
            do {
                let transfer = try HTTPTransfer(
                    request: HTTPClientRequest(method: "POST", url: base + "/echo", body: Array("{}".utf8)),
                    caCertificateFile: nil)
                released = transfer
                let status = await withCheckedContinuation { continuation in
                    transfer.onHead = { continuation.resume(returning: (try? $0.get())?.status) }
                    client.worker.start(transfer)
                }
                #expect(status == 200)
                while try await transfer.body.next() != nil {}
            }
            // The worker lets go of it once the transfer is removed from the multi handle.
            let deadline = ContinuousClock.now + .seconds(5)
            while released != nil, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(released == nil)
        }
    }

    @Test func aConnectAddressIsUsedInsteadOfResolvingTheHost() async throws {
        try await Self.withServer { base, client in
            // A name that resolves nowhere: the transfer connects to the given address and
            // still sends the name in Host.
            let port = base.split(separator: ":").last!
            var request = HTTPClientRequest(method: "POST", url: "http://metadata.invalid:\(port)/echo", body: [])
            request.connectAddress = "127.0.0.1"
            let response = try await client.execute(request)
            #expect(response.status == 200)
            let echoed = try JSONValue(parsing: try await response.collectBody())
            #expect(echoed["headers"]?["host"] == .string("metadata.invalid:\(port)"))
        }
        #expect(HTTPTransfer.connectTo(url: "https://a.example/x", address: "10.0.0.1") == "a.example:443:10.0.0.1:443")
        #expect(HTTPTransfer.connectTo(url: "http://a.example:81", address: "::1") == "a.example:81:[::1]:81")
        #expect(HTTPTransfer.connectTo(url: "http://[::1]:82/", address: "::1") == "[::1]:82:[::1]:82")
        #expect(HTTPTransfer.connectTo(url: "http://u@a.example/", address: "10.0.0.1") == nil)
        #expect(HTTPTransfer.connectTo(url: "http://a.example/", address: "evil.example") == nil)
    }

    @Test func streamsChunksAsTheyArrive() async throws {
        try await Self.withServer { base, client in
            let response = try await client.execute(HTTPClientRequest(url: base + "/stream?chunks=5&delay=50"))
            #expect(response.status == 200)
            var received = 0
            var text = ""
            while let chunk = try await response.body.next() {
                received += 1
                text += String(decoding: chunk, as: UTF8.self)
            }
            #expect(text == (0..<5).map { "chunk-\($0)\n" }.joined())
            #expect(received >= 2, "the body arrived in one piece; it should stream")
        }
    }

    @Test func reusesConnections() async throws {
        try await Self.withServer { base, client in
            var ports: Set<JSONValue> = []
            for _ in 0..<5 {
                let response = try await client.execute(HTTPClientRequest(url: base + "/connection"))
                ports.insert(try JSONValue(parsing: try await response.collectBody())["port"] ?? .null)
            }
            #expect(ports.count == 1)
        }
    }

    @Test func reportsStatusCodesWithoutFailing() async throws {
        try await Self.withServer { base, client in
            for code in [204, 404, 500] {
                let response = try await client.execute(HTTPClientRequest(url: base + "/status?code=\(code)"))
                #expect(response.status == code)
                _ = try await response.collectBody()
            }
        }
    }

    @Test func refusesAResponseOverTheLimit() async throws {
        try await Self.withServer { base, client in
            let response = try await client.execute(
                HTTPClientRequest(url: base + "/bytes?n=100000", maxResponseBytes: 1000))
            await #expect {
                _ = try await response.collectBody()
            } throws: { error in
                (error as? HTTPClientError)?.code == .responseTooLarge
            }
            // The client still works afterwards.
            let next = try await client.execute(HTTPClientRequest(url: base + "/bytes?n=10"))
            #expect(try await next.collectBody().count == 10)
        }
    }

    @Test func aSlowReaderPausesTheTransferInsteadOfBuffering() async throws {
        try await Self.withServer { base, client in
            let total = 8 << 20
            let response = try await client.execute(
                HTTPClientRequest(url: base + "/bytes?n=\(total)", responseBufferBytes: 64 << 10))
            var received = 0
            var peak = 0
            while let chunk = try await response.body.next() {
                received += chunk.count
                peak = max(peak, response.body.queue.bufferedBytes)
                if received < 1 << 20 { try await Task.sleep(for: .microseconds(300)) }
            }
            #expect(received == total)
            // The bound plus at most one libcurl write (CURL_MAX_WRITE_SIZE, 16 KiB by default).
            #expect(peak <= (64 << 10) + (16 << 10))
        }
    }

    @Test func timesOut() async throws {
        try await Self.withServer { base, client in
            let start = ContinuousClock.now
            await #expect {
                _ = try await client.execute(
                    HTTPClientRequest(url: base + "/slow?delay=20", timeout: .milliseconds(300)))
            } throws: { error in
                (error as? HTTPClientError)?.code == .timedOut
            }
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await Self.withServer { base, client in
            let start = ContinuousClock.now
            let task = Task { try await client.execute(HTTPClientRequest(url: base + "/slow?delay=20")) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect {
                _ = try await task.value
            } throws: { error in
                (error as? HTTPClientError)?.code == .cancelled
            }
            #expect(ContinuousClock.now - start < .seconds(10))
        }
    }

    @Test func connectionRefusedAndBadRequestsAreTypedErrors() async throws {
        let client = try HTTPClient()
        defer { client.shutdown() }
        // A port nothing listens on: bind one, read its number, close it.
        let socket = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0)!, backlog: 1, reusePort: false)
        let port = try #require(try socket.localAddress()).port
        socket.close()
        await #expect {
            _ = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/", connectTimeout: .seconds(2)))
        } throws: { error in
            (error as? HTTPClientError)?.code == .connectFailed
        }
        await #expect {
            _ = try await client.execute(HTTPClientRequest(url: "file:///etc/passwd"))
        } throws: { error in
            (error as? HTTPClientError)?.code == .invalidRequest
        }
        await #expect {
            _ = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:1/", headers: [("X-Evil", "a\r\nInjected: b")]))
        } throws: { error in
            (error as? HTTPClientError)?.code == .invalidRequest
        }
    }

    @Test func afterShutdownRequestsFail() async throws {
        let client = try HTTPClient()
        client.shutdown()
        await #expect {
            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/"))
        } throws: { error in
            (error as? HTTPClientError)?.code == .shutDown
        }
    }
}

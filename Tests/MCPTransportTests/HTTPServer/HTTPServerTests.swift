import Foundation
import MCPCore
import Synchronization
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The HTTP server over real sockets: curl as an independent client, and raw sockets for
/// exact bytes.
@Suite("HTTP server")
struct HTTPServerTests {
    /// Echoes the method, target and body; `/stream` sends server-sent events forever;
    /// `/fail-after-head` throws mid-body.
    static let responder = HTTPResponderClosure { request, response in
        switch request.head.path {
        case "/stream":
            try await response.startEventStream()
            var index = 0
            while true {
                try await response.write(SSEEncoder.encode(ServerSentEvent(data: String(repeating: "x", count: 1000) + "\(index)")))
                index += 1
                StreamCounter.produced.add(1000, ordering: .relaxed)
            }
        case "/fail-after-head":
            try await response.writeHead(status: HTTPStatus(code: 200), framing: .chunked)
            try await response.write(Array("partial".utf8))
            throw HTTPServerError(.invalidResponse, "handler failure")
        case "/no-response":
            return
        default:
            let body = try await request.collectBody(upTo: 1 << 20)
            let text = "\(request.head.method) \(request.head.target) \(body.count)\n" + String(decoding: body, as: UTF8.self)
            try await response.send(status: HTTPStatus(code: 200), fields: ["Content-Type": "text/plain"], body: Array(text.utf8))
        }
    }

    enum StreamCounter {
        static let produced = Atomic<Int>(0)
    }

    static func withServer(
        _ configuration: HTTPServerConfiguration = HTTPServerConfiguration(),
        _ body: (UInt16, HTTPServer) async throws -> Void
    ) async throws {
        let server = HTTPServer(configuration: configuration, responder: responder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress().port
            do {
                try await body(port, server)
            } catch {
                server.shutdown(gracePeriod: .zero)
                throw error
            }
            server.shutdown(gracePeriod: .seconds(1))
            try await group.waitForAll()
        }
    }

    @Test func curlGetsAndPostsOverOneKeptAliveConnection() async throws {
        try await Self.withServer { port, _ in
            let base = "http://127.0.0.1:\(port)"
            let (output, status) = try await runCommand(
                "/usr/bin/curl",
                ["-s", "--max-time", "10", "-w", "|%{num_connects}\n", "\(base)/a?x=1", "--next", "-s", "-w", "|%{num_connects}\n", "-d", "hello=world", "\(base)/b"])
            #expect(status == 0)
            #expect(output.contains("GET /a?x=1 0\n|1"))
            #expect(output.contains("POST /b 11\nhello=world|0"), "the second request must reuse the connection: \(output)")
        }
    }

    @Test func curlSendsAChunkedBody() async throws {
        try await Self.withServer { port, _ in
            let (output, status) = try await runCommand(
                "/usr/bin/curl", ["-s", "--max-time", "10", "-H", "Transfer-Encoding: chunked", "--data-binary", "abc", "http://127.0.0.1:\(port)/c"])
            #expect(status == 0)
            #expect(output == "POST /c 3\nabc")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await Self.withServer { port, _ in
            let connection = try RawConnection(port: port)
            connection.send(
                "GET /one HTTP/1.1\r\nHost: a\r\n\r\nPOST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyzGET /three HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
            let (bytes, closed) = await connection.readUntilClose()
            let text = String(decoding: bytes, as: UTF8.self)
            let one = try #require(text.range(of: "GET /one 0"))
            let two = try #require(text.range(of: "POST /two 3\nxyz"))
            let three = try #require(text.range(of: "GET /three 0"))
            #expect(one.lowerBound < two.lowerBound && two.lowerBound < three.lowerBound)
            #expect(text.components(separatedBy: "HTTP/1.1 200 OK\r\n").count - 1 == 3)
            #expect(text.contains("Connection: close"))
            #expect(closed)
        }
    }

    @Test(arguments: [
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\naGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 501),
        ("GET / HTTP/1.1\nHost: a\n\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : a\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505),
        ("GET / HTTP/1.1\r\n\r\n", 400),
    ])
    func smugglingAttemptsGetOneErrorAndAClosedConnection(request: String, status: Int) async throws {
        try await Self.withServer { port, _ in
            let connection = try RawConnection(port: port)
            connection.send(request)
            let (bytes, closed) = await connection.readUntilClose()
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 \(status) "), "\(text)")
            let statusLines = text.components(separatedBy: "\r\n").filter { $0.hasPrefix("HTTP/1.1 ") }
            #expect(statusLines.count == 1, "exactly one response: \(text)")
            #expect(!text.contains("smuggled"))
            #expect(closed)
        }
    }

    @Test func oversizeHeadersAndBodiesAreRefused() async throws {
        let limits = HTTPParserLimits(maxHeaderSectionBytes: 1024, maxBodyBytes: 100)
        try await Self.withServer(HTTPServerConfiguration(parserLimits: limits)) { port, _ in
            var connection = try RawConnection(port: port)
            connection.send("GET / HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "a", count: 2000))\r\n\r\n")
            #expect(String(decoding: await connection.readUntilClose().bytes, as: UTF8.self).hasPrefix("HTTP/1.1 431 "))
            connection = try RawConnection(port: port)
            connection.send("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 101\r\n\r\n")
            #expect(String(decoding: await connection.readUntilClose().bytes, as: UTF8.self).hasPrefix("HTTP/1.1 413 "))
        }
    }

    @Test func aClientSendingOneByteAtATimeIsCutAtTheHeaderTimeout() async throws {
        let configuration = HTTPServerConfiguration(headerReadTimeout: .milliseconds(400))
        try await Self.withServer(configuration) { port, _ in
            let connection = try RawConnection(port: port)
            let start = ContinuousClock.now
            let request = Array("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: \(String(repeating: "s", count: 100))\r\n\r\n".utf8)
            let sender = Task.detached {
                for byte in request {
                    connection.send([byte])
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
            let (bytes, closed) = await connection.readUntilClose()
            sender.cancel()
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 408 "))
            #expect(closed)
            #expect(ContinuousClock.now - start < .seconds(3))
        }
    }

    @Test func idleConnectionsAreClosed() async throws {
        try await Self.withServer(HTTPServerConfiguration(idleTimeout: .milliseconds(200))) { port, server in
            let connection = try RawConnection(port: port)
            connection.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            let (bytes, closed) = await connection.readUntilClose()
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 200 "))
            #expect(closed)
            try await Task.sleep(for: .milliseconds(100))
            #expect(server.connectionCount == 0)
        }
    }

    @Test func aHandlerThatWritesNothingYields500AndOneThatFailsMidBodyCutsTheConnection() async throws {
        try await Self.withServer { port, _ in
            var connection = try RawConnection(port: port)
            connection.send("GET /no-response HTTP/1.1\r\nHost: a\r\n\r\n")
            #expect(await connection.read(until: "\r\n\r\n").hasPrefix("HTTP/1.1 500 "))
            connection = try RawConnection(port: port)
            connection.send("GET /fail-after-head HTTP/1.1\r\nHost: a\r\n\r\n")
            let (bytes, closed) = await connection.readUntilClose()
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 "))
            #expect(text.contains("partial"))
            #expect(!text.hasSuffix("0\r\n\r\n"), "a failed response must not look complete")
            #expect(closed)
        }
    }

    @Test func aClientThatNeverReadsAStreamDoesNotGrowServerMemory() async throws {
        let configuration = HTTPServerConfiguration(responseBufferBytes: 64 << 10)
        try await Self.withServer(configuration) { port, _ in
            let connection = try RawConnection(port: port, receiveBuffer: 4096)
            StreamCounter.produced.store(0, ordering: .relaxed)
            connection.send("GET /stream HTTP/1.1\r\nHost: a\r\n\r\n")
            // Wait until the producer stalls (the kernel's buffers fill at their own pace),
            // then check that it stays stalled and that what it made is bounded.
            var previous = -1
            var current = StreamCounter.produced.load(ordering: .relaxed)
            for _ in 0..<50 where current != previous || current == 0 {
                try await Task.sleep(for: .milliseconds(300))
                previous = current
                current = StreamCounter.produced.load(ordering: .relaxed)
            }
            try await Task.sleep(for: .milliseconds(500))
            let later = StreamCounter.produced.load(ordering: .relaxed)
            #expect(current > 0)
            #expect(later == current, "the producer kept going while nobody read")
            #expect(later < 16 << 20)
            // Reading resumes the stream.
            _ = await connection.read(until: "data:", count: 20)
        }
    }

    @Test func limitsConnectionsPerAddress() async throws {
        try await Self.withServer(HTTPServerConfiguration(maxConnectionsPerAddress: 2)) { port, server in
            let first = try RawConnection(port: port)
            let second = try RawConnection(port: port)
            first.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            second.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            _ = await first.read(until: "\r\n\r\n")
            _ = await second.read(until: "\r\n\r\n")
            let third = try RawConnection(port: port)
            let (bytes, closed) = await third.readUntilClose()
            #expect(String(decoding: bytes, as: UTF8.self).hasPrefix("HTTP/1.1 503 "))
            #expect(closed)
            #expect(server.connectionCount == 2)
        }
    }

    @Test func shutdownLetsAnInFlightRequestFinish() async throws {
        let server = HTTPServer(
            responder: HTTPResponderClosure { request, response in
                try await Task.sleep(for: .milliseconds(300))
                try await response.send(status: HTTPStatus(code: 200), body: Array("done".utf8))
            })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try await server.listeningAddress().port
            let busy = try RawConnection(port: port)
            let idle = try RawConnection(port: port)
            busy.send("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
            try await Task.sleep(for: .milliseconds(50))
            server.shutdown(gracePeriod: .seconds(5))
            let (bytes, closed) = await busy.readUntilClose()
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.hasPrefix("HTTP/1.1 200 "))
            #expect(text.contains("Connection: close"))
            #expect(text.hasSuffix("done"))
            #expect(closed)
            #expect(await idle.readUntilClose().closed)
            try await group.waitForAll()  // run() returns
            #expect(throws: (any Error).self) { try RawConnection(port: port) }
        }
    }
}

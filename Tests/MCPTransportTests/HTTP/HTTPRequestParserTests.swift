import Testing

@testable import MCPTransport

@Suite("HTTP request parser")
struct HTTPRequestParserTests {
    typealias Harness = HTTPParserHarness

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Checks that `input` gives the same outcome whole, byte by byte, and split in two at
    /// every index, and returns it.
    private func parseEverySplit(
        _ input: [UInt8], limits: HTTPParserLimits = .default
    ) -> Harness.Outcome {
        let whole = Harness.whole(input, limits: limits)
        #expect(Harness.byteByByte(input, limits: limits).items == whole.items)
        for index in 0...input.count {
            let split = Harness.split(input, at: index, limits: limits)
            #expect(split.items == whole.items, "split at \(index)")
            #expect(split.error == whole.error, "split at \(index)")
        }
        return whole
    }

    @Test func parsesASimpleGet() throws {
        let outcome = parseEverySplit(
            bytes("GET /mcp?session=abc%20d HTTP/1.1\r\nHost: example.com:8080\r\nAccept:  text/event-stream \r\n\r\n"))
        #expect(outcome.error == nil)
        #expect(outcome.items.count == 2)
        let head = try #require(outcome.heads.first)
        #expect(head.method == .get)
        #expect(head.target == "/mcp?session=abc%20d")
        #expect(head.targetForm == .origin)
        #expect(head.path == "/mcp")
        #expect(head.query == "session=abc%20d")
        #expect(head.version == .http1_1)
        #expect(head.keepAlive)
        #expect(!head.expectsContinue)
        #expect(head.bodyFraming == .none)
        #expect(head.authority == "example.com:8080")
        #expect(head.fields["accept"] == "text/event-stream")
        #expect(outcome.items.last == .end(HTTPFields()))
    }

    @Test func parsesAContentLengthBody() throws {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"ping"}"#
        let input = bytes(
            "POST /mcp HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        )
        let outcome = parseEverySplit(input)
        #expect(outcome.error == nil)
        #expect(outcome.items.count == 3)
        let head = try #require(outcome.heads.first)
        #expect(head.bodyFraming == .contentLength(body.utf8.count))
        #expect(outcome.items[1] == .body(bytes(body)))
        #expect(outcome.items[2] == .end(HTTPFields()))
    }

    @Test func leadingZerosAndZeroLength() throws {
        let outcome = Harness.whole(
            bytes(
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 005\r\n\r\nhelloPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n"
            ))
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.bodyFraming) == [.contentLength(5), .none])
        #expect(outcome.items.count == 5)
    }

    @Test func parsesAChunkedBodyWithExtensionsAndTrailers() throws {
        let input = bytes(
            "POST /mcp HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n"
                + "6 ; quoted=\"a \\\"b\\\" c\" ; flag\r\n world\r\n"
                + "0000000000000010;last\r\n0123456789abcdef\r\n"
                + "0\r\nX-Checksum: abc\r\nX-Other:\t1 \r\n\r\n")
        let outcome = parseEverySplit(input)
        #expect(outcome.error == nil)
        let head = try #require(outcome.heads.first)
        #expect(head.bodyFraming == .chunked)
        #expect(outcome.items.count == 3)
        #expect(outcome.items[1] == .body(bytes("hello world0123456789abcdef")))
        let trailers: HTTPFields = ["X-Checksum": "abc", "X-Other": "1"]
        #expect(outcome.items[2] == .end(trailers))
    }

    @Test func parsesPipelinedRequestsSplitAnywhere() throws {
        let input = bytes(
            "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
                + "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
                + "POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n"
                + "\r\nOPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n")
        let outcome = parseEverySplit(input)
        #expect(outcome.error == nil)
        #expect(outcome.heads.map(\.target) == ["/one", "/two", "/three", "*"])
        #expect(outcome.heads.last?.targetForm == .asterisk)
        #expect(outcome.heads.last?.path == "*")
        let bodies = outcome.items.compactMap { item -> [UInt8]? in
            if case .body(let body) = item { return body }
            return nil
        }
        #expect(bodies == [bytes("abc"), bytes("de")])
        #expect(outcome.items.count { $0 == .end(HTTPFields()) } == 4)
    }

    @Test func http10ClosesUnlessKeepAliveIsAsked() throws {
        let plain = Harness.whole(
            bytes("GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n"), finish: false)
        #expect(plain.error == nil)
        #expect(plain.heads.map(\.target) == ["/a"])
        #expect(plain.heads.first?.keepAlive == false)
        #expect(plain.heads.first?.authority == nil)

        let kept = Harness.whole(
            bytes(
                "GET /a HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\nGET /b HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\nGET /c HTTP/1.0\r\n\r\n"
            ), finish: false)
        #expect(kept.error == nil)
        #expect(kept.heads.map(\.target) == ["/a", "/b"])
        #expect(kept.heads.map(\.keepAlive) == [true, false])
    }

    @Test func http11ClosesAfterConnectionClose() throws {
        var parser = HTTPRequestParser()
        parser.append(
            bytes("GET /a HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"))
        guard case .head(let head) = try parser.next() else {
            Issue.record("no head")
            return
        }
        #expect(!head.keepAlive)
        #expect(try parser.next() == .end(trailers: HTTPFields()))
        #expect(parser.isClosed)
        #expect(try parser.next() == nil)
        parser.append(bytes("GET /c HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(try parser.next() == nil)
        #expect(parser.bufferedByteCount == 0)
    }

    @Test func reportsExpectContinue() throws {
        var parser = HTTPRequestParser()
        parser.append(
            bytes("POST /mcp HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n"))
        guard case .head(let head) = try parser.next() else {
            Issue.record("no head")
            return
        }
        #expect(head.expectsContinue)
        // The server answers 100 Continue here; the body follows.
        #expect(try parser.next() == nil)
        parser.append(bytes("{}"))
        #expect(try parser.next() == .body(bytes("{}")[...]))
        #expect(try parser.next() == .end(trailers: HTTPFields()))

        let http10 = Harness.whole(
            bytes("POST /mcp HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n"))
        #expect(http10.error == nil)
        #expect(http10.heads.first?.expectsContinue == false)
    }

    @Test func acceptsAbsoluteForm() throws {
        let outcome = Harness.whole(
            bytes(
                "GET HTTP://Example.com:8080/mcp?x=1 HTTP/1.1\r\nHost: other.example\r\n\r\nGET https://[::1] HTTP/1.1\r\nHost: [::1]\r\n\r\nGET http://example.com?q HTTP/1.1\r\nHost: example.com\r\n\r\n"
            ))
        #expect(outcome.error == nil)
        let heads = outcome.heads
        try #require(heads.count == 3)
        #expect(heads[0].targetForm == .absolute)
        #expect(heads[0].authority == "Example.com:8080")
        #expect(heads[0].path == "/mcp")
        #expect(heads[0].query == "x=1")
        #expect(heads[1].authority == "[::1]")
        #expect(heads[1].path == "/")
        #expect(heads[2].path == "/")
        #expect(heads[2].query == "q")
    }

    @Test func skipsEmptyLinesBeforeARequest() {
        let outcome = Harness.byteByByte(bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(outcome.error == nil)
        #expect(outcome.heads.count == 1)
    }

    @Test func keepsFieldsInOrderWithTheirCase() throws {
        let outcome = Harness.whole(
            bytes(
                "GET / HTTP/1.1\r\nHost: a\r\nX-Multi: 1\r\nx-multi: 2 , \"3,4\"\r\nX-Empty:\r\nX-Obs: caf\u{E9}\r\n\r\n"
            ))
        #expect(outcome.error == nil)
        let fields = try #require(outcome.heads.first).fields
        #expect(fields.map(\.name) == ["Host", "X-Multi", "x-multi", "X-Empty", "X-Obs"])
        #expect(fields.values(named: "X-MULTI") == ["1", "2 , \"3,4\""])
        #expect(fields.listElements(named: "x-multi") == ["1", "2", "\"3,4\""])
        #expect(fields["x-empty"] == "")
        #expect(fields["x-obs"] == "caf\u{E9}")
        #expect(fields.count(named: "x-multi") == 2)
    }

    @Test func acceptsLimitsExactly() throws {
        let limits = HTTPParserLimits(
            maxRequestLineBytes: 32, maxHeaderSectionBytes: 64, maxFieldCount: 3, maxBodyBytes: 4,
            maxChunkExtensionBytes: 8, maxTrailerSectionBytes: 16)
        // "GET /" + 18 + " HTTP/1.1" = 32 bytes.
        let line = "GET /\(String(repeating: "a", count: 18)) HTTP/1.1"
        #expect(line.utf8.count == 32)
        // "Host: a" (9 with CRLF) + "X: " and 25 bytes (30) + "Y: " and 18 bytes (23) = 62, + 2 = 64.
        let fields =
            "Host: a\r\nX: \(String(repeating: "x", count: 25))\r\nY: \(String(repeating: "y", count: 18))\r\n\r\n"
        #expect(fields.utf8.count == 64)
        let ok = Harness.whole(bytes("\(line)\r\n\(fields)"), limits: limits)
        #expect(ok.error == nil)
        #expect(ok.heads.count == 1)

        let longLine = Harness.whole(bytes("\(line)a\r\n\(fields)"), limits: limits)
        #expect(longLine.error?.code == .requestLineTooLong)
        let longTarget = Harness.whole(bytes("GET /\(String(repeating: "a", count: 30)) HTTP/1.1\r\n"), limits: limits)
        #expect(longTarget.error?.code == .targetTooLong)
        let bigSection = Harness.whole(bytes("\(line)\r\n\(fields.dropLast(2))Z\r\n\r\n"), limits: limits)
        #expect(bigSection.error?.code == .headerSectionTooLarge)

        let chunked = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        let okBody = Harness.whole(
            bytes(chunked + "2;abcdef\r\nab\r\n2\r\ncd\r\n0\r\nT: 123456789\r\n\r\n"), limits: limits)
        #expect(okBody.error == nil)
        let longExtension = Harness.whole(bytes(chunked + "2;abcdefgh\r\nab\r\n"), limits: limits)
        #expect(longExtension.error?.code == .chunkExtensionTooLong)
        let bigBody = Harness.whole(bytes(chunked + "2\r\nab\r\n3\r\ncde\r\n"), limits: limits)
        #expect(bigBody.error?.code == .bodyTooLarge)
        let bigTrailers = Harness.whole(bytes(chunked + "0\r\nT: 1234567890\r\n\r\n"), limits: limits)
        #expect(bigTrailers.error?.code == .trailerSectionTooLarge)
        let tooMany = Harness.whole(bytes("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), limits: limits)
        #expect(tooMany.error?.code == .tooManyFields)
    }

    @Test func streamsLargeBodiesWithoutGatheringThem() throws {
        let size = 1 << 20
        var parser = HTTPRequestParser()
        parser.append(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \(size)\r\n\r\n"))
        guard case .head = try parser.next() else {
            Issue.record("no head")
            return
        }
        let piece = [UInt8](repeating: 0x61, count: 64 << 10)
        var received = 0
        var ended = false
        while received < size {
            parser.append(piece)
            while let event = try parser.next() {
                switch event {
                case .body(let slice):
                    #expect(slice.count <= piece.count)
                    received += slice.count
                case .end: ended = true
                case .head: Issue.record("unexpected head")
                }
            }
            #expect(parser.bufferedByteCount == 0)
        }
        #expect(received == size)
        #expect(ended)
        #expect(parser.isIdle)
    }

    @Test func finishBetweenRequestsCloses() throws {
        var parser = HTTPRequestParser()
        #expect(parser.isIdle)
        parser.append(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
        #expect(!parser.isIdle)
        while try parser.next() != nil {}
        #expect(parser.isIdle)
        try parser.finish()
        #expect(parser.isClosed)
        #expect(parser.error == nil)
    }

    @Test func finishBeforeTheLastEndStillDeliversIt() throws {
        var parser = HTTPRequestParser()
        parser.append(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\n\r\n"))
        guard case .head = try parser.next() else {
            Issue.record("no head")
            return
        }
        try parser.finish()
        #expect(try parser.next() == .end(trailers: HTTPFields()))
        #expect(try parser.next() == nil)
        #expect(parser.isClosed)
    }

    @Test func headInitializerDerivesFraming() {
        let head = HTTPRequestHead(
            method: .post, target: "/mcp", version: .http1_0,
            fields: ["Content-Length": "12", "Connection": "keep-alive"])
        #expect(head.bodyFraming == .contentLength(12))
        #expect(head.keepAlive)
        #expect(head.targetForm == .origin)
        let chunked = HTTPRequestHead(
            method: .post, target: "http://h/x", fields: ["Transfer-Encoding": "chunked", "Expect": "100-continue"])
        #expect(chunked.bodyFraming == .chunked)
        #expect(chunked.expectsContinue)
        #expect(chunked.targetForm == .absolute)
        #expect(chunked.authority == "h")
    }

    @Test func methodsAreTokens() {
        #expect(HTTPMethod(rawValue: "GET") == .get)
        #expect(HTTPMethod(rawValue: "PROPFIND")?.rawValue == "PROPFIND")
        #expect(HTTPMethod(rawValue: "") == nil)
        #expect(HTTPMethod(rawValue: "GE T") == nil)
        #expect(HTTPMethod(rawValue: "get") != .get)
    }
}

@Suite("HTTP request parser under random input")
struct HTTPRequestParserPropertyTests {
    private static let seeds: [UInt64] = [11, 12, 13, 14]

    /// Valid requests to mutate.
    private static let templates: [[UInt8]] = [
        "GET /mcp?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: text/event-stream\r\n\r\n",
        "POST /mcp HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
        "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    ].map { Array($0.utf8) }

    /// Bytes that matter to the grammar, so that mutations hit interesting places.
    private static let interesting: [UInt8] = Array(" \t\r\n:;,=\"\\0aZ/?%*".utf8) + [0x00, 0x7F, 0x80, 0xFF]

    @Test(arguments: seeds)
    func outcomeDoesNotDependOnHowInputIsSplit(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<150 {
            var input: [UInt8] = []
            for _ in 0..<(1 + Int(generator.next() % 3)) {
                input += Self.templates[Int(generator.next() % UInt64(Self.templates.count))]
            }
            for _ in 0..<Int(generator.next() % 4) {
                let index = Int(generator.next() % UInt64(input.count))
                let byte = Self.interesting[Int(generator.next() % UInt64(Self.interesting.count))]
                switch generator.next() % 3 {
                case 0: input[index] = byte
                case 1: input.insert(byte, at: index)
                default: input.remove(at: index)
                }
            }
            let whole = HTTPParserHarness.whole(input)
            let bytewise = HTTPParserHarness.byteByByte(input)
            #expect(bytewise.items == whole.items)
            #expect(bytewise.error == whole.error)
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + 1 + Int(generator.next() % 20))
                pieces.append(input[start..<end])
                start = end
            }
            let random = HTTPParserHarness.run(pieces)
            #expect(random.items == whole.items)
            #expect(random.error == whole.error)
        }
    }

    @Test func extremeLimitsNeitherOverflowNorCrash() {
        let input = Array(
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\n\r\n".utf8)
        let huge = HTTPParserLimits(
            maxRequestLineBytes: .max, maxHeaderSectionBytes: .max, maxFieldCount: .max, maxBodyBytes: .max,
            maxChunkExtensionBytes: .max, maxTrailerSectionBytes: .max)
        #expect(HTTPParserHarness.whole(input, limits: huge).error == nil)
        let negative = HTTPParserLimits(
            maxRequestLineBytes: .min, maxHeaderSectionBytes: -1, maxFieldCount: -1, maxBodyBytes: -1,
            maxChunkExtensionBytes: -1, maxTrailerSectionBytes: -1)
        #expect(HTTPParserHarness.whole(input, limits: negative).error?.code == .requestLineTooLong)
    }
}

import Testing

@testable import MCPTransport

@Suite("HTTP response writer")
struct HTTPResponseWriterTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func encodesAResponseWithContentLength() throws {
        let head = HTTPResponseHead(
            status: .ok, fields: ["Content-Type": "application/json", "Mcp-Session-Id": "abc"])
        let encoded = try HTTPResponseWriter.encode(head, body: bytes("{}"))
        #expect(
            text(encoded)
                == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: abc\r\nContent-Length: 2\r\n\r\n{}"
        )
        let custom = try HTTPResponseWriter.encode(
            HTTPResponseHead(status: HTTPStatus(code: 299, reasonPhrase: "")))
        #expect(text(custom) == "HTTP/1.1 299 \r\nContent-Length: 0\r\n\r\n")
    }

    @Test func encodesChunksAndTrailers() throws {
        var writer = HTTPResponseWriter()
        var buffer: [UInt8] = []
        try writer.writeHead(
            HTTPResponseHead(status: .ok, fields: ["Content-Type": "text/event-stream"]),
            framing: .chunked, into: &buffer)
        try writer.writeBody(bytes("hello"), into: &buffer)
        try writer.writeBody([UInt8](), into: &buffer)
        try writer.writeBody([UInt8](repeating: 0x78, count: 4096), into: &buffer)
        try writer.writeEnd(trailers: ["X-Checksum": "abc"], into: &buffer)
        #expect(writer.isComplete)
        #expect(!writer.closesConnection)
        let expected =
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5\r\nhello\r\n1000\r\n" + String(repeating: "x", count: 4096) + "\r\n"
            + "0\r\nX-Checksum: abc\r\n\r\n"
        #expect(text(buffer) == expected)
    }

    @Test func chunkedOutputParsesBack() throws {
        var writer = HTTPResponseWriter()
        var head: [UInt8] = []
        try writer.writeHead(HTTPResponseHead(status: .ok), framing: .chunked, into: &head)
        var body: [UInt8] = []
        var expected: [UInt8] = []
        var generator = SplitMix64(seed: 7)
        for _ in 0..<50 {
            let piece = (0..<Int(generator.next() % 300)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            expected += piece
            try writer.writeBody(piece, into: &body)
        }
        try writer.writeEnd(trailers: ["X-T": "1"], into: &body)
        // The request parser reads the same chunked coding.
        let request = bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n") + body
        let outcome = HTTPParserHarness.byteByByte(request)
        #expect(outcome.error == nil)
        #expect(outcome.items.count == 3)
        #expect(outcome.items[1] == .body(expected))
        #expect(outcome.items[2] == .end(["X-T": "1"]))
    }

    @Test func leavesOutBodiesWhereNoneMayBeSent() throws {
        var noContent = HTTPResponseWriter()
        var buffer: [UInt8] = []
        try noContent.writeHead(HTTPResponseHead(status: .noContent), framing: .contentLength(5), into: &buffer)
        #expect(text(buffer) == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(throws: HTTPEncodingError(.bodyNotAllowed, "")) {
            try noContent.writeBody(self.bytes("hello"), into: &buffer)
        }
        try noContent.writeBody([UInt8](), into: &buffer)
        try noContent.writeEnd(into: &buffer)

        var notModified = HTTPResponseWriter()
        buffer = []
        try notModified.writeHead(HTTPResponseHead(status: .notModified), framing: .chunked, into: &buffer)
        try notModified.writeEnd(into: &buffer)
        #expect(text(buffer) == "HTTP/1.1 304 Not Modified\r\n\r\n")

        var head = HTTPResponseWriter(requestMethod: .head)
        buffer = []
        try head.writeHead(HTTPResponseHead(status: .ok), framing: .contentLength(5), into: &buffer)
        try head.writeBody(bytes("hello"), into: &buffer)
        try head.writeEnd(into: &buffer)
        #expect(text(buffer) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    }

    @Test func refusesResponseSplitting() throws {
        let values = [
            "a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\u{0}b", "a\u{7F}", " leading", "trailing\t",
            "\r\n\r\nHTTP/1.1 200 OK",
        ]
        for value in values {
            var writer = HTTPResponseWriter()
            var buffer: [UInt8] = []
            #expect(throws: HTTPEncodingError(.invalidFieldValue, ""), "\(value.debugDescription)") {
                try writer.writeHead(
                    HTTPResponseHead(status: .ok, fields: ["Location": value]), framing: .contentLength(0),
                    into: &buffer)
            }
            #expect(buffer.isEmpty)
            // The writer is still usable for another response.
            try writer.writeHead(
                HTTPResponseHead(status: .internalServerError), framing: .contentLength(0), into: &buffer)
            #expect(text(buffer).hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        }
        for name in ["X-A\r\nX-B", "X A", "", "X:A", "X\n"] {
            var writer = HTTPResponseWriter()
            var buffer: [UInt8] = []
            #expect(throws: HTTPEncodingError(.invalidFieldName, ""), "\(name.debugDescription)") {
                try writer.writeHead(
                    HTTPResponseHead(status: .ok, fields: [name: "v"]), framing: .contentLength(0), into: &buffer)
            }
            #expect(buffer.isEmpty)
        }
        var writer = HTTPResponseWriter()
        var buffer: [UInt8] = []
        #expect(throws: HTTPEncodingError(.invalidReasonPhrase, "")) {
            try writer.writeHead(
                HTTPResponseHead(status: HTTPStatus(code: 200, reasonPhrase: "OK\r\nX-Injected: 1")),
                framing: .contentLength(0), into: &buffer)
        }
        try writer.writeHead(HTTPResponseHead(status: .ok), framing: .chunked, into: &buffer)
        buffer = []
        #expect(throws: HTTPEncodingError(.invalidFieldValue, "")) {
            try writer.writeEnd(trailers: ["X-T": "a\r\nb"], into: &buffer)
        }
        #expect(buffer.isEmpty)
    }

    @Test func refusesFramingFieldsAndBadStatuses() {
        var writer = HTTPResponseWriter()
        var buffer: [UInt8] = []
        for fields: HTTPFields in [["Content-Length": "5"], ["transfer-encoding": "chunked"]] {
            #expect(throws: HTTPEncodingError(.framingField, "")) {
                try writer.writeHead(
                    HTTPResponseHead(status: .ok, fields: fields), framing: .contentLength(5), into: &buffer)
            }
        }
        for code in [0, 99, 100, 101, 199, 1000] {
            #expect(throws: HTTPEncodingError(.invalidStatus, ""), "\(code)") {
                try writer.writeHead(
                    HTTPResponseHead(status: HTTPStatus(code: code)), framing: .contentLength(0), into: &buffer)
            }
        }
        #expect(buffer.isEmpty)
    }

    @Test func enforcesOrderAndLengths() throws {
        var writer = HTTPResponseWriter()
        var buffer: [UInt8] = []
        #expect(throws: HTTPEncodingError(.outOfOrder, "")) { try writer.writeBody(self.bytes("x"), into: &buffer) }
        #expect(throws: HTTPEncodingError(.outOfOrder, "")) { try writer.writeEnd(into: &buffer) }
        try writer.writeContinue(into: &buffer)
        #expect(buffer == HTTPResponseWriter.continueBytes)
        #expect(text(buffer) == "HTTP/1.1 100 Continue\r\n\r\n")
        #expect(throws: HTTPEncodingError(.outOfOrder, "")) { try writer.writeContinue(into: &buffer) }
        buffer = []
        try writer.writeHead(HTTPResponseHead(status: .ok), framing: .contentLength(4), into: &buffer)
        #expect(throws: HTTPEncodingError(.outOfOrder, "")) {
            try writer.writeHead(HTTPResponseHead(status: .ok), framing: .contentLength(4), into: &buffer)
        }
        try writer.writeBody(bytes("ab"), into: &buffer)
        let before = buffer
        #expect(throws: HTTPEncodingError(.bodyLengthExceeded, "")) {
            try writer.writeBody(self.bytes("cde"), into: &buffer)
        }
        #expect(buffer == before)
        #expect(throws: HTTPEncodingError(.bodyIncomplete, "")) { try writer.writeEnd(into: &buffer) }
        #expect(throws: HTTPEncodingError(.trailersNotAllowed, "")) {
            try writer.writeEnd(trailers: ["A": "1"], into: &buffer)
        }
        try writer.writeBody(bytes("cd"), into: &buffer)
        try writer.writeEnd(into: &buffer)
        #expect(throws: HTTPEncodingError(.outOfOrder, "")) { try writer.writeEnd(into: &buffer) }
        #expect(throws: HTTPEncodingError(.outOfOrder, "")) { try writer.writeBody(self.bytes("x"), into: &buffer) }
        #expect(text(buffer) == "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nabcd")
    }

    @Test func speaksHTTP10Carefully() throws {
        var writer = HTTPResponseWriter(requestMethod: .get, requestVersion: .http1_0)
        var buffer: [UInt8] = []
        #expect(throws: HTTPEncodingError(.invalidStatus, "")) { try writer.writeContinue(into: &buffer) }
        #expect(throws: HTTPEncodingError(.chunkedNotAllowed, "")) {
            try writer.writeHead(HTTPResponseHead(status: .ok), framing: .chunked, into: &buffer)
        }
        try writer.writeHead(
            HTTPResponseHead(status: .ok, fields: ["Connection": "close"]), framing: .untilClose, into: &buffer)
        try writer.writeBody(bytes("data: 1\n\n"), into: &buffer)
        try writer.writeEnd(into: &buffer)
        #expect(writer.closesConnection)
        #expect(text(buffer) == "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\ndata: 1\n\n")

        let request = HTTPRequestHead(method: .head, target: "/", version: .http1_0)
        let answering = HTTPResponseWriter(answering: request)
        #expect(answering.requestMethod == .head)
        #expect(answering.requestVersion == .http1_0)
    }
}

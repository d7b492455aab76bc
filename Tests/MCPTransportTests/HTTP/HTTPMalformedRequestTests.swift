import Testing

@testable import MCPTransport

/// One malformed or smuggling request and how it must be refused.
struct MalformedRequest: Sendable, CustomTestStringConvertible {
    let name: String
    let raw: [UInt8]
    let status: Int
    let code: HTTPParserError.Code
    /// Whether the input is cut short, so that only the end of the stream reveals the
    /// error (no follow-up request is appended then).
    let truncated: Bool
    let limits: HTTPParserLimits

    init(
        _ name: String, _ raw: [UInt8], _ status: Int, _ code: HTTPParserError.Code,
        truncated: Bool = false, limits: HTTPParserLimits = .default
    ) {
        self.name = name
        self.raw = raw
        self.status = status
        self.code = code
        self.truncated = truncated
        self.limits = limits
    }

    init(
        _ name: String, _ raw: String, _ status: Int, _ code: HTTPParserError.Code,
        truncated: Bool = false, limits: HTTPParserLimits = .default
    ) {
        self.init(name, Array(raw.utf8), status, code, truncated: truncated, limits: limits)
    }

    var testDescription: String { name }
}

enum MalformedCorpus {
    static let host = "Host: example.com\r\n"
    static let chunkedHead =
        "POST /mcp HTTP/1.1\r\nHost: example.com\r\nTransfer-Encoding: chunked\r\n\r\n"
    /// A valid request appended after each malformed one: it must never come out.
    static let followUp = Array("GET /smuggled HTTP/1.1\r\nHost: example.com\r\n\r\n".utf8)

    static func get(_ fields: String, version: String = "HTTP/1.1") -> String {
        "GET /mcp \(version)\r\n\(fields)\r\n"
    }

    static func post(_ fields: String) -> String {
        "POST /mcp HTTP/1.1\r\n\(host)\(fields)\r\n"
    }

    static let cases: [MalformedRequest] =
        requestLine + lineEndings + fields + hosts
        + framing + chunked + others

    static let requestLine: [MalformedRequest] = [
        .init("double space after method", "GET  /mcp HTTP/1.1\r\n\(host)\r\n", 400, .invalidRequestLine),
        .init("double space before version", "GET /mcp  HTTP/1.1\r\n\(host)\r\n", 400, .invalidRequestLine),
        .init("space after version", "GET /mcp HTTP/1.1 \r\n\(host)\r\n", 400, .invalidRequestLine),
        .init("space before method", " GET /mcp HTTP/1.1\r\n\(host)\r\n", 400, .invalidRequestLine),
        .init("HTTP/0.9 request line", "GET /mcp\r\n\r\n", 400, .invalidRequestLine),
        .init("tab as separator", "GET\t/mcp HTTP/1.1\r\n\(host)\r\n", 400, .invalidRequestLine),
        .init("separator in method", "GE(T /mcp HTTP/1.1\r\n\(host)\r\n", 400, .invalidMethod),
        .init("NUL in method", "G\u{0}T /mcp HTTP/1.1\r\n\(host)\r\n", 400, .invalidMethod),
        .init("HTTP/1.2", "GET /mcp HTTP/1.2\r\n\(host)\r\n", 505, .unsupportedVersion),
        .init("HTTP/2.0", "GET /mcp HTTP/2.0\r\n\(host)\r\n", 505, .unsupportedVersion),
        .init("HTTP/0.9 version", "GET /mcp HTTP/0.9\r\n\(host)\r\n", 505, .unsupportedVersion),
        .init("lower-case version", "GET /mcp http/1.1\r\n\(host)\r\n", 400, .invalidVersion),
        .init("two-digit minor version", "GET /mcp HTTP/1.10\r\n\(host)\r\n", 400, .invalidVersion),
        .init("version without dot", "GET /mcp HTTP/11\r\n\(host)\r\n", 400, .invalidVersion),
        .init("relative target", "GET mcp HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("fragment in target", "GET /mcp#top HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("bad percent-encoding", "GET /%zz HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("cut percent-encoding", "GET /a% HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("DEL in target", "GET /a\u{7F} HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("NUL in target", "GET /a\u{0}b HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("raw UTF-8 in target", "GET /caf\u{E9} HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("asterisk for GET", "GET * HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\n\(host)\r\n", 501, .connectNotSupported),
        .init("authority-form for GET", "GET example.com:443 HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init(
            "absolute-form with user info", "GET http://user@example.com/ HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("absolute-form with empty host", "GET http:///mcp HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init("absolute-form with other scheme", "GET ftp://example.com/ HTTP/1.1\r\n\(host)\r\n", 400, .invalidTarget),
        .init(
            "absolute-form with port over 65535", "GET http://example.com:65536/ HTTP/1.1\r\n\(host)\r\n", 400,
            .invalidTarget),
        .init(
            "absolute-form with letters in port", "GET http://example.com:8o/ HTTP/1.1\r\n\(host)\r\n", 400,
            .invalidTarget),
        .init(
            "target over the line limit", "GET /\(String(repeating: "a", count: 9000)) HTTP/1.1\r\n\(host)\r\n", 414,
            .targetTooLong),
        .init("method over the line limit", String(repeating: "A", count: 9000), 400, .requestLineTooLong),
        .init(
            "empty lines over the line limit", String(repeating: "\r\n", count: 4200) + "GET / HTTP/1.1\r\n", 400,
            .requestLineTooLong),
    ]

    static let lineEndings: [MalformedRequest] = [
        .init("bare LF after request line", "GET /mcp HTTP/1.1\nHost: example.com\n\n", 400, .bareLineFeed),
        .init("bare LF after field line", "GET /mcp HTTP/1.1\r\nHost: example.com\nX-A: 1\r\n\r\n", 400, .bareLineFeed),
        .init("bare LF ends the head", String(get(host).dropLast(2)) + "\n", 400, .bareLineFeed),
        .init("bare LF before request line", "\nGET /mcp HTTP/1.1\r\n\(host)\r\n", 400, .bareLineFeed),
        .init("bare CR after request line", "GET /mcp HTTP/1.1\rHost: example.com\r\n\r\n", 400, .bareCarriageReturn),
        .init("bare CR inside field value", get(host + "X-A: a\rb\r\n"), 400, .bareCarriageReturn),
        .init("bare CR ends the head", String(get(host).dropLast(2)) + "\r\r\n", 400, .bareCarriageReturn),
    ]

    static let fields: [MalformedRequest] = [
        .init("obsolete line folding", get(host + "X-A: a\r\n b\r\n"), 400, .obsoleteLineFolding),
        .init("obsolete line folding with tab", get(host + "X-A: a\r\n\tb\r\n"), 400, .obsoleteLineFolding),
        .init("folded Transfer-Encoding", post("X-A: a\r\n Transfer-Encoding: chunked\r\n"), 400, .obsoleteLineFolding),
        .init("white space before first field", get(" " + host), 400, .obsoleteLineFolding),
        .init("space before colon", get("Host : example.com\r\n"), 400, .whitespaceBeforeColon),
        .init("tab before colon in Content-Length", post("Content-Length\t: 5\r\n"), 400, .whitespaceBeforeColon),
        .init(
            "space before colon in Transfer-Encoding", post("Transfer-Encoding : chunked\r\n"), 400,
            .whitespaceBeforeColon),
        .init("field line without colon", get(host + "X-A\r\n"), 400, .invalidFieldLine),
        .init("empty field name", get(host + ": a\r\n"), 400, .invalidFieldName),
        .init("separator in field name", get(host + "X(A): 1\r\n"), 400, .invalidFieldName),
        .init("space inside field name", get(host + "X A: 1\r\n"), 400, .invalidFieldName),
        .init("NUL in field name", get(host + "X\u{0}A: 1\r\n"), 400, .invalidFieldName),
        .init("NUL in field value", get(host + "X-A: a\u{0}b\r\n"), 400, .invalidFieldValue),
        .init("DEL in field value", get(host + "X-A: a\u{7F}\r\n"), 400, .invalidFieldValue),
        .init("control byte in field value", get(host + "X-A: \u{1}\r\n"), 400, .invalidFieldValue),
        .init("vertical tab before chunked", post("Transfer-Encoding: \u{B}chunked\r\n"), 400, .invalidFieldValue),
        .init("form feed after Content-Length", post("Content-Length: 5\u{C}\r\n"), 400, .invalidFieldValue),
        .init("101 field lines", get(host + String(repeating: "X-A: 1\r\n", count: 100)), 431, .tooManyFields),
        .init(
            "header section over 32 KiB",
            get(host + String(repeating: "X-A: \(String(repeating: "v", count: 1000))\r\n", count: 40)), 431,
            .headerSectionTooLarge),
        .init(
            "one field over 32 KiB", get(host + "X-A: \(String(repeating: "v", count: 33000))\r\n"), 431,
            .headerSectionTooLarge),
    ]

    static let hosts: [MalformedRequest] = [
        .init("HTTP/1.1 without Host", get(""), 400, .missingHost),
        .init("two Host lines", get(host + "Host: other.example\r\n"), 400, .duplicateHost),
        .init("two equal Host lines", get(host + host), 400, .duplicateHost),
        .init("Host with a path", get("Host: example.com/x\r\n"), 400, .invalidHost),
        .init("Host with user info", get("Host: user@example.com\r\n"), 400, .invalidHost),
        .init("Host with a named port", get("Host: example.com:http\r\n"), 400, .invalidHost),
        .init("Host with two names", get("Host: a.example b.example\r\n"), 400, .invalidHost),
    ]

    static let framing: [MalformedRequest] = [
        .init(
            "Content-Length then Transfer-Encoding",
            post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n", 400,
            .contentLengthWithTransferEncoding),
        .init(
            "Transfer-Encoding then Content-Length",
            post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n", 400,
            .contentLengthWithTransferEncoding),
        .init(
            "two equal Content-Length", post("Content-Length: 5\r\nContent-Length: 5\r\n") + "hello", 400,
            .duplicateContentLength),
        .init(
            "two different Content-Length", post("Content-Length: 5\r\nContent-Length: 0\r\n") + "hello", 400,
            .duplicateContentLength),
        .init("Content-Length list", post("Content-Length: 5, 5\r\n") + "hello", 400, .invalidContentLength),
        .init("Content-Length with plus sign", post("Content-Length: +5\r\n") + "hello", 400, .invalidContentLength),
        .init("negative Content-Length", post("Content-Length: -1\r\n"), 400, .invalidContentLength),
        .init("Content-Length with inner space", post("Content-Length: 1 0\r\n"), 400, .invalidContentLength),
        .init("hexadecimal Content-Length", post("Content-Length: 0x5\r\n") + "hello", 400, .invalidContentLength),
        .init("empty Content-Length", post("Content-Length:\r\n"), 400, .invalidContentLength),
        .init("Content-Length overflow", post("Content-Length: 99999999999999999999\r\n"), 400, .invalidContentLength),
        .init("Content-Length over the body limit", post("Content-Length: 4194305\r\n"), 413, .bodyTooLarge),
        .init(
            "gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n") + "0\r\n\r\n", 501, .unsupportedTransferCoding
        ),
        .init(
            "gzip then chunked on two lines",
            post("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n", 501,
            .unsupportedTransferCoding),
        .init("chunked, gzip", post("Transfer-Encoding: chunked, gzip\r\n") + "0\r\n\r\n", 400, .chunkedNotFinal),
        .init("identity", post("Transfer-Encoding: identity\r\n"), 501, .unsupportedTransferCoding),
        .init("gzip alone", post("Transfer-Encoding: gzip\r\n"), 501, .unsupportedTransferCoding),
        .init("xchunked", post("Transfer-Encoding: xchunked\r\n") + "0\r\n\r\n", 501, .unsupportedTransferCoding),
        .init(
            "chunked, chunked", post("Transfer-Encoding: chunked, chunked\r\n") + "0\r\n\r\n", 400,
            .invalidTransferEncoding),
        .init(
            "chunked on two lines", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n",
            400, .invalidTransferEncoding),
        .init(
            "chunked with a parameter", post("Transfer-Encoding: chunked;q=1\r\n") + "0\r\n\r\n", 400,
            .invalidTransferEncoding),
        .init(
            "empty coding before chunked", post("Transfer-Encoding: , chunked\r\n") + "0\r\n\r\n", 400,
            .invalidTransferEncoding),
        .init(
            "quoted chunked", post("Transfer-Encoding: \"chunked\"\r\n") + "0\r\n\r\n", 400, .invalidTransferEncoding),
        .init("empty Transfer-Encoding", post("Transfer-Encoding:\r\n") + "0\r\n\r\n", 400, .invalidTransferEncoding),
        .init(
            "Transfer-Encoding in HTTP/1.0", "POST /mcp HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400,
            .transferEncodingInHTTP10),
    ]

    static let chunked: [MalformedRequest] = [
        .init("chunk size not hexadecimal", chunkedHead + "g\r\n", 400, .invalidChunkSize),
        .init("chunk size with 0x", chunkedHead + "0x5\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkSize),
        .init("negative chunk size", chunkedHead + "-5\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkSize),
        .init("space before chunk size", chunkedHead + " 5\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkSize),
        .init("space after chunk size", chunkedHead + "5 \r\nhello\r\n0\r\n\r\n", 400, .invalidChunkSize),
        .init("empty chunk size", chunkedHead + "\r\n", 400, .invalidChunkSize),
        .init("17-digit chunk size", chunkedHead + "00000000000000005\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkSize),
        .init("chunk size over Int.max", chunkedHead + "8000000000000000\r\n", 400, .invalidChunkSize),
        .init("chunk size line without end", chunkedHead + String(repeating: "0", count: 2000), 400, .invalidChunkSize),
        .init("bare LF after chunk size", chunkedHead + "5\nhello\r\n0\r\n\r\n", 400, .bareLineFeed),
        .init("bare CR after chunk size", chunkedHead + "5\rhello\r\n0\r\n\r\n", 400, .bareCarriageReturn),
        .init("bare LF after chunk data", chunkedHead + "5\r\nhello\n0\r\n\r\n", 400, .bareLineFeed),
        .init("bare LF after last chunk", chunkedHead + "5\r\nhello\r\n0\n\r\n", 400, .bareLineFeed),
        .init("chunk data longer than its size", chunkedHead + "3\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkTerminator),
        .init(
            "chunk extension over 1 KiB",
            chunkedHead + "5;a=\(String(repeating: "x", count: 2000))\r\nhello\r\n0\r\n\r\n", 400,
            .chunkExtensionTooLong),
        .init("chunk extension without name", chunkedHead + "5;=x\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkExtension),
        .init(
            "chunk extension with empty value", chunkedHead + "5;a=\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkExtension),
        .init(
            "unterminated quoted extension", chunkedHead + "5;a=\"x\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkExtension),
        .init("NUL in chunk extension", chunkedHead + "5;a\u{0}\r\nhello\r\n0\r\n\r\n", 400, .invalidChunkExtension),
        .init("chunk over the body limit", chunkedHead + "400001\r\n", 413, .bodyTooLarge),
        .init(
            "chunks adding up over the body limit", chunkedHead + "6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n", 413,
            .bodyTooLarge, limits: HTTPParserLimits(maxBodyBytes: 10)),
        .init(
            "request in place of the last CRLF", chunkedHead + "0\r\nGET /smuggled HTTP/1.1\r\n\(host)\r\n", 400,
            .invalidFieldLine),
        .init("folded trailer", chunkedHead + "0\r\nX-T: a\r\n b\r\n\r\n", 400, .obsoleteLineFolding),
        .init("Content-Length trailer", chunkedHead + "0\r\nContent-Length: 5\r\n\r\n", 400, .forbiddenTrailerField),
        .init(
            "Transfer-Encoding trailer", chunkedHead + "0\r\nTransfer-Encoding: chunked\r\n\r\n", 400,
            .forbiddenTrailerField),
        .init("Host trailer", chunkedHead + "0\r\nHost: other.example\r\n\r\n", 400, .forbiddenTrailerField),
        .init(
            "trailer section over 8 KiB", chunkedHead + "0\r\nX-T: \(String(repeating: "v", count: 9000))\r\n\r\n", 431,
            .trailerSectionTooLarge),
        .init("NUL in trailer value", chunkedHead + "0\r\nX-T: a\u{0}\r\n\r\n", 400, .invalidFieldValue),
    ]

    static let others: [MalformedRequest] = [
        .init(
            "unknown expectation", post("Expect: 100-continuex\r\nContent-Length: 5\r\n") + "hello", 417,
            .unsupportedExpectation),
        .init(
            "stream ends inside the head", "GET /mcp HTTP/1.1\r\nHost: exa", 400, .unexpectedEndOfStream,
            truncated: true),
        .init(
            "stream ends inside the body", post("Content-Length: 10\r\n") + "hello", 400, .unexpectedEndOfStream,
            truncated: true),
        .init(
            "stream ends inside a chunked body", chunkedHead + "5\r\nhello\r\n", 400, .unexpectedEndOfStream,
            truncated: true),
    ]
}

@Suite("Malformed and smuggling requests")
struct HTTPMalformedRequestTests {
    @Test func corpusIsLargeAndNamesAreUnique() {
        #expect(MalformedCorpus.cases.count >= 45)
        #expect(Set(MalformedCorpus.cases.map(\.name)).count == MalformedCorpus.cases.count)
    }

    @Test(arguments: MalformedCorpus.cases)
    func refusedWholeAndByteByByte(_ request: MalformedRequest) {
        let input = request.truncated ? request.raw : request.raw + MalformedCorpus.followUp
        let outcomes = [
            HTTPParserHarness.whole(input, limits: request.limits),
            HTTPParserHarness.byteByByte(input, limits: request.limits),
        ]
        for (index, outcome) in outcomes.enumerated() {
            let mode = index == 0 ? "whole" : "byte by byte"
            #expect(outcome.error?.code == request.code, "\(mode)")
            #expect(outcome.error?.status.code == request.status, "\(mode)")
            // Nothing after the fault is read as a request.
            #expect(outcome.heads.count <= 1, "\(mode)")
            #expect(!outcome.heads.contains { $0.target.contains("smuggled") }, "\(mode)")
        }
        #expect(outcomes[0].items == outcomes[1].items)
    }

    @Test func statusesFollowFromCodes() {
        let expected: [(HTTPParserError.Code, Int)] = [
            (.unsupportedVersion, 505), (.targetTooLong, 414), (.connectNotSupported, 501),
            (.unsupportedTransferCoding, 501), (.headerSectionTooLarge, 431),
            (.tooManyFields, 431), (.trailerSectionTooLarge, 431), (.bodyTooLarge, 413),
            (.unsupportedExpectation, 417), (.bareLineFeed, 400), (.duplicateContentLength, 400),
        ]
        for (code, status) in expected {
            #expect(code.status.code == status, "\(code)")
        }
        #expect(HTTPParserError(.missingHost, "a") == HTTPParserError(.missingHost, "b"))
        #expect(HTTPParserError(.missingHost, "a") != HTTPParserError(.duplicateHost, "a"))
        #expect(HTTPParserError.Code.duplicateHost.description == "duplicateHost")
    }
}

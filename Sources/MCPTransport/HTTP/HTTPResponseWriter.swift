/// Encodes one HTTP/1.1 response into bytes, in order: an optional `100 Continue`, the
/// head, the body, the end.
///
/// The writer owns framing: it writes `Content-Length` or `Transfer-Encoding: chunked`
/// from the ``BodyFraming`` it is given, counts body bytes against a declared length,
/// encodes chunks and the last chunk with trailers, and leaves the body out where none may
/// be sent (responses to `HEAD`, 204, 304). It validates every status, reason phrase,
/// field name and field value before writing, so no CR or LF given by a caller can split
/// the response. Each call appends all of its bytes to the buffer or, when it throws,
/// none.
public struct HTTPResponseWriter: Sendable {
    /// How the response body is delimited.
    public enum BodyFraming: Sendable, Hashable {
        /// Exactly this many bytes, announced by `Content-Length`.
        case contentLength(Int)
        /// The chunked transfer coding, for a body whose length is not known in advance
        /// (such as an event stream). Not available to HTTP/1.0 clients.
        case chunked
        /// Neither: the body ends when the connection closes. The caller must close the
        /// connection after the end and should send `Connection: close`.
        case untilClose
    }

    private enum Body: Sendable {
        case none
        case discarded
        case length(remaining: Int)
        case chunked
        case untilClose
    }

    private enum State: Sendable {
        case idle
        case continued
        case body(Body)
        case done
    }

    /// The method of the request answered.
    public let requestMethod: HTTPMethod
    /// The version of the request answered.
    public let requestVersion: HTTPVersion
    private var state = State.idle
    private var delimitedByClose = false

    /// Creates a writer for the response to one request.
    ///
    /// - Parameters:
    ///   - requestMethod: the request's method; for `HEAD` the body is left out.
    ///   - requestVersion: the request's version; HTTP/1.0 gets neither `100 Continue`
    ///     nor chunked framing.
    public init(requestMethod: HTTPMethod = .get, requestVersion: HTTPVersion = .http1_1) {
        self.requestMethod = requestMethod
        self.requestVersion = requestVersion
    }

    /// Creates a writer for the response to a parsed request.
    ///
    /// - Parameter request: the head of the request answered.
    public init(answering request: HTTPRequestHead) {
        self.init(requestMethod: request.method, requestVersion: request.version)
    }

    /// Whether the end of the response has been written.
    public var isComplete: Bool {
        if case .done = state { return true }
        return false
    }

    /// Whether the body is delimited by closing the connection, which the caller must do
    /// after the end.
    public var closesConnection: Bool { delimitedByClose }

    /// The bytes of `100 Continue`.
    public static let continueBytes: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Writes the interim `100 Continue` response that a request with
    /// `Expect: 100-continue` waits for.
    ///
    /// - Parameter buffer: the buffer to append to.
    /// - Throws: ``HTTPEncodingError`` with ``HTTPEncodingError/Code/outOfOrder`` after the
    ///   head or a first `100 Continue`, ``HTTPEncodingError/Code/invalidStatus`` for an
    ///   HTTP/1.0 request.
    public mutating func writeContinue(into buffer: inout [UInt8]) throws(HTTPEncodingError) {
        guard case .idle = state else {
            throw HTTPEncodingError(.outOfOrder, "100 Continue is sent once, before the head.")
        }
        guard requestVersion == .http1_1 else {
            throw HTTPEncodingError(
                .invalidStatus, "An HTTP/1.0 client must not receive a 1xx response.")
        }
        buffer.append(contentsOf: Self.continueBytes)
        state = .continued
    }

    /// Writes the status line and header section.
    ///
    /// - Parameters:
    ///   - head: the status and fields; its fields must not include `Content-Length` or
    ///     `Transfer-Encoding`.
    ///   - framing: how the body will be delimited; ignored for 204 and 304, which have
    ///     no body and get no framing field.
    ///   - buffer: the buffer to append to.
    /// - Throws: ``HTTPEncodingError`` for an invalid status, reason phrase, field name or
    ///   value, a framing field, chunked framing for HTTP/1.0, a negative length, or a
    ///   second head.
    public mutating func writeHead(
        _ head: HTTPResponseHead, framing: BodyFraming, into buffer: inout [UInt8]
    ) throws(HTTPEncodingError) {
        switch state {
        case .idle, .continued: break
        case .body, .done:
            throw HTTPEncodingError(.outOfOrder, "The head was already written.")
        }
        let status = head.status
        guard (200...999).contains(status.code) else {
            throw HTTPEncodingError(
                .invalidStatus, "A final status code must be between 200 and 999.")
        }
        guard status.reasonPhrase.utf8.allSatisfy(HTTPSyntax.isFieldValueByte) else {
            throw HTTPEncodingError(
                .invalidReasonPhrase, "The reason phrase holds a control byte.")
        }
        try Self.validate(head.fields)

        let body: Body
        var framingField: (name: String, value: String)?
        if status.forbidsContent {
            body = .none
        } else {
            switch framing {
            case .contentLength(let length):
                guard length >= 0 else {
                    throw HTTPEncodingError(
                        .bodyLengthExceeded, "A content length cannot be negative.")
                }
                framingField = ("Content-Length", String(length))
                body = .length(remaining: length)
            case .chunked:
                guard requestVersion == .http1_1 else {
                    throw HTTPEncodingError(
                        .chunkedNotAllowed, "An HTTP/1.0 client cannot receive chunked data.")
                }
                framingField = ("Transfer-Encoding", "chunked")
                body = .chunked
            case .untilClose:
                body = .untilClose
            }
        }

        buffer.append(contentsOf: "HTTP/\(head.version.major).\(head.version.minor) ".utf8)
        let code = status.code
        buffer.append(UInt8(0x30 + code / 100))
        buffer.append(UInt8(0x30 + code / 10 % 10))
        buffer.append(UInt8(0x30 + code % 10))
        buffer.append(HTTPSyntax.space)
        buffer.append(contentsOf: status.reasonPhrase.utf8)
        Self.appendCRLF(to: &buffer)
        Self.append(head.fields, to: &buffer)
        if let framingField {
            buffer.append(contentsOf: framingField.name.utf8)
            buffer.append(contentsOf: ": ".utf8)
            buffer.append(contentsOf: framingField.value.utf8)
            Self.appendCRLF(to: &buffer)
        }
        Self.appendCRLF(to: &buffer)

        if case .untilClose = body { delimitedByClose = true }
        state = .body(requestMethod == .head && !status.forbidsContent ? .discarded : body)
    }

    /// Writes body bytes: as they are, or as one chunk for chunked framing. Nothing is
    /// written for an empty collection, or for a response to `HEAD`.
    ///
    /// - Parameters:
    ///   - bytes: the next body bytes.
    ///   - buffer: the buffer to append to.
    /// - Throws: ``HTTPEncodingError`` before the head or after the end, for bytes beyond
    ///   the declared length, or for bytes in a 204 or 304 response.
    public mutating func writeBody(_ bytes: some Collection<UInt8>, into buffer: inout [UInt8])
        throws(HTTPEncodingError)
    {
        guard case .body(let body) = state else {
            throw HTTPEncodingError(.outOfOrder, "Body bytes must follow the head.")
        }
        let count = bytes.count
        switch body {
        case .none:
            guard count == 0 else {
                throw HTTPEncodingError(.bodyNotAllowed, "This status has no content.")
            }
        case .discarded:
            break
        case .length(let remaining):
            guard count <= remaining else {
                throw HTTPEncodingError(
                    .bodyLengthExceeded, "The body is longer than its Content-Length.")
            }
            buffer.append(contentsOf: bytes)
            state = .body(.length(remaining: remaining - count))
        case .chunked:
            guard count > 0 else { return }
            Self.appendHex(count, to: &buffer)
            Self.appendCRLF(to: &buffer)
            buffer.append(contentsOf: bytes)
            Self.appendCRLF(to: &buffer)
        case .untilClose:
            buffer.append(contentsOf: bytes)
        }
    }

    /// Ends the response: the last chunk and the trailer section for chunked framing,
    /// nothing otherwise.
    ///
    /// - Parameters:
    ///   - trailers: trailer fields, only for chunked framing.
    ///   - buffer: the buffer to append to.
    /// - Throws: ``HTTPEncodingError`` before the head or after the end, when fewer bytes
    ///   than the declared length were written, for trailers without chunked framing, or
    ///   for an invalid or framing trailer field.
    public mutating func writeEnd(
        trailers: HTTPFields = HTTPFields(), into buffer: inout [UInt8]
    ) throws(HTTPEncodingError) {
        guard case .body(let body) = state else {
            throw HTTPEncodingError(.outOfOrder, "The end must follow the head, once.")
        }
        if case .chunked = body {
            try Self.validate(trailers)
            buffer.append(contentsOf: "0\r\n".utf8)
            Self.append(trailers, to: &buffer)
            Self.appendCRLF(to: &buffer)
        } else {
            guard trailers.isEmpty else {
                throw HTTPEncodingError(
                    .trailersNotAllowed, "Trailers need chunked framing.")
            }
            if case .length(let remaining) = body, remaining > 0 {
                throw HTTPEncodingError(
                    .bodyIncomplete, "The body is shorter than its Content-Length.")
            }
        }
        state = .done
    }

    /// Encodes a whole response with a `Content-Length` body.
    ///
    /// - Parameters:
    ///   - head: the status and fields.
    ///   - body: the whole body.
    ///   - requestMethod: the request's method (default `GET`).
    ///   - requestVersion: the request's version (default HTTP/1.1).
    /// - Returns: the bytes of the response.
    /// - Throws: ``HTTPEncodingError`` as ``writeHead(_:framing:into:)`` does.
    public static func encode(
        _ head: HTTPResponseHead, body: some Collection<UInt8> = [UInt8](),
        requestMethod: HTTPMethod = .get, requestVersion: HTTPVersion = .http1_1
    ) throws(HTTPEncodingError) -> [UInt8] {
        var writer = HTTPResponseWriter(requestMethod: requestMethod, requestVersion: requestVersion)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256 + body.count)
        try writer.writeHead(head, framing: .contentLength(body.count), into: &buffer)
        try writer.writeBody(body, into: &buffer)
        try writer.writeEnd(into: &buffer)
        return buffer
    }

    // MARK: Helpers

    private static func validate(_ fields: HTTPFields) throws(HTTPEncodingError) {
        for field in fields {
            guard HTTPFields.isValidName(field.nameBytes) else {
                throw HTTPEncodingError(.invalidFieldName, "A field name is not a token.")
            }
            guard HTTPFields.isValidValue(field.valueBytes) else {
                throw HTTPEncodingError(
                    .invalidFieldValue,
                    "A field value holds CR, LF or another control byte, or ends in white space.")
            }
            if field.hasName("content-length") || field.hasName("transfer-encoding") {
                throw HTTPEncodingError(
                    .framingField, "Content-Length and Transfer-Encoding are set by the writer.")
            }
        }
    }

    private static func append(_ fields: HTTPFields, to buffer: inout [UInt8]) {
        for field in fields {
            buffer.append(contentsOf: field.nameBytes)
            buffer.append(HTTPSyntax.colon)
            buffer.append(HTTPSyntax.space)
            buffer.append(contentsOf: field.valueBytes)
            appendCRLF(to: &buffer)
        }
    }

    private static func appendCRLF(to buffer: inout [UInt8]) {
        buffer.append(HTTPSyntax.carriageReturn)
        buffer.append(HTTPSyntax.lineFeed)
    }

    private static func appendHex(_ value: Int, to buffer: inout [UInt8]) {
        var shift = max((Int.bitWidth - value.leadingZeroBitCount + 3) / 4 * 4 - 4, 0)
        while shift >= 0 {
            let digit = UInt8((value >> shift) & 0xF)
            buffer.append(digit < 10 ? 0x30 + digit : 0x57 + digit)
            shift -= 4
        }
    }
}

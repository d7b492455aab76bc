/// An incremental, strict parser of HTTP/1.1 requests (RFC 9112), as a state machine fed
/// with the bytes of one connection.
///
/// Feed bytes with ``append(_:)`` as they arrive, split anywhere (one byte at a time
/// works), then call ``next()`` until it returns `nil`. Each request comes out as one
/// ``Event/head(_:)``, any number of ``Event/body(_:)`` slices, and one
/// ``Event/end(trailers:)``; pipelined requests follow one another from the leftover
/// bytes. Body bytes are handed out as soon as they arrive and never gathered, so memory
/// is bounded by the head limits plus what one ``append(_:)`` brings.
///
/// Every violation is a typed ``HTTPParserError`` that names the status to answer with.
/// After an error the parser is failed for good: it reports the same error again and
/// ignores new bytes, so nothing after the fault can be read as another request, and the
/// connection must be closed once the error response is sent. After a request that does
/// not keep the connection alive (``HTTPRequestHead/keepAlive``), the parser is closed and
/// ignores any further bytes (RFC 9112 §9.6).
///
/// Choices where RFC 9112 leaves room, all on the strict side:
/// - Lines of the head and chunk lines must end with CRLF: a bare LF or a bare CR is
///   refused (400), never taken as a line end.
/// - Obsolete line folding and white space before the first field line are refused
///   (400), as is white space between a field name and its colon.
/// - `Content-Length` may appear once: a second line is refused (400) even with the same
///   value, and so is a list such as `5, 5`. With `Transfer-Encoding` as well it is
///   refused (400) rather than ignored.
/// - `Transfer-Encoding` must be exactly `chunked` (any case, possibly over several
///   lines); other codings before it are not implemented (501); `chunked` not last,
///   twice, with parameters or empty list elements is refused (400); any
///   `Transfer-Encoding` in an HTTP/1.0 request is refused (400).
/// - The target is origin-form; `*` only for `OPTIONS`; absolute-form only with the
///   `http` or `https` scheme, a non-empty host, an optional port of at most 65535, no
///   user information, and the same path and query bytes as origin-form (its authority
///   then takes precedence over `Host`, see ``HTTPRequestHead/authority``, though an
///   HTTP/1.1 request must still carry exactly one well-formed `Host`). `CONNECT`
///   is not implemented (501). Paths and queries may hold only the bytes RFC 3986
///   allows, with well-formed percent-encodings; a fragment is refused.
/// - Empty lines (CRLF) before a request line are skipped, as RFC 9112 §2.2 recommends,
///   counted against the request-line limit.
/// - Chunk sizes are 1 to 16 hexadecimal digits; chunk extensions follow the grammar
///   (optional white space only around `;` and `=`) and are not reported; trailer fields
///   are validated like header fields, and those that only make sense in the header
///   section (framing, routing, authentication, content format) are refused (400).
/// - Field values may hold bytes 0x80-0xFF (obs-text); any control byte but HTAB is
///   refused.
/// - `Expect` may only hold `100-continue` (reported as
///   ``HTTPRequestHead/expectsContinue``); any other expectation is refused (417).
public struct HTTPRequestParser: Sendable {
    /// What the parser found.
    public enum Event: Sendable, Hashable {
        /// The head of a new request.
        case head(HTTPRequestHead)
        /// The next bytes of the current request's body. The slice shares storage with
        /// the parser's input buffer; copy it to keep it beyond the next ``append(_:)``
        /// cheaply.
        case body(ArraySlice<UInt8>)
        /// The end of the current request, with the trailer fields of a chunked body
        /// (empty otherwise).
        case end(trailers: HTTPFields)
    }

    enum State: Sendable {
        case requestLine
        case headerLines
        case body(remaining: Int)
        case chunkLine
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailerLines
        case messageEnd
        case closed
        case failed(HTTPParserError)
    }

    enum Step {
        case event(Event)
        case progress
        case needMore
    }

    struct PendingHead: Sendable {
        var method = HTTPMethod.get
        var target = ""
        var targetForm = HTTPRequestHead.TargetForm.origin
        var version = HTTPVersion.http1_1
    }

    /// The bounds this parser enforces.
    public let limits: HTTPParserLimits

    var state = State.requestLine
    var buffer: [UInt8] = []
    /// The first byte of `buffer` not consumed yet.
    var position = 0
    /// While a line is being read: how far from `position` it is known to hold no CR/LF.
    var scanIndex = 0
    var leadingEmptyLineBytes = 0
    var pending = PendingHead()
    /// The header fields, then the trailer fields, of the current request.
    var fields = HTTPFields()
    /// Bytes of the header or trailer section read so far.
    var sectionBytes = 0
    /// Body bytes of the current request counted so far.
    var bodyBytes = 0
    var keepAlive = true

    /// Creates a parser for one connection.
    ///
    /// - Parameter limits: the bounds to enforce (default ``HTTPParserLimits/default``);
    ///   each is clamped to 0...2^48, so that no sum of them can overflow.
    public init(limits: HTTPParserLimits = .default) {
        let range = 0...(1 << 48)
        self.limits = HTTPParserLimits(
            maxRequestLineBytes: limits.maxRequestLineBytes.clamped(to: range),
            maxHeaderSectionBytes: limits.maxHeaderSectionBytes.clamped(to: range),
            maxFieldCount: limits.maxFieldCount.clamped(to: range),
            maxBodyBytes: limits.maxBodyBytes.clamped(to: range),
            maxChunkExtensionBytes: limits.maxChunkExtensionBytes.clamped(to: range),
            maxTrailerSectionBytes: limits.maxTrailerSectionBytes.clamped(to: range))
    }

    /// Whether the parser will produce no more requests: it failed, or the last request
    /// did not keep the connection alive, or ``finish()`` was called between requests.
    public var isClosed: Bool {
        switch state {
        case .closed, .failed: true
        default: false
        }
    }

    /// Whether the parser is between requests with no unread byte: the moment a
    /// connection may be closed for idleness or shutdown without cutting a request.
    public var isIdle: Bool {
        if case .requestLine = state { return position == buffer.count }
        return false
    }

    /// The error the parser failed with, if it did.
    public var error: HTTPParserError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    /// The bytes appended and not yet consumed.
    public var bufferedByteCount: Int { buffer.count - position }

    /// Adds the next bytes of the connection; ignored once the parser is closed or
    /// failed. Call ``next()`` until it returns `nil` afterwards.
    ///
    /// - Parameter bytes: the bytes, split anywhere.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        switch state {
        case .closed, .failed: return
        default: break
        }
        if position == buffer.count {
            if buffer.capacity > 64 << 10 {
                buffer = []
            } else {
                buffer.removeAll(keepingCapacity: true)
            }
            position = 0
            scanIndex = 0
        } else if position >= 4096, position >= buffer.count - position {
            buffer.removeSubrange(0..<position)
            scanIndex -= position
            position = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Returns the next event the appended bytes complete.
    ///
    /// - Returns: the event, or `nil` when more bytes are needed (or the parser is
    ///   closed).
    /// - Throws: ``HTTPParserError`` when the request is refused; the parser then stays
    ///   failed and throws the same error on every later call.
    public mutating func next() throws(HTTPParserError) -> Event? {
        if case .failed(let error) = state { throw error }
        do {
            while true {
                switch try step() {
                case .event(let event): return event
                case .needMore: return nil
                case .progress: continue
                }
            }
        } catch {
            fail(error)
            throw error
        }
    }

    /// Tells the parser that the connection will bring no more bytes.
    ///
    /// Between requests this closes the parser. Inside a request it is an error: the
    /// request was cut short. When only the end of a request remains to be returned by
    /// ``next()``, the parser closes after it.
    ///
    /// - Throws: ``HTTPParserError`` with code
    ///   ``HTTPParserError/Code/unexpectedEndOfStream`` when a request is unfinished, or
    ///   the error the parser already failed with.
    public mutating func finish() throws(HTTPParserError) {
        switch state {
        case .failed(let error):
            throw error
        case .closed:
            return
        case .messageEnd:
            keepAlive = false
        case .requestLine where position == buffer.count:
            close()
        default:
            let error = HTTPParserError(
                .unexpectedEndOfStream, "The connection ended inside a request.")
            fail(error)
            throw error
        }
    }

    // MARK: Steps

    private mutating func step() throws(HTTPParserError) -> Step {
        switch state {
        case .failed(let error):
            throw error
        case .closed:
            return .needMore
        case .requestLine:
            return try readRequestLine()
        case .headerLines:
            return try readFieldLine(trailer: false)
        case .body(let remaining):
            guard let slice = takeBody(upTo: remaining) else { return .needMore }
            let left = remaining - slice.count
            state = left == 0 ? .messageEnd : .body(remaining: left)
            return .event(.body(slice))
        case .chunkLine:
            return try readChunkLine()
        case .chunkData(let remaining):
            guard let slice = takeBody(upTo: remaining) else { return .needMore }
            let left = remaining - slice.count
            state = left == 0 ? .chunkDataEnd : .chunkData(remaining: left)
            return .event(.body(slice))
        case .chunkDataEnd:
            return try readChunkDataEnd()
        case .trailerLines:
            return try readFieldLine(trailer: true)
        case .messageEnd:
            let trailers = fields
            fields = HTTPFields()
            sectionBytes = 0
            bodyBytes = 0
            leadingEmptyLineBytes = 0
            if keepAlive {
                state = .requestLine
            } else {
                close()
            }
            return .event(.end(trailers: trailers))
        }
    }

    private mutating func takeBody(upTo remaining: Int) -> ArraySlice<UInt8>? {
        let available = buffer.count - position
        guard available > 0 else { return nil }
        let count = min(available, remaining)
        let slice = buffer[position..<position + count]
        position += count
        scanIndex = position
        bodyBytes += count
        return slice
    }

    private mutating func fail(_ error: HTTPParserError) {
        state = .failed(error)
        dropInput()
    }

    private mutating func close() {
        state = .closed
        dropInput()
    }

    private mutating func dropInput() {
        buffer = []
        position = 0
        scanIndex = 0
        fields = HTTPFields()
    }

    // MARK: Lines

    enum LineScan {
        /// A complete line from `position` to `end`, where its CR is.
        case line(end: Int)
        case needMore
        case tooLong
        case bareLineFeed
        case bareCarriageReturn
    }

    /// Looks for the CRLF ending the line that starts at `position`, resuming where the
    /// last look stopped.
    ///
    /// - Parameter limit: the most bytes the line may hold before its CRLF.
    mutating func scanLine(limit: Int) -> LineScan {
        guard limit >= 0 else { return .tooLong }
        let count = buffer.count
        let scanEnd = min(count, position + limit + 1)
        let start = scanIndex
        let found: Int? = buffer.withUnsafeBufferPointer { bytes in
            var index = start
            while index < scanEnd {
                let byte = bytes[index]
                if byte == HTTPSyntax.carriageReturn || byte == HTTPSyntax.lineFeed {
                    return index
                }
                index += 1
            }
            return nil
        }
        guard let found else {
            scanIndex = scanEnd
            return scanEnd - position > limit ? .tooLong : .needMore
        }
        scanIndex = found
        if buffer[found] == HTTPSyntax.lineFeed { return .bareLineFeed }
        guard found + 1 < count else { return .needMore }
        return buffer[found + 1] == HTTPSyntax.lineFeed ? .line(end: found) : .bareCarriageReturn
    }

    /// Consumes the line ending with the CRLF at `end`.
    mutating func consumeLine(endingAt end: Int) {
        position = end + 2
        scanIndex = position
    }

    static let bareLineFeedError = HTTPParserError(
        .bareLineFeed, "A line ends with LF without CR.")
    static let bareCarriageReturnError = HTTPParserError(
        .bareCarriageReturn, "A CR is not followed by LF.")
}

extension Int {
    fileprivate func clamped(to range: ClosedRange<Int>) -> Int {
        Swift.min(Swift.max(self, range.lowerBound), range.upperBound)
    }
}

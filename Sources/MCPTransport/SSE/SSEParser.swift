/// An incremental parser of `text/event-stream` bytes, following the event-stream
/// interpretation of the WHATWG HTML standard.
///
/// Feed bytes with ``append(_:)`` as they arrive, split anywhere, then call ``next()``
/// until it returns `nil`. Lines end with CRLF, LF or CR (a CR at the end of one chunk
/// and an LF at the start of the next are one line end); one byte order mark at the start
/// of the stream is skipped; a line starting with `:` is a comment; a line without a
/// colon is a field with an empty value; one space after the colon is removed. `event`
/// sets the type, `data` adds a line to the data, `id` sets the last event id unless the
/// value holds NUL, `retry` sets ``reconnectionTime`` when the value is only ASCII digits,
/// and other fields are ignored. An empty line dispatches the event, unless no `data`
/// line was seen, and the end of the stream discards an unfinished event.
///
/// Unlike a browser, the parser does not decode the stream: data stays bytes (JSON
/// readers check UTF-8 themselves), and only types and ids become strings, with U+FFFD
/// for bytes that are not UTF-8.
///
/// The parser enforces two bounds, so that no stream can exhaust memory: one line, and
/// the data and type of one event. Breaking one is a typed ``SSEParserError``, after which
/// the parser stays failed.
public struct SSEParser: Sendable {
    private enum ByteOrderMark {
        case pending(matched: Int)
        case done
    }

    private static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D
    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20

    /// The largest event: bytes of data (with the LF between lines) plus bytes of type.
    public let maxEventBytes: Int
    /// The longest line, in bytes without its line end.
    public let maxLineBytes: Int

    /// The last event id seen (`id:`), which persists across events; empty when none was
    /// sent or an empty one reset it. A client sends it back as `Last-Event-ID`.
    public private(set) var lastEventID = ""
    /// The reconnection time in milliseconds from the last valid `retry:` field, if any.
    public private(set) var reconnectionTime: Int?

    private var input: [UInt8] = []
    private var position = 0
    private var line: [UInt8] = []
    private var afterCarriageReturn = false
    private var byteOrderMarkState = ByteOrderMark.pending(matched: 0)
    private var eventType: [UInt8] = []
    private var data: [UInt8] = []
    private var failure: SSEParserError?

    /// Creates a parser for one stream.
    ///
    /// - Parameters:
    ///   - maxEventBytes: the largest event (default 4 MiB).
    ///   - maxLineBytes: the longest line (default 4 MiB, so one data line may carry a
    ///     whole message).
    public init(maxEventBytes: Int = 4 << 20, maxLineBytes: Int = 4 << 20) {
        self.maxEventBytes = maxEventBytes
        self.maxLineBytes = maxLineBytes
    }

    /// The error the parser failed with, if it did.
    public var error: SSEParserError? { failure }

    /// Adds the next bytes of the stream; ignored once the parser has failed. Call
    /// ``next()`` until it returns `nil` afterwards.
    ///
    /// - Parameter bytes: the bytes, split anywhere.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        guard failure == nil else { return }
        if position == input.count {
            if input.capacity > 64 << 10 {
                input = []
            } else {
                input.removeAll(keepingCapacity: true)
            }
            position = 0
        } else if position >= 4096, position >= input.count - position {
            input.removeSubrange(0..<position)
            position = 0
        }
        input.append(contentsOf: bytes)
    }

    /// Returns the next event the appended bytes complete.
    ///
    /// - Returns: the event, or `nil` when more bytes are needed.
    /// - Throws: ``SSEParserError`` when a bound is broken; the parser then stays failed
    ///   and throws the same error on every later call.
    public mutating func next() throws(SSEParserError) -> ServerSentEvent? {
        if let failure { throw failure }
        do {
            return try readEvent()
        } catch {
            failure = error
            input = []
            position = 0
            line = []
            data = []
            eventType = []
            throw error
        }
    }

    /// Ends the stream: an unfinished line or event is discarded, as the standard says.
    /// ``lastEventID`` and ``reconnectionTime`` are kept, for a reconnection.
    public mutating func finish() {
        input = []
        position = 0
        line = []
        data = []
        eventType = []
        afterCarriageReturn = false
        byteOrderMarkState = .pending(matched: 0)
    }

    // MARK: Lines

    private mutating func readEvent() throws(SSEParserError) -> ServerSentEvent? {
        while position < input.count {
            if afterCarriageReturn {
                afterCarriageReturn = false
                if input[position] == Self.lineFeed {
                    position += 1
                    continue
                }
            }
            if case .pending(let matched) = byteOrderMarkState {
                if input[position] == Self.byteOrderMark[matched] {
                    position += 1
                    byteOrderMarkState = matched == 2 ? .done : .pending(matched: matched + 1)
                    continue
                }
                // Not a byte order mark: what matched so far starts the first line.
                line.append(contentsOf: Self.byteOrderMark[..<matched])
                byteOrderMarkState = .done
            }
            let start = position
            let end: Int? = input.withUnsafeBufferPointer { bytes in
                var index = start
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == Self.lineFeed || byte == Self.carriageReturn { return index }
                    index += 1
                }
                return nil
            }
            guard let end else {
                try checkLineLength(line.count + input.count - start)
                line.append(contentsOf: input[start...])
                position = input.count
                return nil
            }
            try checkLineLength(line.count + end - start)
            afterCarriageReturn = input[end] == Self.carriageReturn
            position = end + 1
            let event: ServerSentEvent?
            if line.isEmpty {
                event = try process(input[start..<end])
            } else {
                line.append(contentsOf: input[start..<end])
                let whole = line
                line.removeAll(keepingCapacity: line.capacity <= 64 << 10)
                event = try process(whole[...])
            }
            if let event { return event }
        }
        return nil
    }

    private func checkLineLength(_ length: Int) throws(SSEParserError) {
        if length > maxLineBytes {
            throw SSEParserError(.lineTooLong, "A line is longer than the bound.")
        }
    }

    /// Interprets one line, returning the event an empty line dispatches.
    private mutating func process(_ line: ArraySlice<UInt8>) throws(SSEParserError)
        -> ServerSentEvent?
    {
        if line.isEmpty { return dispatch() }
        if line.first == Self.colon { return nil }
        let name: ArraySlice<UInt8>
        var value: ArraySlice<UInt8>
        if let colon = line.firstIndex(of: Self.colon) {
            name = line[..<colon]
            value = line[(colon + 1)...]
            if value.first == Self.space { value = value.dropFirst() }
        } else {
            name = line
            value = line[line.endIndex...]
        }
        switch name.count {
        case 5 where name.elementsEqual("event".utf8):
            try checkEventSize(data.count + value.count)
            eventType = Array(value)
        case 4 where name.elementsEqual("data".utf8):
            try checkEventSize(data.count + value.count + 1 + eventType.count)
            data.append(contentsOf: value)
            data.append(Self.lineFeed)
        case 2 where name.elementsEqual("id".utf8):
            if !value.contains(0) { lastEventID = String(decoding: value, as: UTF8.self) }
        case 5 where name.elementsEqual("retry".utf8):
            if !value.isEmpty, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                var milliseconds = 0
                var overflow = false
                for digit in value {
                    let (times10, o1) = milliseconds.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times10.addingReportingOverflow(Int(digit - 0x30))
                    overflow = overflow || o1 || o2
                    milliseconds = sum
                }
                if !overflow { reconnectionTime = milliseconds }
            }
        default:
            break
        }
        return nil
    }

    private func checkEventSize(_ size: Int) throws(SSEParserError) {
        if size > maxEventBytes {
            throw SSEParserError(.eventTooLarge, "An event is larger than the bound.")
        }
    }

    private mutating func dispatch() -> ServerSentEvent? {
        guard !data.isEmpty else {
            eventType = []
            return nil
        }
        data.removeLast()
        let event = ServerSentEvent(
            event: eventType.isEmpty ? nil : String(decoding: eventType, as: UTF8.self),
            data: data,
            id: lastEventID.isEmpty ? nil : lastEventID)
        data = []
        eventType = []
        return event
    }
}

/// Encodes ``ServerSentEvent`` values as `text/event-stream` bytes.
///
/// An event becomes its comment lines (`: text`), then `event:`, `id:` and `retry:`
/// lines, then one `data:` line per line of data, then an empty line. Data and comments
/// are split at every CRLF, LF and CR, since a client ends a line at each of them; a
/// client therefore reads data lines joined with LF, whatever line breaks they had.
/// Every field value is written after `: `, so a value starting with a space keeps it.
public enum SSEEncoder {
    /// Appends the bytes of an event.
    ///
    /// - Parameters:
    ///   - event: the event.
    ///   - buffer: the buffer to append to; nothing is appended when the event is
    ///     refused.
    /// - Throws: ``SSEEncodingError`` for an event type with CR or LF, an id with CR, LF
    ///   or NUL, or a negative retry.
    public static func encode(_ event: ServerSentEvent, into buffer: inout [UInt8])
        throws(SSEEncodingError)
    {
        if let name = event.event, name.utf8.contains(where: isLineBreak) {
            throw SSEEncodingError(.invalidEventName, "An event type holds CR or LF.")
        }
        if let id = event.id, id.utf8.contains(where: { isLineBreak($0) || $0 == 0 }) {
            throw SSEEncodingError(.invalidID, "An event id holds CR, LF or NUL.")
        }
        if let retry = event.retry, retry < 0 {
            throw SSEEncodingError(.invalidRetry, "A reconnection time cannot be negative.")
        }
        if let comment = event.comment {
            forEachLine(of: ArraySlice(comment.utf8)) { line in
                buffer.append(colon)
                buffer.append(space)
                buffer.append(contentsOf: line)
                buffer.append(lineFeed)
            }
        }
        if let name = event.event { appendField("event", name.utf8, to: &buffer) }
        if let id = event.id { appendField("id", id.utf8, to: &buffer) }
        if let retry = event.retry { appendField("retry", String(retry).utf8, to: &buffer) }
        if let data = event.data {
            forEachLine(of: data[...]) { line in appendField("data", line, to: &buffer) }
        }
        buffer.append(lineFeed)
    }

    /// Encodes an event.
    ///
    /// - Parameter event: the event.
    /// - Returns: its bytes.
    /// - Throws: ``SSEEncodingError`` as ``encode(_:into:)`` does.
    public static func encode(_ event: ServerSentEvent) throws(SSEEncodingError) -> [UInt8] {
        var buffer: [UInt8] = []
        try encode(event, into: &buffer)
        return buffer
    }

    /// A comment line for keeping an idle stream open: `:` and the text, then LF.
    ///
    /// It dispatches nothing and may be sent between events at any time.
    ///
    /// - Parameter text: the comment; line breaks in it are replaced by spaces.
    /// - Returns: the bytes of the comment line.
    public static func keepAlive(_ text: String = "") -> [UInt8] {
        var buffer: [UInt8] = [colon]
        if !text.isEmpty {
            buffer.append(space)
            for byte in text.utf8 { buffer.append(isLineBreak(byte) ? space : byte) }
        }
        buffer.append(lineFeed)
        return buffer
    }

    private static let colon: UInt8 = 0x3A
    private static let space: UInt8 = 0x20
    private static let lineFeed: UInt8 = 0x0A
    private static let carriageReturn: UInt8 = 0x0D

    private static func isLineBreak(_ byte: UInt8) -> Bool {
        byte == lineFeed || byte == carriageReturn
    }

    private static func appendField(
        _ name: StaticString, _ value: some Collection<UInt8>, to buffer: inout [UInt8]
    ) {
        name.withUTF8Buffer { buffer.append(contentsOf: $0) }
        buffer.append(colon)
        buffer.append(space)
        buffer.append(contentsOf: value)
        buffer.append(lineFeed)
    }

    /// Calls `body` with each line of `bytes`, split at CRLF, LF and CR; an empty input
    /// is one empty line, and a trailing break yields a last empty line.
    static func forEachLine(of bytes: ArraySlice<UInt8>, _ body: (ArraySlice<UInt8>) -> Void) {
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == lineFeed || byte == carriageReturn {
                body(bytes[start..<index])
                index += 1
                if byte == carriageReturn, index < bytes.endIndex, bytes[index] == lineFeed {
                    index += 1
                }
                start = index
            } else {
                index += 1
            }
        }
        body(bytes[start..<bytes.endIndex])
    }
}

/// Splits a byte stream into newline-delimited messages, as the MCP stdio transport frames
/// them, with a bound on the length of one line.
///
/// A line longer than the bound is reported once as ``Event/oversizedLine(length:)`` and
/// its bytes are dropped up to the next newline, so one hostile line costs no more memory
/// than the bound and the stream stays in step. A trailing CR before the LF is removed, and
/// empty lines are skipped.
public struct LineFramer: Sendable {
    /// What the framer found.
    public enum Event: Sendable, Hashable {
        /// A complete line, without its line end.
        case line([UInt8])
        /// A line that exceeded the bound and was dropped; its length up to the bound or to
        /// its end, whichever came first.
        case oversizedLine(length: Int)
    }

    /// The longest line accepted, in bytes.
    public let maxLineBytes: Int
    private var buffer: [UInt8] = []
    private var discarding = false
    private var discardedLength = 0

    /// Creates a framer.
    ///
    /// - Parameter maxLineBytes: the longest line accepted (default 4 MiB).
    public init(maxLineBytes: Int = 4 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// The bytes of an unfinished line held so far.
    public var bufferedBytes: Int { buffer.count }

    /// Feeds bytes and returns the events they complete.
    ///
    /// - Parameter bytes: the next bytes of the stream, split anywhere.
    /// - Returns: complete lines and oversize reports, in stream order.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [Event] {
        var events: [Event] = []
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let newline = bytes[start...].firstIndex(of: 0x0A)
            let end = newline ?? bytes.endIndex
            let piece = bytes[start..<end]
            if discarding {
                discardedLength += piece.count
            } else if buffer.count + piece.count > maxLineBytes {
                discarding = true
                discardedLength = buffer.count + piece.count
                buffer.removeAll()
            } else {
                buffer.append(contentsOf: piece)
            }
            guard let newline else { break }
            if discarding {
                events.append(.oversizedLine(length: discardedLength))
                discarding = false
                discardedLength = 0
            } else {
                if buffer.last == 0x0D { buffer.removeLast() }
                if !buffer.isEmpty { events.append(.line(buffer)) }
                buffer.removeAll(keepingCapacity: buffer.count <= 64 * 1024)
            }
            start = bytes.index(after: newline)
        }
        return events
    }

    /// Ends the stream: an unfinished last line is returned as a line (or an oversize
    /// report), since a peer may end without a final newline.
    ///
    /// - Returns: the last event, if any.
    public mutating func finish() -> Event? {
        defer {
            buffer = []
            discarding = false
            discardedLength = 0
        }
        if discarding { return .oversizedLine(length: discardedLength) }
        if buffer.last == 0x0D { buffer.removeLast() }
        return buffer.isEmpty ? nil : .line(buffer)
    }

    /// A message framed for the stdio transport: its bytes with every CR and LF turned
    /// into a space, then one LF.
    ///
    /// In valid JSON a raw CR or LF can only be white space between tokens (inside strings
    /// they must be escaped), so the replacement never changes the message.
    ///
    /// - Parameter message: one JSON-RPC message, possibly pretty-printed.
    /// - Returns: the framed bytes.
    public static func frame(_ message: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(message.count + 1)
        output.append(contentsOf: message)
        output.withUnsafeMutableBufferPointer { bytes in
            for index in bytes.indices where bytes[index] == 0x0A || bytes[index] == 0x0D { bytes[index] = 0x20 }
        }
        output.append(0x0A)
        return output
    }
}

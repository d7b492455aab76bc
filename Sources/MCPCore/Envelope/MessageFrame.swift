/// One unit read from a transport: a single message or, where the revision allows it, a
/// batch.
///
/// JSON-RPC batches are part of MCP only in revision 2025-03-26; in every other revision
/// an array at the top level is refused as a whole with ``EnvelopeError/Code/batchNotAllowed``.
/// Within an accepted batch each element is read on its own, so that one invalid element
/// gets its own error response while the others are processed, as JSON-RPC 2.0 requires.
public enum MessageFrame: Sendable {
    /// A single message.
    case single(MessageEnvelope)
    /// A batch: each element read, or the error to answer it with.
    case batch([Result<MessageEnvelope, EnvelopeError>])

    /// Reads a frame.
    ///
    /// - Parameters:
    ///   - bytes: the JSON text of one message or one batch.
    ///   - revision: the protocol revision in force, which decides whether batches are
    ///     allowed.
    ///   - limits: bounds on the JSON; `maxMembers` also bounds the batch size.
    /// - Returns: the frame.
    /// - Throws: ``EnvelopeError`` when the bytes are not valid JSON, when a single message
    ///   is invalid, when the batch is empty or when the revision does not allow batches.
    public static func read(
        _ bytes: [UInt8], revision: ProtocolRevision, limits: JSONLimits = .default
    ) throws(EnvelopeError) -> MessageFrame {
        guard isBatch(bytes) else {
            return .single(try MessageEnvelope(parsing: bytes, limits: limits))
        }
        let elements: [Range<Int>]
        do {
            elements = try arrayElements(bytes, limits: limits)
        } catch {
            throw EnvelopeError(error)
        }
        guard revision.features.allowsBatches else {
            throw EnvelopeError(.batchNotAllowed, "JSON-RPC batches are not supported in protocol revision \(revision)")
        }
        guard !elements.isEmpty else {
            throw EnvelopeError(.emptyBatch, "a batch must contain at least one message")
        }
        return .batch(
            elements.map { range -> Result<MessageEnvelope, EnvelopeError> in
                Result { () throws(EnvelopeError) -> MessageEnvelope in
                    try MessageEnvelope(parsing: Array(bytes[range]), limits: limits)
                }
            })
    }

    /// Whether the bytes hold a batch (their first non-white-space byte is `[`); a single
    /// message reads the same in every revision, only a batch depends on the revision.
    ///
    /// - Parameter bytes: the JSON text of one message or one batch.
    public static func isBatch(_ bytes: [UInt8]) -> Bool {
        var first = 0
        while first < bytes.count, bytes[first] == 0x20 || bytes[first] == 0x0A || bytes[first] == 0x0D || bytes[first] == 0x09 {
            first += 1
        }
        return first < bytes.count && bytes[first] == UInt8(ascii: "[")
    }

    /// Validates the whole array and returns the byte range of each element.
    private static func arrayElements(_ bytes: [UInt8], limits: JSONLimits) throws(JSONError) -> [Range<Int>] {
        try bytes.withUnsafeBufferPointer { buffer -> Result<[Range<Int>], JSONError> in
            var scanner = JSONScanner(bytes: buffer, limits: limits)
            do {
                try scanner.checkSize()
                scanner.skipWhitespace()
                scanner.position += 1
                scanner.skipWhitespace()
                var ranges: [Range<Int>] = []
                if try scanner.currentByte("a value or ']'") == UInt8(ascii: "]") {
                    scanner.position += 1
                } else {
                    while true {
                        if ranges.count >= limits.maxMembers {
                            throw JSONError(.memberLimitExceeded, at: scanner.position, "batch has more than \(limits.maxMembers) messages")
                        }
                        ranges.append(try scanner.skipValue(depth: 1))
                        scanner.skipWhitespace()
                        let byte = try scanner.currentByte("',' or ']'")
                        scanner.position += 1
                        if byte == UInt8(ascii: "]") { break }
                        guard byte == UInt8(ascii: ",") else {
                            scanner.position -= 1
                            throw scanner.unexpected("',' or ']'")
                        }
                        scanner.skipWhitespace()
                    }
                }
                try scanner.expectEnd()
                return .success(ranges)
            } catch let error as JSONError {
                return .failure(error)
            } catch {
                return .failure(JSONError(.unexpectedByte, at: scanner.position, "unreadable batch"))
            }
        }.get()
    }
}

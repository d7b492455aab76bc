internal import MCPCrypto
public import MCPCore

/// One stored record of the log: an event with its place in the chain.
///
/// The bytes the chain hashes are ``bytes``: `{"event":<canonical event>,"recordedAt":<µs>,
/// "sequence":<n>}` (canonical JSON, keys sorted, no white space), and
/// `hash = SHA-256(previous record's hash || bytes)`, where the record before the first
/// has a hash of 32 zero bytes.
public struct AuditRecord: Hashable, Sendable {
    /// The record's position in the chain, from 1, without gaps.
    public var sequence: Int64
    /// When the log committed the record (its own clock, never earlier than the record
    /// before).
    public var recordedAt: AuditTime
    /// The event.
    public var event: AuditEvent
    /// SHA-256(previous hash || ``bytes``).
    public var hash: [UInt8]

    /// Creates a record.
    ///
    /// - Parameters:
    ///   - sequence: the position in the chain.
    ///   - recordedAt: when it was committed.
    ///   - event: the event.
    ///   - hash: its chain hash.
    public init(sequence: Int64, recordedAt: AuditTime, event: AuditEvent, hash: [UInt8]) {
        self.sequence = sequence
        self.recordedAt = recordedAt
        self.event = event
        self.hash = hash
    }

    /// The canonical bytes the chain hashes.
    public var bytes: [UInt8] {
        Self.bytes(sequence: sequence, recordedAt: recordedAt, eventBytes: event.canonicalBytes)
    }

    /// The record as a JSON object: the event's members plus `sequence`, `recordedAt` and
    /// `hash` (lower-case hexadecimal), for JSON Lines export.
    public var exportJSON: JSONValue {
        var object = event.jsonValue.objectValue ?? JSONObject()
        object["sequence"] = .number(JSONNumber(sequence))
        object["recordedAt"] = .number(JSONNumber(recordedAt.microsecondsSinceEpoch))
        object["hash"] = .string(Hexadecimal.encode(hash))
        return .object(object)
    }

    /// The record bytes for a sequence number, a commit time and an event's canonical
    /// bytes.
    static func bytes(sequence: Int64, recordedAt: AuditTime, eventBytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(eventBytes.count + 64)
        output.append(contentsOf: #"{"event":"#.utf8)
        output.append(contentsOf: eventBytes)
        output.append(contentsOf: #","recordedAt":"#.utf8)
        output.append(contentsOf: String(recordedAt.microsecondsSinceEpoch).utf8)
        output.append(contentsOf: #","sequence":"#.utf8)
        output.append(contentsOf: String(sequence).utf8)
        output.append(UInt8(ascii: "}"))
        return output
    }
}

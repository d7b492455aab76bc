internal import MCPCrypto
internal import MCPCore

/// Formats records as RFC 5424 syslog messages.
///
/// `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [audit@EID ...] BOM JSON`: the
/// timestamp is the record's commit time in UTC with microseconds; MSGID is the event's
/// category; the structured data element `audit@<enterprise id>` carries `seq`, `hash`
/// and the event's main fields; MSG is the record's JSON (``AuditRecord/exportJSON``),
/// after the UTF-8 byte order mark, left out when the message would exceed the size
/// limit. Severity is informational (6), or warning (4) when the outcome is not `ok` or
/// the decision was `deny`.
public struct SyslogMessageFormat: Hashable, Sendable {
    /// The facility, 0-23. Default 13 (log audit).
    public var facility: Int
    /// HOSTNAME: printable ASCII, at most 255 bytes (others become `_`).
    public var hostname: String
    /// APP-NAME, at most 48 bytes.
    public var appName: String
    /// PROCID, at most 128 bytes.
    public var processID: String
    /// The private enterprise number in the structured data id. Default 32473 (the
    /// number RFC 5612 reserves for documentation); use your organization's own.
    public var enterpriseID: String
    /// The largest message, in bytes, before the MSG part is left out. Default 8192.
    public var maxMessageBytes: Int

    /// Creates a format.
    ///
    /// - Parameters:
    ///   - facility: the facility, 0-23.
    ///   - hostname: HOSTNAME.
    ///   - appName: APP-NAME.
    ///   - processID: PROCID.
    ///   - enterpriseID: the enterprise number of the SD-ID.
    ///   - maxMessageBytes: the largest message with its MSG part.
    public init(
        facility: Int = 13, hostname: String, appName: String = "mcp-gateway", processID: String = "-",
        enterpriseID: String = "32473", maxMessageBytes: Int = 8192
    ) {
        self.facility = min(max(facility, 0), 23)
        self.hostname = hostname
        self.appName = appName
        self.processID = processID
        self.enterpriseID = enterpriseID
        self.maxMessageBytes = maxMessageBytes
    }

    /// The message for a record.
    ///
    /// - Parameter record: the record.
    /// - Returns: the message's bytes, without transport framing.
    public func message(for record: AuditRecord) -> [UInt8] {
        let event = record.event
        let warning = (event.outcome.map { $0.status != "ok" } ?? false) || event.decision?.effect == "deny"
        let priority = facility * 8 + (warning ? 4 : 6)
        var header = "<\(priority)>1 \(record.recordedAt.rfc3339) \(Self.field(hostname, 255)) "
        header += "\(Self.field(appName, 48)) \(Self.field(processID, 128)) \(Self.field(event.category, 32)) "
        var parameters: [(String, String)] = [("seq", String(record.sequence)), ("hash", Hexadecimal.encode(record.hash))]
        let optional: [(String, String?)] = [
            ("subject", event.actor.subject), ("organization", event.actor.organization),
            ("client", event.actor.clientID), ("method", event.action.method), ("upstream", event.action.upstream),
            ("target", event.action.target), ("decision", event.decision?.effect),
            ("status", event.outcome?.status), ("requestId", event.requestID), ("traceId", event.traceID),
        ]
        for (name, value) in optional {
            if let value { parameters.append((name, value)) }
        }
        var structured = "[audit@\(Self.field(enterpriseID, 16))"
        for (name, value) in parameters {
            structured += " \(name)=\"\(Self.escape(value))\""
        }
        structured += "]"
        var bytes = Array((header + structured).utf8)
        var body: [UInt8] = [UInt8(ascii: " "), 0xEF, 0xBB, 0xBF]
        JSONSerializer(options: .sortedKeys).append(record.exportJSON, to: &body)
        if bytes.count + body.count <= maxMessageBytes {
            bytes += body
        }
        return bytes
    }

    /// A header field: printable US-ASCII (33-126), at most `limit` bytes, `-` when empty.
    static func field(_ value: String, _ limit: Int) -> String {
        let bytes = value.utf8.prefix(limit).map { $0 >= 33 && $0 <= 126 ? $0 : UInt8(ascii: "_") }
        return bytes.isEmpty ? "-" : String(decoding: bytes, as: UTF8.self)
    }

    /// An SD-PARAM value with `"`, `\` and `]` escaped (RFC 5424 section 6.3.3).
    static func escape(_ value: String) -> String {
        var output = ""
        for character in value {
            if character == "\"" || character == "\\" || character == "]" { output.append("\\") }
            output.append(character)
        }
        return output
    }
}

internal import MCPCrypto
internal import MCPCore

/// How records are written out: JSON Lines or CSV.
public enum AuditExportFormat: String, Hashable, Sendable {
    /// One JSON object per line (``AuditRecord/exportJSON``, keys sorted), each line
    /// ending in `\n`.
    case jsonLines
    /// RFC 4180 CSV: a header line, then one line per record, lines ending in CRLF. A
    /// field is quoted when it holds a comma, a quote, CR or LF, or starts or ends with a
    /// space; quotes inside are doubled. A text field starting with `=`, `+`, `-`, `@`,
    /// tab or CR gets a leading `'`, so spreadsheets do not run it as a formula.
    case csv

    /// The CSV columns, in order.
    public static let csvColumns = [
        "sequence", "recordedAt", "time", "category", "subject", "organization", "teams", "clientId",
        "upstreamCredential", "method", "upstream", "target", "argumentsDigest", "decision", "ruleIds", "findings",
        "status", "errorCode", "bytesIn", "bytesOut", "durationMicros", "requestId", "traceId", "hash",
    ]

    /// Writes records in this format (with the CSV header line).
    ///
    /// - Parameter records: the records.
    /// - Returns: the UTF-8 bytes.
    public func render(_ records: [AuditRecord]) -> [UInt8] {
        var output: [UInt8] = []
        switch self {
        case .jsonLines:
            let serializer = JSONSerializer(options: .sortedKeys)
            for record in records {
                serializer.append(record.exportJSON, to: &output)
                output.append(UInt8(ascii: "\n"))
            }
        case .csv:
            output += Array((Self.csvColumns.joined(separator: ",") + "\r\n").utf8)
            for record in records {
                output += Array((Self.csvLine(record).joined(separator: ",") + "\r\n").utf8)
            }
        }
        return output
    }

    static func csvLine(_ record: AuditRecord) -> [String] {
        let event = record.event
        func text(_ value: String?) -> String { Self.csvField(value ?? "", isText: true) }
        func number(_ value: Int64?) -> String { value.map(String.init) ?? "" }
        return [
            number(record.sequence), record.recordedAt.rfc3339, event.time.rfc3339, text(event.category),
            text(event.actor.subject), text(event.actor.organization), text(event.actor.teams.joined(separator: ";")),
            text(event.actor.clientID), text(event.actor.upstreamCredential), text(event.action.method),
            text(event.action.upstream), text(event.action.target), text(event.action.argumentsDigest),
            text(event.decision?.effect), text(event.decision?.ruleIDs.joined(separator: ";")),
            text(event.findings.map { "\($0.detector):\($0.action):\($0.fingerprint)" }.joined(separator: ";")),
            text(event.outcome?.status), number(event.outcome?.errorCode), number(event.outcome?.bytesIn),
            number(event.outcome?.bytesOut), number(event.outcome?.durationMicroseconds), text(event.requestID),
            text(event.traceID), Hexadecimal.encode(record.hash),
        ]
    }

    /// One CSV field, quoted as RFC 4180 requires.
    static func csvField(_ value: String, isText: Bool) -> String {
        var value = value
        if isText, let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
            value = "'" + value
        }
        let needsQuotes =
            value.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" }
            || value.hasPrefix(" ") || value.hasSuffix(" ")
        guard needsQuotes else { return value }
        var quoted = "\""
        for character in value {
            if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
        }
        return quoted + "\""
    }
}

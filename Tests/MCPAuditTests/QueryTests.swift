import MCPAudit
import MCPCore
import Testing

@Suite("Query and export formats")
struct QueryTests {
    private func populated() async throws -> (TemporaryDirectory, AuditReader) {
        let directory = try TemporaryDirectory()
        try await AuditLog.withAuditLog(configuration: logConfiguration(directory)) { log in
            let events = [
                sampleEvent(
                    0, subject: "alice", organization: "acme", teams: ["payments", "ops"], upstream: "github",
                    tool: "create_issue"),
                sampleEvent(
                    1, subject: "bob", organization: "acme", teams: ["ops"], upstream: "jira", tool: "search",
                    status: "error"),
                sampleEvent(
                    2, subject: "carol", organization: "globex", teams: ["payments"], upstream: "github", tool: "search"
                ),
                sampleEvent(
                    3, subject: "alice", organization: "acme", teams: [], upstream: "slack", tool: "post",
                    status: "denied"),
            ]
            for event in events { try await log.append(event) }
        }
        return (directory, try AuditReader(path: directory.file("audit.sqlite")))
    }

    private func subjects(_ reader: AuditReader, _ configure: (inout AuditQuery) -> Void) throws -> [String] {
        var query = AuditQuery()
        configure(&query)
        return try reader.records(matching: query).map { $0.event.actor.subject ?? "" }
    }

    @Test("each filter selects the matching records, in sequence order")
    func filters() async throws {
        let (_, reader) = try await populated()
        #expect(try subjects(reader) { _ in } == ["alice", "bob", "carol", "alice"])
        #expect(try subjects(reader) { $0.subject = "alice" } == ["alice", "alice"])
        #expect(try subjects(reader) { $0.team = "payments" } == ["alice", "carol"])
        #expect(try subjects(reader) { $0.team = "pay" } == [])
        #expect(try subjects(reader) { $0.organization = "acme" } == ["alice", "bob", "alice"])
        #expect(try subjects(reader) { $0.upstream = "github" } == ["alice", "carol"])
        #expect(try subjects(reader) { $0.target = "search" } == ["bob", "carol"])
        #expect(try subjects(reader) { $0.status = "error" } == ["bob"])
        #expect(
            try subjects(reader) {
                $0.organization = "acme"; $0.status = "ok"
            } == ["alice"])
        #expect(
            try subjects(reader) {
                $0.from = .seconds(1_764_000_001); $0.until = .seconds(1_764_000_003)
            } == ["bob", "carol"])
        #expect(try subjects(reader) { $0.afterSequence = 2 } == ["carol", "alice"])
        #expect(try subjects(reader) { $0.limit = 1 } == ["alice"])
    }

    @Test("a limit out of range is refused")
    func badLimit() async throws {
        let (_, reader) = try await populated()
        expectAuditError(.invalidQuery) { try reader.records(matching: AuditQuery(limit: 0)) }
        expectAuditError(.invalidQuery) { try reader.records(matching: AuditQuery(limit: 2_000_000)) }
    }

    @Test("JSON Lines: one sorted-key object per line with sequence, recordedAt and hash")
    func jsonLines() async throws {
        let (_, reader) = try await populated()
        let records = try reader.records(matching: AuditQuery())
        let text = String(decoding: AuditExportFormat.jsonLines.render(records), as: UTF8.self)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 5 && lines.last == "")
        for (line, record) in zip(lines, records) {
            let value = try JSONParser().parse(String(line))
            #expect(value["sequence"] == .number(JSONNumber(record.sequence)))
            #expect(value["actor"]?["subject"] == record.event.actor.subject.map(JSONValue.string))
            #expect(value["hash"]?.stringValue?.count == 64)
        }
    }

    @Test("CSV: RFC 4180 quoting, formula-safe text, CRLF lines")
    func csv() {
        var event = sampleEvent(1, subject: "a,\"b\"", teams: ["x", "y"])
        event.actor.organization = "line\nbreak"
        event.actor.clientID = "=SUM(A1)"
        event.action.target = " padded "
        event.requestID = "-5"
        let record = AuditRecord(
            sequence: 9, recordedAt: AuditTime(microsecondsSinceEpoch: 0), event: event, hash: [0xAB])
        let text = String(decoding: AuditExportFormat.csv.render([record]), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n")
        #expect(lines[0] == AuditExportFormat.csvColumns.joined(separator: ","))
        #expect(lines.count == 3 && lines[2] == "")
        let row = lines[1]
        #expect(row.hasPrefix("9,1970-01-01T00:00:00.000000Z,"))
        #expect(row.contains(",\"a,\"\"b\"\"\","))
        #expect(row.contains(",\"line\nbreak\","))
        #expect(row.contains(",x;y,"))
        #expect(row.contains(",'=SUM(A1),"))
        #expect(row.contains(",\" padded \","))
        #expect(row.contains(",'-5,"))
        #expect(row.hasSuffix(",ab"))
    }
}

internal import MCPStore

/// The tables of an audit database.
///
/// - `audit_records`: one row per record. `body` holds the record's canonical bytes
///   (NULL once retention removed it: a tombstone keeps `seq`, `hash` and `removed_by`,
///   the sequence of the retention record that removed it). The other columns repeat
///   fields of the body for queries; the verifier checks that they agree with it.
/// - `audit_checkpoints`: signed checkpoints; the earliest one left after retention is
///   the anchor the chain continues from.
enum AuditSchema {
    static let migrator = DatabaseMigrator([
        Migration(
            "audit-1-records",
            sql: """
                CREATE TABLE audit_records (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    recorded_at INTEGER NOT NULL,
                    event_time INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    subject TEXT,
                    organization TEXT,
                    teams TEXT NOT NULL,
                    client_id TEXT,
                    method TEXT,
                    upstream TEXT,
                    target TEXT,
                    status TEXT,
                    body BLOB,
                    hash BLOB NOT NULL,
                    removed_by INTEGER
                );
                CREATE INDEX audit_records_event_time ON audit_records (event_time);
                CREATE INDEX audit_records_subject ON audit_records (subject, event_time);
                CREATE INDEX audit_records_organization ON audit_records (organization, event_time);
                CREATE INDEX audit_records_upstream ON audit_records (upstream, event_time);
                CREATE TABLE audit_checkpoints (
                    seq INTEGER PRIMARY KEY NOT NULL,
                    hash BLOB NOT NULL,
                    created_at INTEGER NOT NULL,
                    key_id TEXT NOT NULL,
                    algorithm TEXT NOT NULL,
                    signature BLOB NOT NULL
                );
                """)
    ])

    static let insertRecord = """
        INSERT INTO audit_records (seq, recorded_at, event_time, category, subject, organization, teams, client_id,
            method, upstream, target, status, body, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let insertCheckpoint = """
        INSERT OR REPLACE INTO audit_checkpoints (seq, hash, created_at, key_id, algorithm, signature)
        VALUES (?, ?, ?, ?, ?, ?)
        """
}

/// The columns of `audit_records` derived from an event, for queries.
struct AuditIndexColumns: Hashable, Sendable {
    var eventTime: Int64
    var category: String
    var subject: String?
    var organization: String?
    var teams: String
    var clientID: String?
    var method: String?
    var upstream: String?
    var target: String?
    var status: String?

    init(_ event: AuditEvent) {
        eventTime = event.time.microsecondsSinceEpoch
        category = event.category
        subject = event.actor.subject
        organization = event.actor.organization
        var teamsBytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, team) in event.actor.teams.enumerated() {
            if index > 0 { teamsBytes.append(UInt8(ascii: ",")) }
            JSONSerializer.appendString(team, to: &teamsBytes)
        }
        teamsBytes.append(UInt8(ascii: "]"))
        teams = String(decoding: teamsBytes, as: UTF8.self)
        clientID = event.actor.clientID
        method = event.action.method
        upstream = event.action.upstream
        target = event.action.target
        status = event.outcome?.status
    }

    init(row: Row) throws(StoreError) {
        eventTime = try row.value(named: "event_time")
        category = try row.value(named: "category")
        subject = try row.value(named: "subject")
        organization = try row.value(named: "organization")
        teams = try row.value(named: "teams")
        clientID = try row.value(named: "client_id")
        method = try row.value(named: "method")
        upstream = try row.value(named: "upstream")
        target = try row.value(named: "target")
        status = try row.value(named: "status")
    }
}

import MCPCore

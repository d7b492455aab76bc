internal import MCPCore
internal import MCPStore

/// Filters for reading records back; all given filters must match.
///
/// ```swift
/// var query = AuditQuery()
/// query.organization = "acme"
/// query.status = "error"
/// query.from = .seconds(1_764_000_000)
/// let records = try log.records(matching: query)
/// ```
public struct AuditQuery: Hashable, Sendable {
    /// The principal's subject.
    public var subject: String?
    /// One of the principal's teams.
    public var team: String?
    /// The organization.
    public var organization: String?
    /// The upstream's name.
    public var upstream: String?
    /// The tool, URI or prompt.
    public var target: String?
    /// The MCP method.
    public var method: String?
    /// The outcome's status.
    public var status: String?
    /// The event's category.
    public var category: String?
    /// Events at or after this time.
    public var from: AuditTime?
    /// Events before this time.
    public var until: AuditTime?
    /// Records after this sequence number (for paging).
    public var afterSequence: Int64?
    /// The most records returned, 1 to 1,000,000. Default 10,000.
    public var limit: Int

    /// Creates a query that matches everything, up to `limit` records.
    ///
    /// - Parameter limit: the most records returned.
    public init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// The SQL and arguments for the query.
    func sql() throws(AuditError) -> (String, StatementArguments) {
        guard limit > 0, limit <= 1_000_000 else {
            throw AuditError(.invalidQuery, message: "the limit must be between 1 and 1,000,000")
        }
        var conditions = ["body IS NOT NULL"]
        var arguments: [DatabaseValue] = []
        let equalities: [(String, String?)] = [
            ("subject", subject), ("organization", organization), ("upstream", upstream), ("target", target),
            ("method", method), ("status", status), ("category", category),
        ]
        for (column, value) in equalities {
            if let value {
                conditions.append("\(column) = ?")
                arguments.append(.text(value))
            }
        }
        if let team {
            conditions.append("EXISTS (SELECT 1 FROM json_each(teams) WHERE json_each.value = ?)")
            arguments.append(.text(team))
        }
        if let from {
            conditions.append("event_time >= ?")
            arguments.append(.integer(from.microsecondsSinceEpoch))
        }
        if let until {
            conditions.append("event_time < ?")
            arguments.append(.integer(until.microsecondsSinceEpoch))
        }
        if let afterSequence {
            conditions.append("seq > ?")
            arguments.append(.integer(afterSequence))
        }
        arguments.append(.integer(Int64(limit)))
        let sql =
            "SELECT seq, body, hash FROM audit_records WHERE \(conditions.joined(separator: " AND ")) ORDER BY seq LIMIT ?"
        return (sql, .positional(arguments))
    }

    /// Runs the query on a connection.
    func run(_ db: DatabaseConnection) throws -> [AuditRecord] {
        let (sql, arguments) = try sql()
        let parser = JSONParser(limits: JSONLimits(maxBytes: 16 << 20, maxDepth: 128))
        var records: [AuditRecord] = []
        for row in try db.query(sql: sql, arguments: arguments) {
            let sequence: Int64 = try row.value(at: 0)
            let body: [UInt8] = try row.value(at: 1)
            guard let object = (try? parser.parse(body))?.objectValue, let eventValue = object["event"],
                let recordedAt = object["recordedAt"]?.numberValue?.int64Value
            else {
                throw AuditError(.storeFailure, message: "record \(sequence) is not a record; run verify")
            }
            let event = try AuditEvent(json: eventValue)
            records.append(
                AuditRecord(
                    sequence: sequence, recordedAt: AuditTime(microsecondsSinceEpoch: recordedAt), event: event,
                    hash: try row.value(at: 2)))
        }
        return records
    }
}

/// Reads an audit database without writing to it: queries and verification, for tools
/// such as `gatewayd audit query`.
public struct AuditReader: Sendable {
    let database: Database

    /// Opens a database file read-only.
    ///
    /// - Parameter path: the file.
    /// - Throws: ``AuditError`` with ``AuditError/Code/storeFailure`` when it cannot be
    ///   opened.
    public init(path: String) throws(AuditError) {
        do {
            database = try Database(configuration: DatabaseConfiguration(.file(path), isReadOnly: true))
        } catch {
            throw AuditError(
                .storeFailure, message: "cannot open the audit database: \(AuditChainWriter.describe(error))")
        }
    }

    /// The records that match a query, in sequence order (removed records excluded).
    ///
    /// - Parameter query: the filters.
    /// - Returns: the records.
    /// - Throws: ``AuditError`` with ``AuditError/Code/invalidQuery`` for a bad limit,
    ///   ``AuditError/Code/storeFailure`` when the database cannot be read.
    public func records(matching query: AuditQuery) throws(AuditError) -> [AuditRecord] {
        try AuditReader.run(query, on: database)
    }

    static func run(_ query: AuditQuery, on database: Database) throws(AuditError) -> [AuditRecord] {
        do {
            return try database.read { db in try query.run(db) }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError(
                .storeFailure, message: "cannot query the audit database: \(AuditChainWriter.describe(error))")
        }
    }
}

extension AuditLog {
    /// The records that match a query, in sequence order (removed records excluded).
    ///
    /// - Parameter query: the filters.
    /// - Returns: the records.
    /// - Throws: ``AuditError`` with ``AuditError/Code/invalidQuery`` for a bad limit,
    ///   ``AuditError/Code/storeFailure`` when the database cannot be read.
    public func records(matching query: AuditQuery) throws(AuditError) -> [AuditRecord] {
        try AuditReader.run(query, on: readDatabase)
    }
}

internal import CSQLite

/// One open SQLite connection: statements, transactions and pragmas.
///
/// A connection is not thread-safe; ``Database`` hands it out under its lock, one caller at
/// a time. Statements are compiled once and kept in a cache bounded by
/// ``DatabaseConfiguration/statementCacheSize``.
public final class DatabaseConnection {
    let handle: OpaquePointer
    private let configuration: DatabaseConfiguration
    private var statements: [String: Statement] = [:]
    private var statementOrder: [String] = []
    private var transactionDepth = 0

    init(_ configuration: DatabaseConfiguration) throws(StoreError) {
        self.configuration = configuration
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        flags |= configuration.readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE
        if configuration.createIfMissing && !configuration.readOnly { flags |= SQLITE_OPEN_CREATE }
        let path: String
        switch configuration.location {
        case .file(let file): path = file
        case .inMemory:
            path = ":memory:"
            flags |= SQLITE_OPEN_MEMORY
        }
        var handle: OpaquePointer?
        let result = sqlite3_open_v2(path, &handle, flags, nil)
        guard result == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(result))
            sqlite3_close_v2(handle)
            throw StoreError(.cannotOpen, resultCode: result, message: "cannot open \(path): \(message)")
        }
        self.handle = handle
        sqlite3_extended_result_codes(handle, 1)
        let (seconds, attoseconds) = configuration.busyTimeout.components
        sqlite3_busy_timeout(handle, Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000))
        do {
            if configuration.foreignKeys { try execute("PRAGMA foreign_keys = ON") }
            if case .file = configuration.location, !configuration.readOnly {
                try execute("PRAGMA journal_mode = \(configuration.journalMode.rawValue)")
            }
            try execute("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
        } catch {
            statements = [:]
            sqlite3_close_v2(handle)
            throw error
        }
    }

    deinit {
        statements = [:]
        sqlite3_close_v2(handle)
    }

    func error(_ result: Int32, sql: String?) -> StoreError {
        let extended = sqlite3_extended_errcode(handle)
        let code = extended != 0 ? extended : result
        let message = String(cString: sqlite3_errmsg(handle))
        return StoreError(Self.code(for: code), resultCode: code, message: message, sql: sql)
    }

    private static func code(for result: Int32) -> StoreError.Code {
        switch result {
        case csqlite_constraint_unique, csqlite_constraint_primarykey: .uniqueViolation
        case csqlite_constraint_foreignkey: .foreignKeyViolation
        case csqlite_constraint_notnull: .notNullViolation
        case csqlite_constraint_check: .checkViolation
        default:
            switch result & 0xFF {
            case SQLITE_CONSTRAINT: .constraintViolation
            case SQLITE_BUSY, SQLITE_LOCKED: .busy
            case SQLITE_READONLY: .readOnly
            case SQLITE_CORRUPT, SQLITE_NOTADB: .corrupt
            case SQLITE_IOERR: .ioFailure
            case SQLITE_FULL: .full
            case SQLITE_CANTOPEN: .cannotOpen
            case SQLITE_ERROR, SQLITE_RANGE, SQLITE_MISMATCH: .invalidSQL
            default: .failure
            }
        }
    }

    // MARK: Statements

    private func statement(_ sql: String) throws(StoreError) -> Statement {
        if let cached = statements[sql] {
            if let index = statementOrder.firstIndex(of: sql) {
                statementOrder.remove(at: index)
                statementOrder.append(sql)
            }
            return cached
        }
        let statement = try Statement(sql: sql, connection: self)
        if configuration.statementCacheSize > 0 {
            statements[sql] = statement
            statementOrder.append(sql)
            while statementOrder.count > configuration.statementCacheSize {
                statements[statementOrder.removeFirst()] = nil
            }
        }
        return statement
    }

    /// The number of prepared statements kept for reuse.
    public var cachedStatementCount: Int { statements.count }

    /// Runs a statement that returns no rows (or whose rows are ignored).
    ///
    /// - Parameters:
    ///   - sql: one SQL statement.
    ///   - arguments: the values for its parameters.
    /// - Throws: ``StoreError``.
    public func execute(_ sql: String, _ arguments: StatementArguments = .none) throws(StoreError) {
        let statement = try statement(sql)
        try statement.bind(arguments)
        while try statement.step() {}
        sqlite3_reset(statement.handle)
    }

    /// Runs a query and calls `body` with each row as it is read, without collecting them.
    ///
    /// - Parameters:
    ///   - sql: one SQL statement.
    ///   - arguments: the values for its parameters.
    ///   - body: called per row; return `false` to stop early.
    /// - Throws: ``StoreError``, or what `body` throws.
    public func forEachRow(
        _ sql: String, _ arguments: StatementArguments = .none, _ body: (Row) throws -> Bool
    ) throws {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { sqlite3_reset(statement.handle) }
        while try statement.step() {
            if try !body(statement.row()) { break }
        }
    }

    /// Runs a query and returns all its rows.
    ///
    /// - Throws: ``StoreError``.
    public func query(_ sql: String, _ arguments: StatementArguments = .none) throws(StoreError) -> [Row] {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { sqlite3_reset(statement.handle) }
        var rows: [Row] = []
        while try statement.step() { rows.append(statement.row()) }
        return rows
    }

    /// The first column of the first row, as a Swift type, or `nil` when there is no row.
    ///
    /// - Throws: ``StoreError``, including ``StoreError/Code/typeMismatch``.
    public func scalar<Value: DatabaseValueConvertible>(
        _ sql: String, _ arguments: StatementArguments = .none, as type: Value.Type = Value.self
    ) throws(StoreError) -> Value? {
        let statement = try statement(sql)
        try statement.bind(arguments)
        defer { sqlite3_reset(statement.handle) }
        guard try statement.step() else { return nil }
        return try statement.row().get(0, as: type)
    }

    /// Runs several statements separated by semicolons, such as a schema; takes no
    /// arguments and caches nothing.
    ///
    /// - Throws: ``StoreError``.
    public func executeScript(_ sql: String) throws(StoreError) {
        let result = sqlite3_exec(handle, sql, nil, nil, nil)
        guard result == SQLITE_OK else { throw error(result, sql: sql) }
    }

    /// The rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rowid of the last inserted row.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    // MARK: Transactions

    /// How a transaction takes its locks.
    public enum TransactionKind: String, Sendable {
        /// Locks on first read or write.
        case deferred = "DEFERRED"
        /// Takes the write lock at once, so a later write cannot fail with busy.
        case immediate = "IMMEDIATE"
        /// Takes the write lock and keeps readers of other journal modes out.
        case exclusive = "EXCLUSIVE"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    /// Inside another transaction it becomes a savepoint, so an inner failure rolls back
    /// only the inner work.
    ///
    /// - Parameters:
    ///   - kind: the locking of an outermost transaction.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or ``StoreError`` when the transaction cannot commit.
    public func transaction<Result>(_ kind: TransactionKind = .deferred, _ body: () throws -> Result) throws -> Result {
        let savepoint = "mcp_savepoint_\(transactionDepth)"
        if transactionDepth == 0 {
            try executeScript("BEGIN \(kind.rawValue) TRANSACTION")
        } else {
            try executeScript("SAVEPOINT \(savepoint)")
        }
        transactionDepth += 1
        let result: Result
        do {
            result = try body()
        } catch {
            transactionDepth -= 1
            if transactionDepth == 0 {
                try? executeScript("ROLLBACK TRANSACTION")
            } else {
                try? executeScript("ROLLBACK TO SAVEPOINT \(savepoint); RELEASE SAVEPOINT \(savepoint)")
            }
            throw error
        }
        transactionDepth -= 1
        do {
            if transactionDepth == 0 {
                try executeScript("COMMIT TRANSACTION")
            } else {
                try executeScript("RELEASE SAVEPOINT \(savepoint)")
            }
        } catch {
            if transactionDepth == 0 { try? executeScript("ROLLBACK TRANSACTION") }
            throw error
        }
        return result
    }

    /// Whether a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    // MARK: Write-ahead log

    /// How much of the write-ahead log a checkpoint moves into the database.
    public enum CheckpointMode: Int32, Sendable {
        /// As much as possible without waiting for readers or writers.
        case passive = 0
        /// Everything, waiting for writers.
        case full = 1
        /// Everything, then truncates the log to zero bytes.
        case truncate = 3
    }

    /// Moves committed pages from the write-ahead log into the database file.
    ///
    /// - Parameter mode: how far to go.
    /// - Returns: the pages in the log and the pages moved.
    /// - Throws: ``StoreError``, such as ``StoreError/Code/busy``.
    @discardableResult
    public func checkpoint(_ mode: CheckpointMode = .passive) throws(StoreError) -> (logPages: Int, checkpointedPages: Int) {
        var log: Int32 = 0
        var done: Int32 = 0
        let result = sqlite3_wal_checkpoint_v2(handle, nil, mode.rawValue, &log, &done)
        guard result == SQLITE_OK else { throw error(result, sql: nil) }
        return (Int(log), Int(done))
    }

    /// The journal mode in force, such as `wal`.
    public func journalMode() throws(StoreError) -> String {
        try scalar("PRAGMA journal_mode", as: String.self) ?? ""
    }
}

extension DatabaseConnection: SQLExecutor {}

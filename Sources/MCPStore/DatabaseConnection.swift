internal import CSQLite

/// One open SQLite connection: it runs statements, transactions, scripts and checkpoints.
///
/// A connection is not thread-safe and not `Sendable`: one owner uses it at a time. Most
/// callers never hold one directly but receive it inside ``Database/read(_:)`` and
/// ``Database/write(_:_:)``, which serialize access. SQLite is opened with
/// `SQLITE_OPEN_NOMUTEX` since that serialization is the store's job.
///
/// Statements are compiled once and kept in a cache bounded by
/// ``DatabaseConfiguration/statementCacheCapacity``, least recently used first out. After
/// each execution a statement is reset (releasing its locks) and its bound values are
/// cleared.
///
/// The `sqlite3` handle is closed with `sqlite3_close_v2` when the connection is released.
public final class DatabaseConnection {
    /// The `sqlite3 *`.
    let handle: OpaquePointer

    /// The settings the connection was opened with.
    public let configuration: DatabaseConfiguration

    private var statementCache: StatementCache

    /// `false` while a ``Database/read(_:)`` runs: statements that write are refused.
    var allowsWrites = true

    /// The nesting depth of savepoints, which names them.
    var savepointDepth = 0

    /// Opens a connection and applies the configuration.
    ///
    /// - Parameter configuration: where the database lives and how to open it.
    /// - Throws: ``StoreError`` with ``StoreError/Code/cannotOpen`` when the directory or
    ///   (without ``DatabaseConfiguration/createsMissingFile``) the file is missing, the file
    ///   cannot be opened, or the journal mode cannot be set; ``StoreError/Code/corrupt``
    ///   when the file is not a database; ``StoreError/Code/busy`` when another connection
    ///   keeps the journal mode from changing past the busy timeout.
    public init(configuration: DatabaseConfiguration) throws(StoreError) {
        let path = try configuration.location.openPath()
        var flags = SQLITE_OPEN_NOMUTEX
        if configuration.isReadOnly {
            flags |= SQLITE_OPEN_READONLY
        } else {
            flags |= SQLITE_OPEN_READWRITE
            if configuration.createsMissingFile {
                flags |= SQLITE_OPEN_CREATE
            }
        }
        if case .inMemory = configuration.location {
            flags |= SQLITE_OPEN_MEMORY
        }
        var opened: OpaquePointer?
        let result = sqlite3_open_v2(path, &opened, flags, nil)
        guard result == SQLITE_OK, let opened else {
            var error = StoreError(resultCode: result, connection: opened, sql: nil)
            error.message = "cannot open \(path): \(error.message)"
            sqlite3_close_v2(opened)
            throw error
        }
        self.handle = opened
        self.configuration = configuration
        self.statementCache = StatementCache(capacity: configuration.statementCacheCapacity)
        // From here on, a throw runs deinit, which closes the handle.
        try configure()
    }

    deinit {
        statementCache.removeAll()
        sqlite3_close_v2(handle)
    }

    private func configure() throws(StoreError) {
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, configuration.busyTimeoutMilliseconds)
        // Double-quoted strings are identifiers only: a misspelled "column" fails to
        // compile instead of becoming a string literal.
        _ = csqlite_db_config_flag(handle, SQLITE_DBCONFIG_DQS_DML, 0)
        _ = csqlite_db_config_flag(handle, SQLITE_DBCONFIG_DQS_DDL, 0)
        try executeUncached("PRAGMA foreign_keys = \(configuration.enforcesForeignKeys ? "ON" : "OFF")")
        if case .file = configuration.location, !configuration.isReadOnly {
            let requested = configuration.journalMode
            let statement = try Statement(
                sql: "PRAGMA journal_mode = \(requested.rawValue)", connection: handle, persistent: false)
            try statement.start(.none, allowsWrites: true)
            defer { statement.finish() }
            let granted = try statement.step() ? String(databaseValue: statement.value(at: 0)) : nil
            guard granted?.lowercased() == requested.rawValue else {
                throw StoreError(
                    .cannotOpen,
                    message: "journal mode \(requested.rawValue) is not available; SQLite kept \(granted ?? "none")",
                    sql: statement.sql
                )
            }
        }
        try executeUncached("PRAGMA synchronous = \(configuration.synchronous.rawValue)")
    }

    // MARK: Statements

    /// A compiled statement for the SQL text: the cached one when it is idle, else a new
    /// one, cached when there is room and no busy statement holds the key.
    private func preparedStatement(_ sql: String) throws(StoreError) -> Statement {
        if let cached = statementCache.statement(for: sql) {
            if !cached.isInUse {
                return cached
            }
            // The same SQL runs inside its own cursor loop: compile a one-off copy.
            return try Statement(sql: sql, connection: handle, persistent: false)
        }
        let cacheable = statementCache.capacity > 0
        let statement = try Statement(sql: sql, connection: handle, persistent: cacheable)
        if cacheable {
            statementCache.insert(statement)
        }
        return statement
    }

    /// Runs a statement without caching it and without the read-only check: pragmas and
    /// transaction control.
    func executeUncached(_ sql: String) throws(StoreError) {
        let statement = try Statement(sql: sql, connection: handle, persistent: false)
        try statement.start(.none, allowsWrites: true)
        defer { statement.finish() }
        while try statement.step() {}
    }

    /// Runs `body` with writes refused, as ``Database/read(_:)`` does.
    func refusingWrites<Result>(_ body: () throws -> Result) rethrows -> Result {
        let saved = allowsWrites
        allowsWrites = false
        defer { allowsWrites = saved }
        return try body()
    }

    /// The number of compiled statements in the cache.
    package var cachedStatementCount: Int { statementCache.count }

    /// Whether the cache holds a compiled statement for this SQL text.
    ///
    /// - Parameter sql: the SQL text.
    /// - Returns: `true` when it is cached.
    package func isStatementCached(sql: String) -> Bool {
        statementCache.contains(sql)
    }

    // MARK: Running SQL

    /// Runs one statement, reading and discarding any rows it returns.
    ///
    /// - Parameters:
    ///   - sql: exactly one SQL statement, with `?` or `:name` parameters.
    ///   - arguments: the values for the parameters.
    /// - Throws: ``StoreError``: ``StoreError/Code/invalidStatement``,
    ///   ``StoreError/Code/invalidArguments``, a constraint violation such as
    ///   ``StoreError/Code/uniqueViolation``, ``StoreError/Code/busy``,
    ///   ``StoreError/Code/readOnly``, and others from SQLite.
    public func execute(sql: String, arguments: StatementArguments = .none) throws(StoreError) {
        let statement = try preparedStatement(sql)
        try statement.start(arguments, allowsWrites: allowsWrites)
        defer { statement.finish() }
        while try statement.step() {}
    }

    /// Runs a query and returns all its rows.
    ///
    /// - Parameters:
    ///   - sql: exactly one SQL statement.
    ///   - arguments: the values for its parameters.
    /// - Returns: the rows, in the order SQLite produced them.
    /// - Throws: ``StoreError``, as ``execute(sql:arguments:)`` does.
    public func query(sql: String, arguments: StatementArguments = .none) throws(StoreError) -> [Row] {
        let statement = try preparedStatement(sql)
        try statement.start(arguments, allowsWrites: allowsWrites)
        defer { statement.finish() }
        var rows: [Row] = []
        while let row = try statement.nextRow() {
            rows.append(row)
        }
        return rows
    }

    /// Runs a query and hands its rows to `body` one at a time, without collecting them.
    ///
    /// The cursor is valid only inside `body`; the statement is reset when `body` returns
    /// or throws, so rows not read are never computed.
    ///
    /// - Parameters:
    ///   - sql: exactly one SQL statement.
    ///   - arguments: the values for its parameters.
    ///   - body: reads rows with ``RowCursor/next()``.
    /// - Returns: what `body` returns.
    /// - Throws: ``StoreError`` when the statement cannot start, or what `body` throws
    ///   (including the cursor's errors).
    public func query<Result>(
        sql: String,
        arguments: StatementArguments = .none,
        _ body: (borrowing RowCursor) throws -> Result
    ) throws -> Result {
        let statement = try preparedStatement(sql)
        try statement.start(arguments, allowsWrites: allowsWrites)
        defer { statement.finish() }
        return try body(RowCursor(statement: statement))
    }

    /// Runs a query and returns its first row.
    ///
    /// - Parameters:
    ///   - sql: exactly one SQL statement.
    ///   - arguments: the values for its parameters.
    /// - Returns: the first row, or `nil` when there is none.
    /// - Throws: ``StoreError``, as ``execute(sql:arguments:)`` does.
    public func queryFirst(sql: String, arguments: StatementArguments = .none) throws(StoreError) -> Row? {
        let statement = try preparedStatement(sql)
        try statement.start(arguments, allowsWrites: allowsWrites)
        defer { statement.finish() }
        return try statement.nextRow()
    }

    /// Runs a query and returns the first column of its first row, such as a count.
    ///
    /// - Parameters:
    ///   - sql: exactly one SQL statement returning at least one column.
    ///   - arguments: the values for its parameters.
    ///   - type: the type to read; inferred from the context when omitted.
    /// - Returns: the value, or `nil` when there is no row or the value is NULL.
    /// - Throws: ``StoreError`` with ``StoreError/Code/typeMismatch`` when the value is not
    ///   a `Value`, ``StoreError/Code/noSuchColumn`` when the statement returns no
    ///   columns, or any error ``execute(sql:arguments:)`` can throw.
    public func scalar<Value: DatabaseValueConvertible>(
        sql: String,
        arguments: StatementArguments = .none,
        as type: Value.Type = Value.self
    ) throws(StoreError) -> Value? {
        let statement = try preparedStatement(sql)
        try statement.start(arguments, allowsWrites: allowsWrites)
        defer { statement.finish() }
        guard statement.columnCount > 0 else {
            throw StoreError(.noSuchColumn, message: "the statement returns no columns", sql: sql)
        }
        guard try statement.step() else { return nil }
        let value = statement.value(at: 0)
        if value.isNull {
            return nil
        }
        guard let converted = Value(databaseValue: value) else {
            throw StoreError(
                .typeMismatch, message: "column 0 holds \(value.storageClass), not \(Value.self)", sql: sql)
        }
        return converted
    }

    /// Runs several statements separated by semicolons, such as a schema, in order.
    ///
    /// Scripts take no arguments and are not cached. Statements that ran before a failing
    /// one keep their effect unless the script runs inside a transaction.
    ///
    /// - Parameter sql: the statements.
    /// - Throws: ``StoreError`` for the first statement that fails, carrying that
    ///   statement's text (the whole script when it does not compile).
    public func executeScript(sql: String) throws(StoreError) {
        let allowsWrites = allowsWrites
        let failure: StoreError? = sql.withCString { start in
            var rest: UnsafePointer<CChar>? = start
            while let current = rest, current.pointee != 0 {
                var compiled: OpaquePointer?
                var next: UnsafePointer<CChar>?
                let result = sqlite3_prepare_v2(handle, current, -1, &compiled, &next)
                guard result == SQLITE_OK else {
                    return StoreError(resultCode: result, connection: handle, sql: sql, compiling: true)
                }
                if let compiled {
                    defer { sqlite3_finalize(compiled) }
                    let text = sqlite3_sql(compiled).map { Self.trimmed(String(cString: $0)) } ?? sql
                    guard allowsWrites || sqlite3_stmt_readonly(compiled) != 0 else {
                        return StoreError(.readOnly, message: "a statement that writes, inside a read", sql: text)
                    }
                    var stepResult: Int32
                    repeat {
                        stepResult = sqlite3_step(compiled)
                    } while stepResult == SQLITE_ROW
                    guard stepResult == SQLITE_DONE else {
                        return StoreError(resultCode: stepResult, connection: handle, sql: text)
                    }
                }
                guard let next, next != current else { break }
                rest = next
            }
            return nil
        }
        if let failure {
            throw failure
        }
    }

    /// The text without the whitespace around it, for one statement cut out of a script.
    private static func trimmed(_ text: String) -> String {
        guard let first = text.firstIndex(where: { !$0.isWhitespace }),
            let last = text.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(text[first...last])
    }

    // MARK: State

    /// The rows inserted, updated or deleted by the last such statement.
    public var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rows inserted, updated or deleted since the connection opened.
    public var totalChanges: Int { Int(sqlite3_total_changes64(handle)) }

    /// The rowid of the last row inserted into a rowid table, 0 when none was.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Whether a transaction is open.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }
}

/// A connection is one SQLite handle without a mutex of its own: one owner at a time.
@available(*, unavailable)
extension DatabaseConnection: Sendable {}

internal import CSQLite

/// A compiled SQL statement, finalized when released.
///
/// A statement belongs to one ``DatabaseConnection`` and is used only by it, one execution
/// at a time: ``start(_:allowsWrites:)`` binds the arguments, ``step()`` or ``nextRow()``
/// runs it, ``finish()`` resets it and clears its bindings so that no argument (a token,
/// a secret) stays in memory inside a cached statement.
final class Statement {
    /// The `sqlite3_stmt *`.
    let handle: OpaquePointer
    /// The `sqlite3 *` that compiled the statement, for error messages.
    private let connection: OpaquePointer
    /// The SQL text, for error messages.
    let sql: String
    /// Whether an execution is under way; a busy cached statement is not handed out again.
    private(set) var isInUse = false
    /// Whether the current execution has returned `SQLITE_DONE`.
    private var isDone = false
    /// The result column names of the current execution, read at its first row (SQLite may
    /// recompile a statement when the schema changes, and its columns with it).
    private var columnNames: [String]?

    /// Compiles one SQL statement.
    ///
    /// - Parameters:
    ///   - sql: exactly one statement; trailing whitespace and comments are allowed.
    ///   - connection: the `sqlite3 *` to compile on.
    ///   - persistent: whether the statement will be cached and reused many times.
    /// - Throws: ``StoreError`` with ``StoreError/Code/invalidStatement`` when the SQL does
    ///   not compile, is empty, or holds more than one statement.
    init(sql: String, connection: OpaquePointer, persistent: Bool) throws(StoreError) {
        var compiled: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let failure: StoreError? = sql.withCString { start in
            var tail: UnsafePointer<CChar>?
            let result = sqlite3_prepare_v3(connection, start, -1, flags, &compiled, &tail)
            guard result == SQLITE_OK else {
                return StoreError(resultCode: result, connection: connection, sql: sql, compiling: true)
            }
            // Whatever follows the first statement must compile to nothing (whitespace or
            // comments): silently ignoring a second statement would hide a mistake.
            var rest = tail
            while let current = rest, current.pointee != 0 {
                var extra: OpaquePointer?
                var next: UnsafePointer<CChar>?
                let result = sqlite3_prepare_v2(connection, current, -1, &extra, &next)
                if let extra {
                    sqlite3_finalize(extra)
                    return StoreError(
                        .invalidStatement,
                        message: "more than one SQL statement; use executeScript(sql:) for several",
                        sql: sql
                    )
                }
                guard result == SQLITE_OK else {
                    return StoreError(resultCode: result, connection: connection, sql: sql, compiling: true)
                }
                guard let next, next != current else { break }
                rest = next
            }
            return nil
        }
        if let failure {
            sqlite3_finalize(compiled)
            throw failure
        }
        guard let compiled else {
            throw StoreError(.invalidStatement, message: "no SQL statement to run", sql: sql)
        }
        self.handle = compiled
        self.connection = connection
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Whether the statement leaves the database unchanged (`sqlite3_stmt_readonly`).
    var isReadOnly: Bool { sqlite3_stmt_readonly(handle) != 0 }

    /// Begins an execution: resets the statement and binds the arguments.
    ///
    /// - Parameters:
    ///   - arguments: the values for the parameters.
    ///   - allowsWrites: `false` to refuse a statement that would change the database.
    /// - Throws: ``StoreError`` with ``StoreError/Code/invalidArguments`` when the
    ///   arguments do not fit the parameters, or ``StoreError/Code/readOnly``.
    func start(_ arguments: StatementArguments, allowsWrites: Bool) throws(StoreError) {
        precondition(!isInUse, "a statement runs one execution at a time")
        guard allowsWrites || isReadOnly else {
            throw StoreError(.readOnly, message: "a statement that writes, inside a read", sql: sql)
        }
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        isInUse = true
        isDone = false
        columnNames = nil
        do {
            try bind(arguments)
        } catch {
            finish()
            throw error
        }
    }

    /// Ends an execution: resets the statement, which releases its locks, and clears the
    /// bound values.
    func finish() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        isInUse = false
    }

    /// Runs the statement to its next row.
    ///
    /// - Returns: `true` when a row is available, `false` when the statement is done.
    /// - Throws: ``StoreError`` built from SQLite's result code.
    func step() throws(StoreError) -> Bool {
        if isDone { return false }
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW:
            return true
        case SQLITE_DONE:
            isDone = true
            return false
        default:
            isDone = true
            throw StoreError(resultCode: result, connection: connection, sql: sql)
        }
    }

    /// Runs the statement to its next row and reads it.
    ///
    /// - Returns: the row, or `nil` when the statement is done.
    /// - Throws: ``StoreError`` built from SQLite's result code.
    func nextRow() throws(StoreError) -> Row? {
        guard try step() else { return nil }
        let names = currentColumnNames()
        var values: [DatabaseValue] = []
        values.reserveCapacity(names.count)
        for column in 0..<Int32(names.count) {
            values.append(value(at: column))
        }
        return Row(columnNames: names, values: values)
    }

    /// The number of result columns.
    var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The value of a column of the current row.
    ///
    /// - Parameter column: a position below ``columnCount``.
    /// - Returns: the value, in its storage class.
    func value(at column: Int32) -> DatabaseValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            // Text first, then its length, as SQLite recommends.
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            guard let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            let count = Int(sqlite3_column_bytes(handle, column))
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    private func currentColumnNames() -> [String] {
        if let columnNames { return columnNames }
        let names = (0..<columnCount).map { column in
            sqlite3_column_name(handle, column).map { String(cString: $0) } ?? ""
        }
        columnNames = names
        return names
    }

    // MARK: Binding

    private func bind(_ arguments: StatementArguments) throws(StoreError) {
        let count = sqlite3_bind_parameter_count(handle)
        switch arguments {
        case .positional(let values):
            guard values.count == Int(count) else {
                throw StoreError(
                    .invalidArguments,
                    message: "the statement has \(count) parameter(s) but \(values.count) argument(s) were given",
                    sql: sql
                )
            }
            for (offset, value) in values.enumerated() {
                try bind(value, at: Int32(offset + 1))
            }
        case .named(let values):
            var usedKeys = Set<String>()
            for index in stride(from: Int32(1), through: count, by: 1) {
                guard let cName = sqlite3_bind_parameter_name(handle, index) else {
                    throw StoreError(
                        .invalidArguments,
                        message: "parameter \(index) is anonymous (?); named arguments cannot fill it",
                        sql: sql
                    )
                }
                let name = String(cString: cName)
                let bareName = String(name.dropFirst())
                let key: String
                if values[name] != nil {
                    key = name
                } else if values[bareName] != nil {
                    key = bareName
                } else {
                    throw StoreError(.invalidArguments, message: "no argument for parameter \(name)", sql: sql)
                }
                usedKeys.insert(key)
                try bind(values[key] ?? .null, at: index)
            }
            guard usedKeys.count == values.count else {
                let unused = values.keys.filter { !usedKeys.contains($0) }.sorted()
                throw StoreError(
                    .invalidArguments,
                    message: "arguments named \(unused) match no parameter of the statement",
                    sql: sql
                )
            }
        }
    }

    private func bind(_ value: DatabaseValue, at index: Int32) throws(StoreError) {
        let result: Int32
        switch value {
        case .null:
            result = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            result = sqlite3_bind_int64(handle, index, integer)
        case .real(let real):
            result = sqlite3_bind_double(handle, index, real)
        case .text(var text):
            result = text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { characters in
                    csqlite_bind_text_transient(handle, index, characters.baseAddress, UInt64(characters.count))
                }
            }
        case .blob(let bytes):
            result = bytes.withUnsafeBytes { raw in
                csqlite_bind_blob_transient(handle, index, raw.baseAddress, UInt64(raw.count))
            }
        }
        guard result == SQLITE_OK else {
            throw StoreError(resultCode: result, connection: connection, sql: sql)
        }
    }
}

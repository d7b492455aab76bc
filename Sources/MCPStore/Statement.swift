internal import CSQLite

/// A compiled SQL statement, finalized when released.
///
/// Owned by one ``DatabaseConnection`` and used only while its lock is held.
final class Statement {
    let handle: OpaquePointer
    let sql: String
    private unowned let connection: DatabaseConnection
    private(set) lazy var columnNames: [String] = (0..<sqlite3_column_count(handle)).map {
        String(cString: sqlite3_column_name(handle, $0))
    }

    init(sql: String, connection: DatabaseConnection) throws(StoreError) {
        var handle: OpaquePointer?
        var tail: UnsafePointer<CChar>?
        let result = sql.withCString { sqlite3_prepare_v3(connection.handle, $0, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, &tail) }
        guard result == SQLITE_OK, let handle else {
            throw connection.error(result, sql: sql)
        }
        if let tail, tail.pointee != 0, !String(cString: tail).allSatisfy(\.isWhitespace) {
            sqlite3_finalize(handle)
            throw StoreError(.invalidSQL, message: "one statement at a time; use executeScript for several", sql: sql)
        }
        self.handle = handle
        self.sql = sql
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Resets the statement and binds new arguments.
    func bind(_ arguments: StatementArguments) throws(StoreError) {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        let count = sqlite3_bind_parameter_count(handle)
        switch arguments {
        case .positional(let values):
            guard values.count == Int(count) else {
                throw StoreError(.invalidSQL, message: "the statement takes \(count) arguments, not \(values.count)", sql: sql)
            }
            for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1)) }
        case .named(let values):
            var used = 0
            for index in 1...max(count, 1) where count > 0 {
                guard let name = sqlite3_bind_parameter_name(handle, index).map({ String(cString: $0) }) else {
                    throw StoreError(.invalidSQL, message: "positional parameter \(index) in a statement given named arguments", sql: sql)
                }
                guard let value = values[name] else {
                    throw StoreError(.invalidSQL, message: "no argument for parameter \(name)", sql: sql)
                }
                try bind(value, at: index)
                used += 1
            }
            guard used == values.count else {
                throw StoreError(.invalidSQL, message: "arguments given for parameters the statement does not have", sql: sql)
            }
        }
    }

    private func bind(_ value: DatabaseValue, at index: Int32) throws(StoreError) {
        let result: Int32
        switch value {
        case .null: result = sqlite3_bind_null(handle, index)
        case .integer(let integer): result = sqlite3_bind_int64(handle, index, integer)
        case .real(let real): result = sqlite3_bind_double(handle, index, real)
        case .text(let text):
            var text = text
            result = text.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    csqlite_bind_text_transient(handle, index, $0.baseAddress, Int32($0.count))
                }
            }
        case .blob(let bytes):
            result = bytes.withUnsafeBytes {
                csqlite_bind_blob_transient(handle, index, $0.baseAddress, Int32($0.count))
            }
        }
        guard result == SQLITE_OK else { throw connection.error(result, sql: sql) }
    }

    /// Runs one step: `true` when a row is available, `false` when done.
    func step() throws(StoreError) -> Bool {
        let result = sqlite3_step(handle)
        switch result {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            sqlite3_reset(handle)
            throw connection.error(result, sql: sql)
        }
    }

    /// The value of a column of the current row.
    func value(at column: Int32) -> DatabaseValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard let text = sqlite3_column_text(handle, column) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let bytes = sqlite3_column_blob(handle, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    /// The current row.
    func row() -> Row {
        let count = sqlite3_column_count(handle)
        return Row(columns: columnNames, values: (0..<count).map(value(at:)))
    }
}

/// One row of a query's result.
public struct Row: Sendable, Hashable {
    /// The column names, in order.
    public let columns: [String]
    /// The values, in column order.
    public let values: [DatabaseValue]

    /// The value of a column by position.
    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The value of a column by name, or `nil` when there is no such column.
    public subscript(name: String) -> DatabaseValue? {
        columns.firstIndex(of: name).map { values[$0] }
    }

    /// A column's value as a Swift type.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/typeMismatch`` when the stored value is
    ///   of another type.
    public func get<Value: DatabaseValueConvertible>(_ index: Int, as type: Value.Type = Value.self) throws(StoreError) -> Value {
        guard index >= 0, index < values.count else {
            throw StoreError(.noSuchColumn, message: "no column at position \(index)")
        }
        guard let value = Value(databaseValue: values[index]) else {
            throw StoreError(.typeMismatch, message: "column \(columns[index]) holds \(values[index].typeName), not \(Value.self)")
        }
        return value
    }

    /// A column's value as a Swift type, by column name.
    ///
    /// - Throws: ``StoreError`` with ``StoreError/Code/noSuchColumn`` or
    ///   ``StoreError/Code/typeMismatch``.
    public func get<Value: DatabaseValueConvertible>(_ name: String, as type: Value.Type = Value.self) throws(StoreError) -> Value {
        guard let index = columns.firstIndex(of: name) else {
            throw StoreError(.noSuchColumn, message: "no column named \(name)")
        }
        return try get(index, as: type)
    }
}

/// One row of a query's result, read out of SQLite: it stays valid after the statement
/// moves on.
///
/// Read columns by position or by name, as ``DatabaseValue`` or as any
/// ``DatabaseValueConvertible`` type:
///
/// ```swift
/// let id: Int64 = try row.value(at: 0)
/// let name = try row.value(named: "name", as: String.self)
/// let note: String? = try row.value(named: "note")   // NULL reads as nil
/// ```
public struct Row: Hashable, Sendable {
    /// The column names, in the order of the query's result columns.
    public let columnNames: [String]

    /// The values, in column order.
    public let values: [DatabaseValue]

    /// Creates a row.
    ///
    /// Backends other than SQLite build their rows with it.
    ///
    /// - Parameters:
    ///   - columnNames: the column names, in order.
    ///   - values: the values, as many as there are names (a different count traps).
    public init(columnNames: [String], values: [DatabaseValue]) {
        precondition(columnNames.count == values.count, "a row needs one value per column")
        self.columnNames = columnNames
        self.values = values
    }

    /// The number of columns.
    public var count: Int { values.count }

    /// The value of the column at a position.
    ///
    /// - Parameter index: a position from 0 to ``count`` - 1; anything else traps, as an
    ///   array index does.
    public subscript(index: Int) -> DatabaseValue {
        values[index]
    }

    /// The value of the column of a name, or `nil` when the row has no such column.
    ///
    /// - Parameter name: the column name; compared exactly first, then ignoring ASCII case
    ///   as SQLite does.
    public subscript(name: String) -> DatabaseValue? {
        index(ofColumn: name).map { values[$0] }
    }

    /// The position of the column of a name.
    ///
    /// - Parameter name: the column name; compared exactly first, then ignoring ASCII case.
    /// - Returns: the first matching position, or `nil`.
    public func index(ofColumn name: String) -> Int? {
        if let exact = columnNames.firstIndex(of: name) {
            return exact
        }
        return columnNames.firstIndex { Self.equalIgnoringASCIICase($0, name) }
    }

    /// The value of the column at a position, as a Swift type.
    ///
    /// - Parameters:
    ///   - index: the column's position.
    ///   - type: the type to read; inferred from the context when omitted.
    /// - Returns: the converted value.
    /// - Throws: ``StoreError`` with ``StoreError/Code/noSuchColumn`` when the position is
    ///   out of range, or ``StoreError/Code/typeMismatch`` when the stored value cannot be
    ///   represented as `Value` (NULL read as a non-optional type, for example).
    public func value<Value: DatabaseValueConvertible>(
        at index: Int,
        as type: Value.Type = Value.self
    ) throws(StoreError) -> Value {
        guard values.indices.contains(index) else {
            throw StoreError(.noSuchColumn, message: "no column at position \(index) in a row of \(count)")
        }
        guard let converted = Value(databaseValue: values[index]) else {
            throw StoreError(
                .typeMismatch,
                message:
                    "column \(index) (\(columnNames[index])) holds \(values[index].storageClass), not \(Value.self)"
            )
        }
        return converted
    }

    /// The value of the column of a name, as a Swift type.
    ///
    /// - Parameters:
    ///   - name: the column's name, matched as ``index(ofColumn:)`` does.
    ///   - type: the type to read; inferred from the context when omitted.
    /// - Returns: the converted value.
    /// - Throws: ``StoreError`` with ``StoreError/Code/noSuchColumn`` when no column has
    ///   that name, or ``StoreError/Code/typeMismatch`` when the stored value cannot be
    ///   represented as `Value`.
    public func value<Value: DatabaseValueConvertible>(
        named name: String,
        as type: Value.Type = Value.self
    ) throws(StoreError) -> Value {
        guard let index = index(ofColumn: name) else {
            throw StoreError(.noSuchColumn, message: "no column named \(name); the row has \(columnNames)")
        }
        return try value(at: index, as: type)
    }

    private static func equalIgnoringASCIICase(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        return zip(left, right).allSatisfy { a, b in
            a == b || (a | 0x20 == b | 0x20 && (a | 0x20) >= 0x61 && (a | 0x20) <= 0x7A)
        }
    }
}

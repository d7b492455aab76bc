/// The rows of a running query, read one at a time without collecting them.
///
/// A cursor exists only inside the closure of
/// ``DatabaseConnection/query(sql:arguments:_:)``: it cannot be copied or kept, and the
/// statement behind it is reset when the closure returns.
///
/// ```swift
/// let total = try db.query(sql: "SELECT size FROM blobs") { rows in
///     var total = 0
///     while let row = try rows.next() {
///         total += try row.value(at: 0, as: Int.self)
///     }
///     return total
/// }
/// ```
public struct RowCursor: ~Copyable {
    private let statement: Statement

    init(statement: Statement) {
        self.statement = statement
    }

    /// Runs the query to its next row.
    ///
    /// - Returns: the row, or `nil` once every row has been read (and on every later call).
    /// - Throws: ``StoreError`` when SQLite fails while producing the row.
    public func next() throws(StoreError) -> Row? {
        try statement.nextRow()
    }
}

/// A cursor drives a statement that only its connection may touch.
@available(*, unavailable)
extension RowCursor: Sendable {}

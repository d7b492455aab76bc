/// A value as SQLite stores it: one of its five storage classes.
public enum DatabaseValue: Hashable, Sendable {
    /// SQL NULL.
    case null
    /// A signed 64-bit integer.
    case integer(Int64)
    /// An IEEE 754 double.
    case real(Double)
    /// UTF-8 text; may contain NUL characters.
    case text(String)
    /// Bytes; may be empty, which is not NULL.
    case blob([UInt8])

    /// The SQL name of the value's storage class: `NULL`, `INTEGER`, `REAL`, `TEXT` or
    /// `BLOB`. Error messages use it in place of the value itself.
    public var storageClass: String {
        switch self {
        case .null: "NULL"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .text: "TEXT"
        case .blob: "BLOB"
        }
    }

    /// Whether the value is NULL.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }
}

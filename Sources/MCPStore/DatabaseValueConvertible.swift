/// A Swift type that can be bound as an argument and read back from a column.
///
/// The store provides conformances for `Int`, `Int64`, `Double`, `Bool`, `String`,
/// `[UInt8]`, ``DatabaseValue`` and `Optional` of any of them. Conversions are strict: a
/// column read as `String` must hold TEXT, one read as `Int` must hold an INTEGER that
/// fits; the only widening is INTEGER read as `Double`.
public protocol DatabaseValueConvertible: Sendable {
    /// The value to bind or store.
    var databaseValue: DatabaseValue { get }

    /// Reads a stored value.
    ///
    /// - Parameter databaseValue: the value of a column.
    /// - Returns: `nil` when the value is of a storage class (or range) this type cannot
    ///   represent; the caller turns that into ``StoreError/Code/typeMismatch``.
    init?(databaseValue: DatabaseValue)
}

extension DatabaseValue: DatabaseValueConvertible {
    /// The value itself.
    public var databaseValue: DatabaseValue { self }

    /// Accepts any stored value, NULL included.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        self = databaseValue
    }
}

extension Int64: DatabaseValueConvertible {
    /// The integer as INTEGER.
    public var databaseValue: DatabaseValue { .integer(self) }

    /// Reads an INTEGER.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        guard case .integer(let value) = databaseValue else { return nil }
        self = value
    }
}

extension Int: DatabaseValueConvertible {
    /// The integer as INTEGER.
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }

    /// Reads an INTEGER that fits in `Int`.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        guard case .integer(let value) = databaseValue, let exact = Int(exactly: value) else { return nil }
        self = exact
    }
}

extension Double: DatabaseValueConvertible {
    /// The number as REAL.
    public var databaseValue: DatabaseValue { .real(self) }

    /// Reads a REAL, or an INTEGER converted to the nearest double.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        switch databaseValue {
        case .real(let value): self = value
        case .integer(let value): self = Double(value)
        default: return nil
        }
    }
}

extension Bool: DatabaseValueConvertible {
    /// The flag as INTEGER 1 or 0.
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }

    /// Reads an INTEGER: 0 is `false`, anything else `true`, as in SQL.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        guard case .integer(let value) = databaseValue else { return nil }
        self = value != 0
    }
}

extension String: DatabaseValueConvertible {
    /// The string as TEXT.
    public var databaseValue: DatabaseValue { .text(self) }

    /// Reads TEXT.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        guard case .text(let value) = databaseValue else { return nil }
        self = value
    }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    /// The bytes as a BLOB; an empty array is an empty BLOB, not NULL.
    public var databaseValue: DatabaseValue { .blob(self) }

    /// Reads a BLOB.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        guard case .blob(let value) = databaseValue else { return nil }
        self = value
    }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    /// The wrapped value's, or NULL for `nil`.
    public var databaseValue: DatabaseValue {
        switch self {
        case .none: .null
        case .some(let value): value.databaseValue
        }
    }

    /// Reads NULL as `nil` and anything else as the wrapped type.
    ///
    /// - Parameter databaseValue: the value of a column.
    public init?(databaseValue: DatabaseValue) {
        if case .null = databaseValue {
            self = .none
        } else if let value = Wrapped(databaseValue: databaseValue) {
            self = .some(value)
        } else {
            return nil
        }
    }
}

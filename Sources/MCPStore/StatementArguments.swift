/// The values bound to a statement's parameters, by position or by name.
///
/// Positional arguments fill the parameters in order (`?`, `?NNN` or named ones alike);
/// their count must equal the statement's parameter count. Named arguments fill `:name`,
/// `@name` and `$name` parameters; a key may be written with its prefix (`":id"`) or
/// without (`"id"`), every parameter needs a value, and a key no parameter uses is an error,
/// which catches typos.
///
/// ```swift
/// try db.execute(sql: "INSERT INTO events (kind, body) VALUES (?, ?)", arguments: ["call", body])
/// try db.execute(sql: "DELETE FROM grants WHERE id = :id", arguments: ["id": grantID])
/// ```
///
/// Arguments are never part of an error's description.
public enum StatementArguments: Hashable, Sendable, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    /// Values for the parameters, in order.
    case positional([DatabaseValue])
    /// Values for named parameters, keyed by name with or without the prefix.
    case named([String: DatabaseValue])

    /// No arguments, for statements without parameters.
    public static let none = StatementArguments.positional([])

    /// Positional arguments from Swift values.
    ///
    /// - Parameter values: the values, in parameter order.
    public init(_ values: [any DatabaseValueConvertible]) {
        self = .positional(values.map(\.databaseValue))
    }

    /// Named arguments from Swift values.
    ///
    /// - Parameter values: the values, keyed by parameter name.
    public init(named values: [String: any DatabaseValueConvertible]) {
        self = .named(values.mapValues(\.databaseValue))
    }

    /// Positional arguments from an array literal.
    ///
    /// - Parameter elements: the values, in parameter order.
    public init(arrayLiteral elements: (any DatabaseValueConvertible)...) {
        self = .positional(elements.map(\.databaseValue))
    }

    /// Named arguments from a dictionary literal.
    ///
    /// - Parameter elements: parameter names and values; a repeated name keeps its last
    ///   value.
    public init(dictionaryLiteral elements: (String, any DatabaseValueConvertible)...) {
        var values: [String: DatabaseValue] = [:]
        for (name, value) in elements {
            values[name] = value.databaseValue
        }
        self = .named(values)
    }
}

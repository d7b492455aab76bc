/// A JSON-RPC 2.0 request id: a string or a number.
///
/// A numeric id keeps the exact text it was written with, so a 64-bit id such as
/// `9007199254740993`, which a `Double` cannot hold, goes back to its sender unchanged.
/// A `null` id is not a request id; it appears only on error responses to messages whose
/// id could not be read, and is expressed as `JSONRPCID?` being `nil`.
public enum JSONRPCID: Sendable, Hashable {
    /// A string id.
    case string(String)
    /// A numeric id, kept as written.
    case number(JSONNumber)

    /// Creates an integer id.
    ///
    /// - Parameter value: the number.
    public init(_ value: Int64) { self = .number(JSONNumber(value)) }

    /// Creates a string id.
    ///
    /// - Parameter value: the string.
    public init(_ value: String) { self = .string(value) }

    /// The id as a JSON value.
    public var jsonValue: JSONValue {
        switch self {
        case .string(let string): .string(string)
        case .number(let number): .number(number)
        }
    }

    /// Reads an id from a JSON value: a string or a number; anything else is not an id.
    ///
    /// - Parameter value: the `id` member of a message.
    public init?(_ value: JSONValue) {
        switch value {
        case .string(let string): self = .string(string)
        case .number(let number): self = .number(number)
        default: return nil
        }
    }
}

extension JSONRPCID: ExpressibleByIntegerLiteral {
    /// Creates an integer id.
    public init(integerLiteral value: Int64) { self.init(value) }
}

extension JSONRPCID: ExpressibleByStringLiteral {
    /// Creates a string id.
    public init(stringLiteral value: String) { self.init(value) }
}

extension JSONRPCID: CustomStringConvertible {
    /// The id as JSON text: `"abc"` or `42`.
    public var description: String { jsonValue.jsonText() }
}

/// An event stream that ``SSEParser`` stopped reading because it broke a bound.
///
/// After such an error the parser stays failed and reports the same error again; the
/// stream should be closed. Equality compares the ``code`` only; the message is for
/// people.
public struct SSEParserError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable across releases, safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case lineTooLong
            case eventTooLarge
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A line longer than the parser's line bound.
        public static let lineTooLong = Code(.lineTooLong)
        /// An event whose data and type together exceed the parser's event bound.
        public static let eventTooLarge = Code(.eventTooLarge)

        /// The code's stable name, such as `eventTooLarge`.
        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// A description for people.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: the kind of error.
    ///   - message: a description for people.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"<message> (<code>)"`.
    public var description: String { "\(message) (\(code))" }

    public static func == (lhs: SSEParserError, rhs: SSEParserError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

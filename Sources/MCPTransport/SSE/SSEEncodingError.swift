/// An event that ``SSEEncoder`` refused to encode, because a client would read it
/// differently from what was meant.
///
/// Equality compares the ``code`` only; the message is for people.
public struct SSEEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable across releases, safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidEventName
            case invalidID
            case invalidRetry
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// An event type with CR or LF, which would end the `event:` line early.
        public static let invalidEventName = Code(.invalidEventName)
        /// An id with CR or LF, which would end the `id:` line early, or with NUL, which
        /// makes clients ignore it.
        public static let invalidID = Code(.invalidID)
        /// A negative reconnection time.
        public static let invalidRetry = Code(.invalidRetry)

        /// The code's stable name, such as `invalidID`.
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

    public static func == (lhs: SSEEncodingError, rhs: SSEEncodingError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

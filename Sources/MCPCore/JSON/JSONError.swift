/// An error found while reading JSON, with the byte offset where it was found.
///
/// Equality compares the ``code`` and the ``offset``; the message is for people.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable across releases, safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case unexpectedEndOfInput
            case unexpectedByte
            case invalidNumber
            case invalidEscape
            case invalidUnicodeEscape
            case loneSurrogate
            case controlCharacterInString
            case invalidUTF8
            case trailingData
            case duplicateKey
            case depthLimitExceeded
            case sizeLimitExceeded
            case stringLimitExceeded
            case memberLimitExceeded
            case typeMismatch
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The input ended inside a value.
        public static let unexpectedEndOfInput = Code(.unexpectedEndOfInput)
        /// A byte that cannot start or continue the value at that position.
        public static let unexpectedByte = Code(.unexpectedByte)
        /// A number that breaks the grammar (leading zeros, a bare `.` or `e`, `+1`).
        public static let invalidNumber = Code(.invalidNumber)
        /// A backslash followed by something other than `"\/bfnrtu`.
        public static let invalidEscape = Code(.invalidEscape)
        /// A `\u` escape without four hexadecimal digits.
        public static let invalidUnicodeEscape = Code(.invalidUnicodeEscape)
        /// A `\u` escape of a UTF-16 surrogate that is not part of a valid pair.
        public static let loneSurrogate = Code(.loneSurrogate)
        /// A raw byte below 0x20 inside a string.
        public static let controlCharacterInString = Code(.controlCharacterInString)
        /// Bytes that are not well-formed UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// Anything but white space after the top-level value.
        public static let trailingData = Code(.trailingData)
        /// An object with two members of the same key.
        public static let duplicateKey = Code(.duplicateKey)
        /// Arrays and objects nested deeper than the configured limit.
        public static let depthLimitExceeded = Code(.depthLimitExceeded)
        /// An input longer than the configured limit.
        public static let sizeLimitExceeded = Code(.sizeLimitExceeded)
        /// A string longer than the configured limit.
        public static let stringLimitExceeded = Code(.stringLimitExceeded)
        /// An array or object with more elements than the configured limit.
        public static let memberLimitExceeded = Code(.memberLimitExceeded)
        /// A value of another kind than the one required at that place.
        public static let typeMismatch = Code(.typeMismatch)

        /// The code's stable name, such as `duplicateKey`.
        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// The offset in bytes from the start of the input where the error was found.
    public let offset: Int
    /// A description for people; it never quotes the input beyond a short key or byte.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, at offset: Int, _ message: String) {
        self.code = code
        self.offset = offset
        self.message = message
    }

    /// `"<message> (<code> at byte <offset>)"`.
    public var description: String { "\(message) (\(code) at byte \(offset))" }

    public static func == (lhs: JSONError, rhs: JSONError) -> Bool {
        lhs.code == rhs.code && lhs.offset == rhs.offset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(offset)
    }
}

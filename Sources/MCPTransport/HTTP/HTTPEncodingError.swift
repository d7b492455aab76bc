/// A response that ``HTTPResponseWriter`` refused to encode.
///
/// The writer appends nothing when it throws, so the caller can still send another
/// response (such as a 500) or close the connection. Equality compares the ``code``
/// only; the message is for people and never quotes a field.
public struct HTTPEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable across releases, safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidFieldName
            case invalidFieldValue
            case invalidStatus
            case invalidReasonPhrase
            case framingField
            case bodyNotAllowed
            case bodyLengthExceeded
            case bodyIncomplete
            case trailersNotAllowed
            case chunkedNotAllowed
            case outOfOrder
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A field name that is not a token.
        public static let invalidFieldName = Code(.invalidFieldName)
        /// A field value with CR, LF, NUL or another control byte, or with white space at
        /// either end; sending it could split the response.
        public static let invalidFieldValue = Code(.invalidFieldValue)
        /// A status code outside 200-999 for a final response, or not 100 for an interim
        /// one.
        public static let invalidStatus = Code(.invalidStatus)
        /// A reason phrase with a control byte other than HTAB.
        public static let invalidReasonPhrase = Code(.invalidReasonPhrase)
        /// A `Content-Length` or `Transfer-Encoding` field given by the caller: the writer
        /// owns framing.
        public static let framingField = Code(.framingField)
        /// Body bytes for a status that has no content (204, 304).
        public static let bodyNotAllowed = Code(.bodyNotAllowed)
        /// More body bytes than the declared `Content-Length`.
        public static let bodyLengthExceeded = Code(.bodyLengthExceeded)
        /// The end of a response with fewer body bytes than the declared
        /// `Content-Length`.
        public static let bodyIncomplete = Code(.bodyIncomplete)
        /// Trailer fields for a response that is not chunked.
        public static let trailersNotAllowed = Code(.trailersNotAllowed)
        /// Chunked framing for a request made with HTTP/1.0, which does not know it.
        public static let chunkedNotAllowed = Code(.chunkedNotAllowed)
        /// A call out of order: body or end before the head, anything after the end.
        public static let outOfOrder = Code(.outOfOrder)

        /// The code's stable name, such as `invalidFieldValue`.
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

    public static func == (lhs: HTTPEncodingError, rhs: HTTPEncodingError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

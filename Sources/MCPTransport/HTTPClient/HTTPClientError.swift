/// Why an HTTP client request failed.
public struct HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; stable, and safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidRequest, connectFailed, timedOut, tlsFailure, responseTooLarge, cancelled, transferFailed,
                shutDown
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The request could not be formed (bad URL, bad header).
        public static let invalidRequest = Code(.invalidRequest)
        /// No connection could be made (refused, unreachable, name not resolved).
        public static let connectFailed = Code(.connectFailed)
        /// The connection or the whole request took longer than its limit.
        public static let timedOut = Code(.timedOut)
        /// TLS failed, including certificate verification.
        public static let tlsFailure = Code(.tlsFailure)
        /// The response body was larger than the request's limit.
        public static let responseTooLarge = Code(.responseTooLarge)
        /// The request was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The transfer failed in another way (connection reset, protocol error).
        public static let transferFailed = Code(.transferFailed)
        /// The client was shut down.
        public static let shutDown = Code(.shutDown)

        /// The code's stable name.
        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A description for people; it never contains request headers or bodies.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `"<message> (<code>)"`.
    public var description: String { "\(message) (\(code))" }

    public static func == (lhs: HTTPClientError, rhs: HTTPClientError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

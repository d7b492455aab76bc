/// A request received by an ``HTTPServer``.
public struct HTTPServerRequest: Sendable {
    /// The validated request head.
    public let head: HTTPRequestHead
    /// The body, streaming; empty for requests without one.
    public let body: HTTPServerRequestBody
    /// The client's address.
    public let remoteAddress: SocketAddress?

    /// The first value of a header field, compared without regard to case.
    public func header(_ name: String) -> String? { head.fields[name] }

    /// Reads the whole body, refusing more than `limit` bytes.
    ///
    /// - Parameter limit: the most bytes accepted.
    /// - Returns: the body.
    /// - Throws: ``HTTPServerError`` with ``HTTPServerError/Code/bodyTooLarge``, or the error
    ///   the request failed with (a malformed chunk, a timeout, a closed connection).
    public func collectBody(upTo limit: Int) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await body.next() {
            guard bytes.count + chunk.count <= limit else {
                throw HTTPServerError(.bodyTooLarge, "the request body is larger than \(limit) bytes")
            }
            bytes += chunk
        }
        return bytes
    }
}

/// The body of a request, in chunks as they arrive; a handler that reads slowly makes the
/// server stop reading the socket instead of buffering.
public struct HTTPServerRequestBody: Sendable {
    let queue: ByteStreamQueue

    /// The next chunk, or `nil` at the end of the body.
    ///
    /// - Throws: ``HTTPServerError`` or ``HTTPParserError`` when the request fails.
    public func next() async throws -> [UInt8]? {
        try await queue.next()
    }
}

/// Why the server failed a request or a response.
public struct HTTPServerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; stable.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable { case bodyTooLarge, timedOut, connectionClosed, invalidResponse }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The request body exceeded what the handler accepts.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// The client took too long.
        public static let timedOut = Code(.timedOut)
        /// The connection closed before the exchange finished.
        public static let connectionClosed = Code(.connectionClosed)
        /// The handler wrote an invalid or out-of-order response.
        public static let invalidResponse = Code(.invalidResponse)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// A description for people.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code))" }

    public static func == (lhs: HTTPServerError, rhs: HTTPServerError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

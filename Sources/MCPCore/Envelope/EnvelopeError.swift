/// Why a message could not be read as a JSON-RPC 2.0 message.
///
/// Malformed JSON maps to -32700 (Parse error); well-formed JSON that is not a valid
/// message maps to -32600 (Invalid Request). Where the message's id could be read, it is
/// kept in ``id`` so that the error response can name it, as JSON-RPC requires.
public struct EnvelopeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable across releases.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case malformedJSON
            case notAnObject
            case invalidVersion
            case invalidID
            case invalidMethod
            case invalidParams
            case invalidResult
            case invalidError
            case ambiguousKind
            case emptyBatch
            case batchNotAllowed
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The bytes are not valid JSON; ``EnvelopeError/json`` says where.
        public static let malformedJSON = Code(.malformedJSON)
        /// The message is not a JSON object.
        public static let notAnObject = Code(.notAnObject)
        /// `jsonrpc` is missing or not `"2.0"`.
        public static let invalidVersion = Code(.invalidVersion)
        /// `id` is not a string or a number (or is `null` where only an error may have it).
        public static let invalidID = Code(.invalidID)
        /// `method` is not a non-empty string.
        public static let invalidMethod = Code(.invalidMethod)
        /// `params` is present but not an object.
        public static let invalidParams = Code(.invalidParams)
        /// `result` is not an object.
        public static let invalidResult = Code(.invalidResult)
        /// `error` lacks an integer `code` or a string `message`.
        public static let invalidError = Code(.invalidError)
        /// The members fit no kind of message (for example both `result` and `error`, or
        /// `method` together with `result`).
        public static let ambiguousKind = Code(.ambiguousKind)
        /// A batch with no messages.
        public static let emptyBatch = Code(.emptyBatch)
        /// A batch in a protocol revision that does not allow batches.
        public static let batchNotAllowed = Code(.batchNotAllowed)

        /// The code's stable name.
        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// A description for people, safe to send to the peer.
    public let message: String
    /// The id of the offending message, when it could be read.
    public let id: JSONRPCID?
    /// The JSON syntax error, for ``Code/malformedJSON``.
    public let json: JSONError?

    init(_ code: Code, _ message: String, id: JSONRPCID? = nil, json: JSONError? = nil) {
        self.code = code
        self.message = message
        self.id = id
        self.json = json
    }

    init(_ json: JSONError) {
        self.init(.malformedJSON, json.description, json: json)
    }

    /// `"<message> (<code>)"`.
    public var description: String { "\(message) (\(code))" }
}

extension EnvelopeError: JSONRPCErrorConvertible {
    /// -32700 for malformed JSON, -32600 for anything else.
    public var jsonRPCError: JSONRPCError {
        if let json { return json.jsonRPCError }
        return JSONRPCError(code: .invalidRequest, message: "Invalid Request: \(message)")
    }
}

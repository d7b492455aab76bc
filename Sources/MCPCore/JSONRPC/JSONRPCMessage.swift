/// A JSON-RPC 2.0 request: a method, an id, and optional parameters.
public struct JSONRPCRequest: Sendable, Hashable {
    /// The request id.
    public var id: JSONRPCID
    /// The method name.
    public var method: String
    /// The parameters object, if any.
    public var params: JSONObject?

    /// Creates a request.
    public init(id: JSONRPCID, method: String, params: JSONObject? = nil) {
        self.id = id
        self.method = method
        self.params = params
    }
}

/// A JSON-RPC 2.0 notification: a method and optional parameters, no id, no response.
public struct JSONRPCNotification: Sendable, Hashable {
    /// The method name.
    public var method: String
    /// The parameters object, if any.
    public var params: JSONObject?

    /// Creates a notification.
    public init(method: String, params: JSONObject? = nil) {
        self.method = method
        self.params = params
    }
}

/// A successful JSON-RPC 2.0 response.
public struct JSONRPCResponse: Sendable, Hashable {
    /// The id of the request this answers.
    public var id: JSONRPCID
    /// The result object.
    public var result: JSONObject

    /// Creates a response.
    public init(id: JSONRPCID, result: JSONObject) {
        self.id = id
        self.result = result
    }
}

/// A JSON-RPC 2.0 error response.
public struct JSONRPCErrorResponse: Sendable, Hashable {
    /// The id of the request this answers, or `nil` (written as `null`) when the request's
    /// id could not be read.
    public var id: JSONRPCID?
    /// The error.
    public var error: JSONRPCError

    /// Creates an error response.
    public init(id: JSONRPCID?, error: JSONRPCError) {
        self.id = id
        self.error = error
    }
}

/// Any JSON-RPC 2.0 message, fully decoded.
///
/// The gateway's hot path works on ``MessageEnvelope`` and leaves `params` and `result` as
/// bytes; this type is for endpoints that need the whole message, such as the gateway's
/// own answers and tests.
public enum JSONRPCMessage: Sendable, Hashable {
    /// A request.
    case request(JSONRPCRequest)
    /// A notification.
    case notification(JSONRPCNotification)
    /// A successful response.
    case response(JSONRPCResponse)
    /// An error response.
    case errorResponse(JSONRPCErrorResponse)

    /// Decodes a message read by ``MessageEnvelope``.
    ///
    /// - Parameter envelope: a validated message.
    public init(_ envelope: MessageEnvelope) {
        switch envelope.kind {
        case .request:
            self = .request(
                JSONRPCRequest(id: envelope.id!, method: envelope.method!, params: envelope.decodeParams()?.objectValue))
        case .notification:
            self = .notification(JSONRPCNotification(method: envelope.method!, params: envelope.decodeParams()?.objectValue))
        case .response:
            self = .response(JSONRPCResponse(id: envelope.id!, result: envelope.decodeResult()?.objectValue ?? [:]))
        case .errorResponse:
            self = .errorResponse(
                JSONRPCErrorResponse(id: envelope.id, error: envelope.decodeError() ?? .internalError))
        }
    }

    /// Reads and decodes one message.
    ///
    /// - Parameters:
    ///   - bytes: the message.
    ///   - limits: bounds on the JSON.
    /// - Throws: ``EnvelopeError`` for invalid JSON or an invalid message.
    public init(parsing bytes: [UInt8], limits: JSONLimits = .default) throws(EnvelopeError) {
        self.init(try MessageEnvelope(parsing: bytes, limits: limits))
    }

    /// The message as a JSON object, members in the conventional order.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["jsonrpc": "2.0"]
        switch self {
        case .request(let request):
            object["id"] = request.id.jsonValue
            object["method"] = .string(request.method)
            if let params = request.params { object["params"] = .object(params) }
        case .notification(let notification):
            object["method"] = .string(notification.method)
            if let params = notification.params { object["params"] = .object(params) }
        case .response(let response):
            object["id"] = response.id.jsonValue
            object["result"] = .object(response.result)
        case .errorResponse(let response):
            object["id"] = response.id?.jsonValue ?? .null
            object["error"] = response.error.jsonValue
        }
        return .object(object)
    }

    /// The message as compact JSON bytes.
    public var serialized: [UInt8] { jsonValue.serialized }
}

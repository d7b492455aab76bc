/// The `jsonrpc` member every message carries.
let jsonRPCVersion = "2.0"

private enum MessageKeys: String, CodingKey {
    case jsonrpc, id, method, params, result, error
}

extension KeyedDecodingContainer where Key == MessageKeys {
    /// Checks that `jsonrpc` is `"2.0"`.
    fileprivate func checkVersion() throws {
        let version = try decode(String.self, forKey: .jsonrpc)
        guard version == jsonRPCVersion else {
            throw DecodingError.dataCorruptedError(
                forKey: .jsonrpc, in: self, debugDescription: "Expected jsonrpc \"2.0\".")
        }
    }

    /// Checks that `method` names the expected method.
    fileprivate func checkMethod(_ expected: String) throws {
        let method = try decode(String.self, forKey: .method)
        guard method == expected else {
            throw DecodingError.dataCorruptedError(
                forKey: .method, in: self, debugDescription: "Expected method \"\(expected)\".")
        }
    }

    /// Decodes `params`, or the absent value when the member is missing and the type allows it.
    fileprivate func decodeParams<Params: Decodable>(_ type: Params.Type) throws -> Params {
        if !contains(.params), let absent = Params.self as? any AbsentParams.Type, let value = absent.absent as? Params {
            return value
        }
        return try decode(type, forKey: .params)
    }
}

extension KeyedEncodingContainer where Key == MessageKeys {
    /// Encodes `params` unless it is an absent optional.
    fileprivate mutating func encodeParams(_ params: some Encodable) throws {
        if let optional = params as? any AbsentParams, optional.isAbsent { return }
        try encode(params, forKey: .params)
    }
}

/// A JSON-RPC request of one MCP method: `{"jsonrpc": "2.0", "id", "method", "params"}`.
///
/// Decoding refuses a `jsonrpc` other than `"2.0"` and a `method` other than the method's
/// name, with `DecodingError.dataCorrupted` at that member.
public struct MCPRequestMessage<Method: MCPMethod>: Codable, Sendable, Hashable, MCPRevisionEncodable {
    /// The request id.
    public var id: JSONRPCID
    /// The parameters.
    public var params: Method.Params

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - id: the request id.
    ///   - params: the parameters.
    public init(id: JSONRPCID, params: Method.Params) {
        self.id = id
        self.params = params
    }

    /// The method name, ``MCPMethod/name``.
    public var method: String { Method.name }

    /// Decodes a request of this method.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a wrong `jsonrpc` or `method`, a missing id, or
    ///   parameters that do not decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MessageKeys.self)
        try container.checkVersion()
        try container.checkMethod(Method.name)
        id = try container.decode(JSONRPCID.self, forKey: .id)
        params = try container.decodeParams(Method.Params.self)
    }

    /// Encodes the request, leaving `params` out when it is `nil`.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error encoding the parameters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MessageKeys.self)
        try container.encode(jsonRPCVersion, forKey: .jsonrpc)
        try container.encode(id, forKey: .id)
        try container.encode(Method.name, forKey: .method)
        try container.encodeParams(params)
    }
}

extension MCPRequestMessage where Method.Params: ExpressibleByNilLiteral {
    /// Creates a request without parameters.
    ///
    /// - Parameter id: the request id.
    public init(id: JSONRPCID) {
        self.init(id: id, params: nil)
    }
}

/// A successful JSON-RPC response to one MCP method: `{"jsonrpc": "2.0", "id", "result"}`.
public struct MCPResultMessage<Method: MCPMethod>: Codable, Sendable, Hashable, MCPRevisionEncodable {
    /// The id of the request this answers.
    public var id: JSONRPCID
    /// The result.
    public var result: Method.Result

    /// Creates a response.
    ///
    /// - Parameters:
    ///   - id: the id of the request this answers.
    ///   - result: the result.
    public init(id: JSONRPCID, result: Method.Result) {
        self.id = id
        self.result = result
    }

    /// Decodes a response.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a wrong `jsonrpc`, a missing id or a result that does
    ///   not decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MessageKeys.self)
        try container.checkVersion()
        id = try container.decode(JSONRPCID.self, forKey: .id)
        result = try container.decode(Method.Result.self, forKey: .result)
    }

    /// Encodes the response.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error encoding the result.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MessageKeys.self)
        try container.encode(jsonRPCVersion, forKey: .jsonrpc)
        try container.encode(id, forKey: .id)
        try container.encode(result, forKey: .result)
    }

    /// The response with its result adapted to a revision (see ``MCPResult/adapted(for:)``).
    ///
    /// - Parameter revision: the revision of the connection the response is sent on.
    /// - Returns: the JSON value.
    /// - Throws: `EncodingError` for a value JSON cannot express, such as a NaN.
    public func encodedJSON(for revision: ProtocolRevision) throws -> JSONValue {
        try JSONValueEncoder().encode(MCPResultMessage(id: id, result: result.adapted(for: revision)))
    }
}

/// A JSON-RPC notification of one MCP kind: `{"jsonrpc": "2.0", "method", "params"}`.
///
/// Decoding refuses a `jsonrpc` other than `"2.0"` and a `method` other than the
/// notification's name, and a message that has an `id` (that would be a request).
public struct MCPNotificationMessage<Kind: MCPNotification>: Codable, Sendable, Hashable, MCPRevisionEncodable {
    /// The parameters.
    public var params: Kind.Params

    /// Creates a notification.
    ///
    /// - Parameter params: the parameters.
    public init(params: Kind.Params) {
        self.params = params
    }

    /// The method name, ``MCPNotification/name``.
    public var method: String { Kind.name }

    /// Decodes a notification of this kind.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a wrong `jsonrpc` or `method`, an `id` member, or
    ///   parameters that do not decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MessageKeys.self)
        try container.checkVersion()
        try container.checkMethod(Kind.name)
        guard !container.contains(.id) else {
            throw DecodingError.dataCorruptedError(
                forKey: .id, in: container, debugDescription: "A notification has no id.")
        }
        params = try container.decodeParams(Kind.Params.self)
    }

    /// Encodes the notification, leaving `params` out when it is `nil`.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error encoding the parameters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: MessageKeys.self)
        try container.encode(jsonRPCVersion, forKey: .jsonrpc)
        try container.encode(Kind.name, forKey: .method)
        try container.encodeParams(params)
    }
}

extension MCPNotificationMessage where Kind.Params: ExpressibleByNilLiteral {
    /// Creates a notification without parameters.
    public init() {
        self.init(params: nil)
    }
}

/// A JSON-RPC error response: `{"jsonrpc": "2.0", "id", "error"}`.
///
/// The id is `nil` when the request's id could not be read. Plain encoding writes it as
/// `null`, as JSON-RPC 2.0 specifies; ``encodedJSON(for:)`` leaves it out for 2025-11-25
/// and later, whose schemas make `id` optional and do not allow `null`.
public struct MCPErrorMessage: Codable, Sendable, Hashable, MCPRevisionEncodable {
    /// The id of the request this answers, or `nil` when it could not be read.
    public var id: JSONRPCID?
    /// The error.
    public var error: JSONRPCError

    /// Creates an error response.
    ///
    /// - Parameters:
    ///   - id: the id of the request this answers, or `nil` when it could not be read.
    ///   - error: the error.
    public init(id: JSONRPCID?, error: JSONRPCError) {
        self.id = id
        self.error = error
    }

    /// Decodes an error response; a missing or `null` id becomes `nil`.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a wrong `jsonrpc`, an id that is neither a string nor
    ///   a number, or an error object without an integer `code` and a string `message`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: MessageKeys.self)
        try container.checkVersion()
        id = try container.decodeIfPresent(JSONRPCID.self, forKey: .id)
        error = try container.decode(JSONRPCError.self, forKey: .error)
    }

    /// Encodes the response, writing a `nil` id as `null`.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error encoding the error's data.
    public func encode(to encoder: any Encoder) throws {
        try encode(to: encoder, writingNullID: true)
    }

    private func encode(to encoder: any Encoder, writingNullID: Bool) throws {
        var container = encoder.container(keyedBy: MessageKeys.self)
        try container.encode(jsonRPCVersion, forKey: .jsonrpc)
        if let id {
            try container.encode(id, forKey: .id)
        } else if writingNullID {
            try container.encodeNil(forKey: .id)
        }
        try container.encode(error, forKey: .error)
    }

    /// The response in the shape a revision expects: a `nil` id is `null` before 2025-11-25
    /// and left out from 2025-11-25 on.
    ///
    /// - Parameter revision: the revision of the connection the response is sent on.
    /// - Returns: the JSON value.
    /// - Throws: `EncodingError` for error data JSON cannot express.
    public func encodedJSON(for revision: ProtocolRevision) throws -> JSONValue {
        try JSONValueEncoder().encode(RevisionShaped(message: self, writingNullID: revision < .v2025_11_25))
    }

    private struct RevisionShaped: Encodable {
        let message: MCPErrorMessage
        let writingNullID: Bool

        func encode(to encoder: any Encoder) throws {
            try message.encode(to: encoder, writingNullID: writingNullID)
        }
    }
}

extension MCPErrorMessage {
    /// Creates an error response from the JSON-RPC layer's form.
    ///
    /// - Parameter response: the error response.
    public init(_ response: JSONRPCErrorResponse) {
        self.init(id: response.id, error: response.error)
    }

    /// The response in the JSON-RPC layer's form.
    public var jsonRPCErrorResponse: JSONRPCErrorResponse {
        JSONRPCErrorResponse(id: id, error: error)
    }
}

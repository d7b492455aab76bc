// Conversions between the typed messages and the untyped JSON-RPC layer, for code that
// reads a message with ``MessageEnvelope`` or ``JSONRPCMessage`` and then needs its
// parameters or result typed.

extension MCPRequestMessage {
    /// Types a JSON-RPC request.
    ///
    /// - Parameter request: the request; its method must be ``MCPMethod/name``.
    /// - Throws: `DecodingError` for another method or parameters that do not decode.
    public init(_ request: JSONRPCRequest) throws {
        self = try JSONValueDecoder().decode(Self.self, from: JSONRPCMessage.request(request).jsonValue)
    }

    /// The request in the JSON-RPC layer's form.
    ///
    /// - Throws: `EncodingError` for parameters JSON cannot express.
    public func jsonRPCRequest() throws -> JSONRPCRequest {
        let value = try JSONValueEncoder().encode(self)
        return JSONRPCRequest(id: id, method: Method.name, params: value["params"]?.objectValue)
    }
}

extension MCPResultMessage {
    /// Types a JSON-RPC response.
    ///
    /// - Parameter response: the response to a request of this method.
    /// - Throws: `DecodingError` when the result does not decode.
    public init(_ response: JSONRPCResponse) throws {
        self = try JSONValueDecoder().decode(Self.self, from: JSONRPCMessage.response(response).jsonValue)
    }

    /// The response in the JSON-RPC layer's form, its result adapted to a revision.
    ///
    /// - Parameter revision: the revision of the connection the response is sent on.
    /// - Throws: `EncodingError` for a result JSON cannot express.
    public func jsonRPCResponse(for revision: ProtocolRevision) throws -> JSONRPCResponse {
        let value = try encodedJSON(for: revision)
        return JSONRPCResponse(id: id, result: value["result"]?.objectValue ?? JSONObject())
    }
}

extension MCPNotificationMessage {
    /// Types a JSON-RPC notification.
    ///
    /// - Parameter notification: the notification; its method must be
    ///   ``MCPNotification/name``.
    /// - Throws: `DecodingError` for another method or parameters that do not decode.
    public init(_ notification: JSONRPCNotification) throws {
        self = try JSONValueDecoder().decode(Self.self, from: JSONRPCMessage.notification(notification).jsonValue)
    }

    /// The notification in the JSON-RPC layer's form.
    ///
    /// - Throws: `EncodingError` for parameters JSON cannot express.
    public func jsonRPCNotification() throws -> JSONRPCNotification {
        let value = try JSONValueEncoder().encode(self)
        return JSONRPCNotification(method: Kind.name, params: value["params"]?.objectValue)
    }
}

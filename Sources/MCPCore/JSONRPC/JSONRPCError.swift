/// The `error` member of a JSON-RPC error response: a code, a message and optional data.
///
/// Errors received from a peer pass through unchanged: the code, the message and the data
/// are kept exactly. Errors the gateway itself raises choose their code through
/// ``JSONRPCErrorConvertible``.
public struct JSONRPCError: Error, Sendable, Hashable {
    /// The error code.
    public var code: JSONRPCErrorCode
    /// A short description.
    public var message: String
    /// Additional information, if any.
    public var data: JSONValue?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: the error code.
    ///   - message: a short description, safe to show to the peer.
    ///   - data: additional information, if any.
    public init(code: JSONRPCErrorCode, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// The error as a JSON object `{"code", "message", "data"?}`.
    public var jsonValue: JSONValue {
        var object: JSONObject = ["code": .number(JSONNumber(code.rawValue)), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    /// Reads an error object; `nil` unless it has an integer `code` and a string `message`.
    ///
    /// - Parameter value: the `error` member of a response.
    public init?(_ value: JSONValue) {
        guard let object = value.objectValue,
            let code = object["code"]?.numberValue?.int64Value,
            let message = object["message"]?.stringValue,
            let small = Int(exactly: code)
        else { return nil }
        self.init(code: JSONRPCErrorCode(small), message: message, data: object["data"])
    }

    /// -32700 with a message for people.
    public static func parseError(_ message: String = "Parse error") -> JSONRPCError {
        JSONRPCError(code: .parseError, message: message)
    }

    /// -32600 with a message for people.
    public static func invalidRequest(_ message: String = "Invalid request") -> JSONRPCError {
        JSONRPCError(code: .invalidRequest, message: message)
    }

    /// -32601 naming the method.
    public static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: .methodNotFound, message: "Method not found: \(method)")
    }

    /// -32602 with a message for people.
    public static func invalidParams(_ message: String) -> JSONRPCError {
        JSONRPCError(code: .invalidParams, message: message)
    }

    /// -32603 with a generic message: the details of an internal failure stay inside.
    public static let internalError = JSONRPCError(code: .internalError, message: "Internal error")
}

/// An error that knows which JSON-RPC error represents it on the wire.
///
/// Errors that do not conform become ``JSONRPCError/internalError`` with a generic message,
/// so that no internal detail reaches a peer by accident.
public protocol JSONRPCErrorConvertible: Error {
    /// The error to send to the peer.
    var jsonRPCError: JSONRPCError { get }
}

extension JSONRPCError: JSONRPCErrorConvertible {
    /// The error itself.
    public var jsonRPCError: JSONRPCError { self }
}

extension JSONRPCError {
    /// The wire error for any error: its own choice when it conforms to
    /// ``JSONRPCErrorConvertible``, otherwise -32603 with a generic message.
    ///
    /// - Parameter error: any error.
    /// - Returns: the error to send.
    public static func from(_ error: any Error) -> JSONRPCError {
        (error as? any JSONRPCErrorConvertible)?.jsonRPCError ?? .internalError
    }
}

extension JSONError: JSONRPCErrorConvertible {
    /// -32700 Parse error, with the offset and the kind of problem.
    public var jsonRPCError: JSONRPCError {
        JSONRPCError(code: .parseError, message: "Parse error: \(message) at byte \(offset)")
    }
}

public import MCPCore

/// What answers the MCP messages that a server transport receives.
///
/// The same handler serves every transport (stdio, Streamable HTTP), so what a server does
/// does not depend on how its messages travel.
public protocol MCPMessageHandler: Sendable {
    /// Answers one request.
    ///
    /// - Parameters:
    ///   - request: the request (``MessageEnvelope/kind`` is `.request`).
    ///   - context: the revision in force and where the request came from.
    ///   - send: sends a message related to this request before its response, such as a
    ///     progress notification; over HTTP it turns the response into an event stream.
    /// - Returns: the response: a JSON-RPC result or error message with the request's id.
    func respond(to request: MessageEnvelope, context: MCPRequestContext, send: MCPRelatedMessageSender) async -> [UInt8]

    /// Takes a notification (or a response to a server-initiated request).
    func receive(_ message: MessageEnvelope, context: MCPRequestContext) async
}

/// Sends messages related to a request before its response.
public struct MCPRelatedMessageSender: Sendable {
    private let body: @Sendable ([UInt8]) async -> Void

    /// Creates a sender.
    ///
    /// - Parameter body: delivers one message's bytes.
    public init(_ body: @escaping @Sendable ([UInt8]) async -> Void) {
        self.body = body
    }

    /// Sends one JSON-RPC message.
    public func callAsFunction(_ message: [UInt8]) async {
        await body(message)
    }
}

/// Facts about a request that a handler may need.
public struct MCPRequestContext: Sendable {
    /// The protocol revision of the exchange.
    public let revision: ProtocolRevision
    /// The session, for legacy-era HTTP sessions.
    public let sessionID: String?
    /// The HTTP header fields, for requests that came over HTTP.
    public let headers: HTTPFields

    /// Creates a context.
    public init(revision: ProtocolRevision, sessionID: String? = nil, headers: HTTPFields = [:]) {
        self.revision = revision
        self.sessionID = sessionID
        self.headers = headers
    }
}

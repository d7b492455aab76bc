/// Every MCP transport over HTTP on one server: Streamable HTTP at its path, and the
/// HTTP+SSE transport of 2024-11-05 at its two paths, all answered by one handler.
public struct MCPHTTPEndpoints: HTTPResponder {
    private let streamable: StreamableHTTPServerTransport
    private let legacy: LegacySSEServerTransport

    /// Creates the endpoints.
    ///
    /// - Parameters:
    ///   - streamable: settings of the Streamable HTTP endpoint.
    ///   - legacy: settings of the HTTP+SSE endpoints.
    ///   - handler: what answers the messages.
    public init(
        streamable: StreamableHTTPServerTransport.Configuration = .init(),
        legacy: LegacySSEServerTransport.Configuration = .init(),
        handler: some MCPMessageHandler
    ) {
        self.streamable = StreamableHTTPServerTransport(configuration: streamable, handler: handler)
        self.legacy = LegacySSEServerTransport(configuration: legacy, handler: handler)
    }

    /// Sends a message to every client session that has a standalone stream: each
    /// Streamable HTTP legacy session (its GET stream), and each HTTP+SSE session.
    public func notifyAll(_ message: [UInt8]) async {
        streamable.notifyAll(message)
        await legacy.notifyAll(message)
    }

    /// Sends a message to one client session on its standalone stream, whichever of the
    /// two transports it uses.
    ///
    /// - Returns: `false` when neither knows the session.
    @discardableResult
    public func notify(session: String, _ message: [UInt8]) async -> Bool {
        if streamable.notify(session: session, message) { return true }
        return await legacy.notify(session: session, message)
    }

    /// Whether a path is one of the HTTP+SSE transport's (the stream or the message endpoint).
    public func isLegacy(path: some StringProtocol) -> Bool { legacy.handles(path: path) }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        if legacy.handles(path: request.head.path) {
            try await legacy.respond(to: request, with: response)
        } else {
            try await streamable.respond(to: request, with: response)
        }
    }
}

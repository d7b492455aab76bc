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

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        if legacy.handles(path: request.head.path) {
            try await legacy.respond(to: request, with: response)
        } else {
            try await streamable.respond(to: request, with: response)
        }
    }
}

/// What answers the requests of an ``HTTPServer``.
///
/// The server calls ``respond(to:with:)`` once per request, on the event loop that owns
/// the connection, so a handler that does not hop elsewhere answers with no thread switch.
/// Requests of one connection are handled one after the other, in order.
public protocol HTTPResponder: Sendable {
    /// Answers one request.
    ///
    /// If the handler returns without writing a head, the server answers 500; if it
    /// returns with the body unfinished, the server ends it. If it throws after the head
    /// was written, the connection is closed so the client can tell the response is cut.
    ///
    /// - Parameters:
    ///   - request: the request, with its body streaming.
    ///   - response: where to write the response.
    func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws
}

/// An ``HTTPResponder`` made of a closure.
public struct HTTPResponderClosure: HTTPResponder {
    private let body: @Sendable (HTTPServerRequest, HTTPServerResponse) async throws -> Void

    /// Creates a responder.
    ///
    /// - Parameter body: the handler.
    public init(_ body: @escaping @Sendable (HTTPServerRequest, HTTPServerResponse) async throws -> Void) {
        self.body = body
    }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        try await body(request, response)
    }
}

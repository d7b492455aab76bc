public import MCPCore
import Synchronization

/// The client side of the HTTP+SSE transport of 2024-11-05, over ``HTTPClient``.
///
/// ``run()`` opens the event stream, learns the message endpoint from the first
/// `endpoint` event (refusing one on another origin) and delivers every `message` event to
/// ``receive()`` until the stream ends; run it in a task of the caller's task group.
/// ``send(_:)`` POSTs a message to the endpoint once it is known.
public final class LegacySSEClientTransport: Sendable {
    private struct State {
        var endpoint: String?
        var endpointWaiters: [CheckedContinuation<String, any Error>] = []
        var failure: (any Error)?
        var inbound: [MessageEnvelope] = []
        var waiter: CheckedContinuation<MessageEnvelope?, any Error>?
        var ended = false
    }

    private let url: String
    private let client: HTTPClient
    private let headers: [(name: String, value: String)]
    private let state = Mutex(State())

    /// Creates a transport.
    ///
    /// - Parameters:
    ///   - url: the event stream's URL, such as `http://host/sse`.
    ///   - client: the HTTP client.
    ///   - headers: more headers for every request (the upstream credential, never the
    ///     client's own token for the gateway).
    public init(url: String, client: HTTPClient, headers: [(name: String, value: String)] = []) {
        self.url = url
        self.client = client
        self.headers = headers
    }

    /// Reads the event stream until it ends.
    ///
    /// - Throws: ``StreamableHTTPClientError`` or ``HTTPClientError`` when the stream
    ///   cannot be opened or its endpoint is invalid.
    public func run() async throws {
        do {
            let response = try await client.execute(
                // The stream carries the whole session: no bound on its total size (each
                // event is bounded by the parser, and buffering by the response buffer).
                HTTPClientRequest(
                    url: url, headers: [("Accept", "text/event-stream")] + headers, timeout: nil,
                    maxResponseBytes: .max))
            guard response.status == 200 else {
                _ = try? await response.collectBody()
                throw StreamableHTTPClientError(
                    .httpStatus, status: response.status, "the event stream answered HTTP \(response.status)")
            }
            var parser = SSEParser()
            while let chunk = try await response.body.next() {
                parser.append(chunk)
                while let event = try parser.next() {
                    switch event.event {
                    case "endpoint":
                        let endpoint = try resolve(event.dataString ?? "")
                        let waiters = state.withLock { state in
                            state.endpoint = endpoint
                            defer { state.endpointWaiters = [] }
                            return state.endpointWaiters
                        }
                        for waiter in waiters { waiter.resume(returning: endpoint) }
                    case "message", nil:
                        guard let data = event.data, let envelope = try? MessageEnvelope(parsing: data) else {
                            continue
                        }
                        deliver(envelope)
                    default:
                        continue
                    }
                }
            }
            end(nil)
        } catch {
            end(error)
            throw error
        }
    }

    /// Resolves the endpoint against the stream's URL; only the same origin is accepted.
    private func resolve(_ endpoint: String) throws -> String {
        let origin = Self.origin(of: url)
        if endpoint.hasPrefix("/") { return origin + endpoint }
        guard Self.origin(of: endpoint) == origin, !origin.isEmpty else {
            throw StreamableHTTPClientError(.invalidResponse, status: 200, "the endpoint is on another origin")
        }
        return endpoint
    }

    private static func origin(of url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return "" }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return String(url[..<schemeEnd.upperBound]) + authority.lowercased()
    }

    private func deliver(_ envelope: MessageEnvelope) {
        let waiter = state.withLock { state -> CheckedContinuation<MessageEnvelope?, any Error>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.inbound.append(envelope)
            return nil
        }
        waiter?.resume(returning: envelope)
    }

    private func end(_ error: (any Error)?) {
        let (endpointWaiters, waiter) = state.withLock { state in
            state.ended = true
            state.failure =
                state.failure ?? error
                ?? StreamableHTTPClientError(.invalidResponse, status: 200, "the event stream ended")
            defer {
                state.endpointWaiters = []
                state.waiter = nil
            }
            return (state.endpointWaiters, state.waiter)
        }
        let failure = error ?? StreamableHTTPClientError(.invalidResponse, status: 200, "the event stream ended")
        for waiter in endpointWaiters { waiter.resume(throwing: failure) }
        waiter?.resume(returning: nil)
    }

    /// Sends one message to the endpoint, waiting for the endpoint to be known.
    ///
    /// - Throws: when the stream ended first or the server refuses the message.
    public func send(_ message: MessageEnvelope) async throws {
        let endpoint: String = try await withCheckedThrowingContinuation { continuation in
            let ready: Result<String, any Error>? = state.withLock { state in
                if let endpoint = state.endpoint { return .success(endpoint) }
                if state.ended { return .failure(state.failure ?? CancellationError()) }
                state.endpointWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
        let response = try await client.execute(
            HTTPClientRequest(
                method: "POST", url: endpoint, headers: [("Content-Type", "application/json")] + headers,
                body: message.bytes))
        _ = try await response.collectBody()
        guard (200..<300).contains(response.status) else {
            throw StreamableHTTPClientError(
                .httpStatus, status: response.status, "the server answered HTTP \(response.status)")
        }
    }

    /// The next message from the server, or `nil` once the stream has ended.
    public func receive() async throws -> MessageEnvelope? {
        try await withCheckedThrowingContinuation { continuation in
            let ready: MessageEnvelope?? = state.withLock { state in
                if !state.inbound.isEmpty { return .some(state.inbound.removeFirst()) }
                if state.ended { return .some(nil) }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

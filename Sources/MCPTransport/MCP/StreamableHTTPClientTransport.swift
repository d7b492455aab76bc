public import MCPCore
import Synchronization

/// The client side of MCP's Streamable HTTP transport, over ``HTTPClient``.
///
/// Each message is POSTed to the endpoint with the headers its revision needs (`Accept`
/// for JSON and event streams, `MCP-Protocol-Version`, the session id once the server gave
/// one, and in 2026-07-28 `Mcp-Method` / `Mcp-Name`). What comes back (a JSON answer, or
/// an event stream of related messages ending with the answer) arrives through
/// ``receive()`` in order. A 404 on a request that carried a session id means the server
/// dropped the session: ``send(_:)`` throws ``StreamableHTTPClientError/Code/sessionExpired``
/// so the caller can initialize again.
public final class StreamableHTTPClientTransport: Sendable {
    private struct State {
        var sessionID: String?
        var revision: ProtocolRevision?
        var inbound: [MessageEnvelope] = []
        var waiter: CheckedContinuation<MessageEnvelope?, any Error>?
        var closed = false
    }

    private let url: String
    private let client: HTTPClient
    private let extraHeaders: [(name: String, value: String)]
    private let timeout: Duration?
    private let refusesCredential: (@Sendable (_ status: Int, _ challenge: String?, _ body: [UInt8]) -> Bool)?
    private let state = Mutex(State())

    /// Creates a transport.
    ///
    /// - Parameters:
    ///   - url: the MCP endpoint.
    ///   - client: the HTTP client to send with.
    ///   - revision: the revision to announce before `initialize` settles one (for
    ///     2026-07-28, which has no `initialize`, set it here).
    ///   - headers: more headers for every request (never the client's own token for the
    ///     gateway: the upstream credential goes here).
    ///   - timeout: the limit on one exchange; `nil` for none.
    ///   - refusesCredential: tells whether an answer (status, `WWW-Authenticate`, body)
    ///     means the server refused the credential sent (a 401, or what a provider's
    ///     quirks say), so that ``send(_:headers:)`` throws
    ///     ``StreamableHTTPClientError/Code/credentialRefused`` instead of delivering it.
    public init(
        url: String, client: HTTPClient, revision: ProtocolRevision? = nil,
        headers: [(name: String, value: String)] = [],
        timeout: Duration? = .seconds(60),
        refusesCredential: (@Sendable (_ status: Int, _ challenge: String?, _ body: [UInt8]) -> Bool)? = nil
    ) {
        self.refusesCredential = refusesCredential
        self.url = url
        self.client = client
        self.extraHeaders = headers
        self.timeout = timeout
        state.withLock { $0.revision = revision }
    }

    /// The session id the server assigned, if any.
    public var sessionID: String? { state.withLock { $0.sessionID } }

    /// The revision announced in `MCP-Protocol-Version`.
    public var revision: ProtocolRevision? { state.withLock { $0.revision } }

    /// Sends one message and delivers what the server answers to ``receive()``; returns
    /// once the server has finished answering.
    ///
    /// - Parameters:
    ///   - message: one JSON-RPC message.
    ///   - credentials: header fields for this message only (the credential of the user
    ///     it is sent for).
    /// - Throws: ``StreamableHTTPClientError`` for statuses without a JSON-RPC answer and
    ///   refused credentials, ``HTTPClientError`` for transfer failures.
    public func send(_ message: MessageEnvelope, credentials: [(name: String, value: String)] = []) async throws {
        let (sessionID, revision) = state.withLock { ($0.sessionID, $0.revision) }
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream"),
        ]
        if let revision, message.method != "initialize" { headers.append(("MCP-Protocol-Version", revision.rawValue)) }
        if let sessionID { headers.append(("Mcp-Session-Id", sessionID)) }
        if revision?.features.requiresRoutingHeaders == true, let method = message.method {
            headers.append(("Mcp-Method", method))
            if let member = MCPRoutingHeaders.nameMember(for: method),
                let name = member == "name" ? message.name : message.uri
            {
                headers.append(("Mcp-Name", MCPHeaderValue.encode(name)))
            }
        }
        headers += extraHeaders
        headers += credentials
        let response = try await client.execute(
            HTTPClientRequest(method: "POST", url: url, headers: headers, body: message.bytes, timeout: timeout))

        if let assigned = response.header("Mcp-Session-Id"), sessionID == nil {
            state.withLock { $0.sessionID = assigned }
        }
        if response.status == 404, sessionID != nil {
            _ = try? await response.collectBody()
            state.withLock { $0.sessionID = nil }
            throw StreamableHTTPClientError(.sessionExpired, status: 404, "the server no longer knows the session")
        }
        if response.status == 202 {
            _ = try await response.collectBody()
            return
        }
        let contentType = response.header("Content-Type")?.lowercased() ?? ""
        if contentType.hasPrefix("text/event-stream") {
            var parser = SSEParser()
            while let chunk = try await response.body.next() {
                parser.append(chunk)
                while let event = try parser.next() {
                    guard let data = event.data, !data.isEmpty, let envelope = try? MessageEnvelope(parsing: data)
                    else { continue }
                    deliver(envelope, forInitialize: message.method == "initialize")
                }
            }
            return
        }
        let body = try await response.collectBody()
        if let refusesCredential, refusesCredential(response.status, response.header("WWW-Authenticate"), body) {
            throw StreamableHTTPClientError(
                .credentialRefused, status: response.status,
                "the server refused the credential (HTTP \(response.status))",
                challenge: response.header("WWW-Authenticate"))
        }
        if let envelope = try? MessageEnvelope(parsing: body) {
            deliver(envelope, forInitialize: message.method == "initialize")
            return
        }
        guard (200..<300).contains(response.status) else {
            throw StreamableHTTPClientError(
                .httpStatus, status: response.status, "the server answered HTTP \(response.status)")
        }
        throw StreamableHTTPClientError(
            .invalidResponse, status: response.status, "the server's answer is not a JSON-RPC message")
    }

    private func deliver(_ envelope: MessageEnvelope, forInitialize: Bool) {
        if forInitialize, envelope.kind == .response,
            let version = envelope.decodeResult()?["protocolVersion"]?.stringValue,
            let revision = ProtocolRevision(rawValue: version)
        {
            state.withLock { $0.revision = revision }
        }
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

    /// The next message from the server, or `nil` once the transport is closed.
    ///
    /// Call from one task at a time.
    public func receive() async throws -> MessageEnvelope? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready: Result<MessageEnvelope?, any Error>? = state.withLock { state in
                    if !state.inbound.isEmpty { return .success(state.inbound.removeFirst()) }
                    if state.closed { return .success(nil) }
                    // Cancelled before waiting: the cancellation handler found no waiter to end.
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Ends the session (DELETE, when the server assigned one) and ends ``receive()``.
    public func close() async {
        let (sessionID, waiter) = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return (state.sessionID, state.waiter)
        }
        waiter?.resume(returning: nil)
        guard let sessionID else { return }
        if let response = try? await client.execute(
            HTTPClientRequest(
                method: "DELETE", url: url, headers: [("Mcp-Session-Id", sessionID)] + extraHeaders,
                timeout: .seconds(5)))
        {
            _ = try? await response.collectBody()
        }
    }
}

/// Why a Streamable HTTP exchange failed.
public struct StreamableHTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable { case sessionExpired, httpStatus, invalidResponse, credentialRefused }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The server no longer knows the session: initialize again.
        public static let sessionExpired = Code(.sessionExpired)
        /// An HTTP error status without a JSON-RPC answer.
        public static let httpStatus = Code(.httpStatus)
        /// A success status whose body is not a JSON-RPC message.
        public static let invalidResponse = Code(.invalidResponse)
        /// The server refused the credential sent with the message.
        public static let credentialRefused = Code(.credentialRefused)

        public var description: String { value.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// The HTTP status.
    public let status: Int
    /// A description for people.
    public let message: String
    /// The server's `WWW-Authenticate` challenge, for a refused credential.
    public let challenge: String?

    init(_ code: Code, status: Int, _ message: String, challenge: String? = nil) {
        self.code = code
        self.status = status
        self.message = message
        self.challenge = challenge
    }

    public var description: String { "\(message) (\(code), HTTP \(status))" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

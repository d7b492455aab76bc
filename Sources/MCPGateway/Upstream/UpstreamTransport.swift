import MCPCore
import MCPTransport
import Synchronization

/// One way of carrying MCP messages to an upstream server and back: a child process over
/// stdio, Streamable HTTP, or the HTTP+SSE transport of 2024-11-05.
///
/// ``UpstreamConnection`` does the request bookkeeping over any of them.
protocol UpstreamTransport: Sendable {
    /// Runs what the transport needs in the background (the event stream of HTTP+SSE)
    /// until it ends or the task is cancelled; returns at once when nothing is needed.
    func run() async

    /// Sends one message. Over HTTP it returns once the server has finished answering it
    /// (its answer is then waiting in ``receive()``).
    ///
    /// - Throws: ``UpstreamSessionLost`` when the server no longer knows the session;
    ///   other errors when the message could not be delivered.
    func send(_ message: MessageEnvelope) async throws

    /// The next message from the server; `nil` once the transport has ended.
    func receive() async -> MessageEnvelope?

    /// Ends the transport: stops the process, or ends the HTTP session.
    func close() async

    /// The process id, for upstreams run as child processes.
    var pid: Int32? { get }
}

/// The upstream no longer knows the gateway's session (HTTP 404 on the session, or an
/// error whose message says so): the connection is re-initialized.
struct UpstreamSessionLost: Error, CustomStringConvertible {
    let upstream: String
    var description: String { "the session with upstream \(upstream) was lost" }
}

/// An upstream run as a child process speaking newline-delimited JSON over stdio.
struct StdioUpstreamTransport: UpstreamTransport {
    let transport: StdioClientTransport

    static func start(
        command: String, args: [String], env: [String: String]?, workingDirectory: String?, on loop: EventLoop,
        errorLine: @escaping @Sendable (String) -> Void
    ) async throws -> StdioUpstreamTransport {
        let transport = try await StdioClientTransport.start(
            ChildProcessConfiguration(
                executable: command, arguments: args, environment: env, workingDirectory: workingDirectory),
            on: loop, errorLine: errorLine)
        return StdioUpstreamTransport(transport: transport)
    }

    func run() async {
        await waitUntilCancelled()
    }

    func send(_ message: MessageEnvelope) async throws {
        try await transport.send(message.bytes)
    }

    func receive() async -> MessageEnvelope? {
        // Lines that are not messages (stray prints) are skipped; the stream goes on.
        while let inbound = try? await transport.receive() {
            if case .message(let message) = inbound { return message }
        }
        return nil
    }

    func close() async {
        await transport.close(gracePeriod: .seconds(2))
    }

    var pid: Int32? { transport.pid }
}

/// An upstream over Streamable HTTP.
struct StreamableHTTPUpstreamTransport: UpstreamTransport {
    let name: String
    let transport: StreamableHTTPClientTransport
    /// The per-user credentials, when the upstream is authenticated through the broker.
    let credentials: UpstreamCredentials?

    init(
        name: String, url: String, client: HTTPClient, headers: [String: String], revision: ProtocolRevision?,
        timeout: Duration, credentials: UpstreamCredentials? = nil
    ) {
        self.name = name
        self.credentials = credentials
        self.transport = StreamableHTTPClientTransport(
            url: url, client: client, revision: revision,
            headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            timeout: timeout, refusesCredential: credentials?.refusal)
    }

    func run() async {
        await waitUntilCancelled()
    }

    func send(_ message: MessageEnvelope) async throws {
        do {
            if let credentials {
                try await credentials.send { header in try await transport.send(message, credentials: header) }
            } else {
                try await transport.send(message)
            }
        } catch let error as StreamableHTTPClientError where error.code == .sessionExpired {
            throw UpstreamSessionLost(upstream: name)
        } catch let error as StreamableHTTPClientError
            where error.status == 400 && message.method != "initialize" && transport.revision != .v2026_07_28
        {
            // Some servers answer a session they forgot with 400 "No valid session ID" (in
            // 2026-07-28 there is no session, and a 400 is the request's own error).
            throw UpstreamSessionLost(upstream: name)
        }
    }

    func receive() async -> MessageEnvelope? {
        try? await transport.receive()
    }

    func close() async {
        await transport.close()
    }

    var pid: Int32? { nil }
}

/// An upstream over the HTTP+SSE transport of 2024-11-05.
struct LegacySSEUpstreamTransport: UpstreamTransport {
    let transport: LegacySSEClientTransport

    init(url: String, client: HTTPClient, headers: [String: String]) {
        self.transport = LegacySSEClientTransport(
            url: url, client: client, headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
    }

    func run() async {
        // The stream ends the session; its end reaches receive() as nil.
        try? await transport.run()
    }

    func send(_ message: MessageEnvelope) async throws {
        try await transport.send(message)
    }

    func receive() async -> MessageEnvelope? {
        try? await transport.receive()
    }

    func close() async {}

    var pid: Int32? { nil }
}

/// Suspends until the current task is cancelled.
func waitUntilCancelled() async {
    let waiter = Mutex<(continuation: CheckedContinuation<Void, Never>?, cancelled: Bool)>((nil, false))
    await withTaskCancellationHandler {
        await withCheckedContinuation { continuation in
            let cancelled = waiter.withLock { state -> Bool in
                if state.cancelled { return true }
                state.continuation = continuation
                return false
            }
            if cancelled { continuation.resume() }
        }
    } onCancel: {
        let continuation = waiter.withLock { state in
            state.cancelled = true
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume()
    }
}

import MCPCore
import Synchronization

/// The server side of the HTTP+SSE transport of MCP 2024-11-05, as an ``HTTPResponder``.
///
/// A client opens an event stream with GET on ``Configuration/ssePath``; the first event,
/// `endpoint`, names where to POST messages (``Configuration/messagesPath`` with a
/// `session_id` query). Each POST is acknowledged with 202 at once; answers and related
/// messages travel as `message` events on the client's stream, written one at a time, with
/// `:` keep-alive comments in between. The session ends when the stream closes.
public final class LegacySSEServerTransport: HTTPResponder {
    /// Settings of the two endpoints.
    public struct Configuration: Sendable {
        /// The path of the event stream.
        public var ssePath: String
        /// The path messages are posted to.
        public var messagesPath: String
        /// The browser origins allowed.
        public var originPolicy: OriginPolicy
        /// The largest message body.
        public var maxBodyBytes: Int
        /// The most sessions open at once.
        public var maxSessions: Int
        /// The most posted messages waiting for their session's stream.
        public var maxQueuedMessages: Int
        /// How often a keep-alive comment is sent on an idle stream.
        public var keepAliveInterval: Duration

        /// Creates settings.
        public init(
            ssePath: String = "/sse", messagesPath: String = "/messages", originPolicy: OriginPolicy = OriginPolicy(),
            maxBodyBytes: Int = 4 << 20, maxSessions: Int = 1_000, maxQueuedMessages: Int = 256,
            keepAliveInterval: Duration = .seconds(15)
        ) {
            self.ssePath = ssePath
            self.messagesPath = messagesPath
            self.originPolicy = originPolicy
            self.maxBodyBytes = maxBodyBytes
            self.maxSessions = maxSessions
            self.maxQueuedMessages = maxQueuedMessages
            self.keepAliveInterval = keepAliveInterval
        }
    }

    private let configuration: Configuration
    private let handler: any MCPMessageHandler
    private let sessions = Mutex<[String: AsyncStream<MessageEnvelope>.Continuation]>([:])
    /// Each open session's stream, for messages the server sends outside any request.
    private let writers = Mutex<[String: EventWriter]>([:])

    /// Creates the endpoints.
    public init(configuration: Configuration = Configuration(), handler: some MCPMessageHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// Whether this transport answers a path.
    public func handles(path: some StringProtocol) -> Bool {
        path == configuration.ssePath || path == configuration.messagesPath
    }

    /// The number of open sessions.
    public var sessionCount: Int { sessions.withLock { $0.count } }

    /// Sends a message to one open session; `false` when it is not open.
    @discardableResult
    public func notify(session: String, _ message: [UInt8]) async -> Bool {
        guard let writer = writers.withLock({ $0[session] }) else { return false }
        return (try? await writer.write(ServerSentEvent(event: "message", data: message))) != nil
    }

    /// Sends a message (a notification such as `notifications/tools/list_changed`) to
    /// every open session.
    public func notifyAll(_ message: [UInt8]) async {
        for writer in writers.withLock({ Array($0.values) }) {
            _ = try? await writer.write(ServerSentEvent(event: "message", data: message))
        }
    }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        guard configuration.originPolicy.allows(request.header("Origin")) else {
            return try await response.send(status: HTTPStatus(code: 403), body: Array("Forbidden origin".utf8))
        }
        switch (request.head.method, String(request.head.path)) {
        case (.get, configuration.ssePath): try await stream(request, response)
        case (.post, configuration.messagesPath): try await post(request, response)
        case (_, configuration.ssePath), (_, configuration.messagesPath):
            try await response.send(
                status: HTTPStatus(code: 405),
                fields: ["Allow": request.head.path == configuration.ssePath ? "GET" : "POST"])
        default:
            try await response.send(status: HTTPStatus(code: 404), body: Array("Not Found".utf8))
        }
    }

    // MARK: The event stream

    private func stream(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        let (inbound, continuation) = AsyncStream.makeStream(
            of: MessageEnvelope.self, bufferingPolicy: .bufferingNewest(configuration.maxQueuedMessages))
        guard let id = try? MCPSessionID.generate() else {
            return try await response.send(status: HTTPStatus(code: 500), body: Array("No session could be made".utf8))
        }
        let admitted = sessions.withLock { sessions -> Bool in
            guard sessions.count < configuration.maxSessions else { return false }
            sessions[id] = continuation
            return true
        }
        guard admitted else {
            return try await response.send(status: HTTPStatus(code: 503), body: Array("Too many sessions".utf8))
        }
        defer { _ = sessions.withLock { $0.removeValue(forKey: id) } }

        let writer = EventWriter(response: response)
        writers.withLock { $0[id] = writer }
        defer { _ = writers.withLock { $0.removeValue(forKey: id) } }
        try await response.startEventStream()
        try await writer.write(
            ServerSentEvent(event: "endpoint", data: "\(configuration.messagesPath)?session_id=\(id)"))
        // The transport is 2024-11-05's, but a client may negotiate a later revision in
        // `initialize`; requests after it are handled in that revision.
        let revision = Mutex(ProtocolRevision.v2024_11_05)
        let negotiation = ProtocolNegotiation()
        let fields = request.head.fields
        let handler = self.handler
        let interval = configuration.keepAliveInterval
        await withDiscardingTaskGroup { group in
            group.addTask {
                // The session ends as soon as the client's connection does.
                await response.waitUntilClosed()
                continuation.finish()
            }
            group.addTask {
                // Keep-alive comments; a failed write means the client went away.
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if await !writer.keepAlive() { continuation.finish() }
                }
            }
            for await message in inbound {
                guard await writer.isOpen else { break }
                if message.method == "initialize",
                    let requested = message.decodeParams()?["protocolVersion"]?.stringValue,
                    let chosen = negotiation.answerInitialize(requested: requested)
                {
                    revision.withLock { $0 = chosen }
                }
                let context = MCPRequestContext(revision: revision.withLock { $0 }, sessionID: id, headers: fields)
                if message.kind == .request {
                    group.addTask {
                        let answer = await handler.respond(
                            to: message, context: context,
                            send: MCPRelatedMessageSender { related in
                                _ = try? await writer.write(ServerSentEvent(event: "message", data: related))
                            })
                        _ = try? await writer.write(ServerSentEvent(event: "message", data: answer))
                    }
                } else {
                    await handler.receive(message, context: context)
                }
            }
            group.cancelAll()
        }
        try? await response.end()
    }

    // MARK: Posted messages

    private func post(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        guard let query = request.head.query, let id = Self.sessionID(in: query),
            let session = sessions.withLock({ $0[id] })
        else {
            return try await response.send(status: HTTPStatus(code: 404), body: Array("Could not find session".utf8))
        }
        let body: [UInt8]
        do {
            body = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch let error as HTTPServerError where error.code == .bodyTooLarge {
            return try await response.send(status: HTTPStatus(code: 413), body: Array("Request body too large".utf8))
        }
        let message: MessageEnvelope
        do {
            message = try MessageEnvelope(parsing: body, limits: JSONLimits(maxBytes: configuration.maxBodyBytes))
        } catch {
            let answer = JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: error.id, error: error.jsonRPCError))
                .serialized
            return try await response.send(
                status: HTTPStatus(code: 400), fields: ["Content-Type": "application/json"], body: answer)
        }
        guard case .enqueued = session.yield(message) else {
            return try await response.send(status: HTTPStatus(code: 503), body: Array("Session is not reading".utf8))
        }
        try await response.send(status: HTTPStatus(code: 202), body: Array("Accepted".utf8))
    }

    private static func sessionID(in query: Substring) -> String? {
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "session_id" || parts[0] == "sessionId" { return String(parts[1]) }
        }
        return nil
    }
}

/// Writes the events of one stream, one at a time, and remembers whether it broke.
private actor EventWriter {
    private let response: HTTPServerResponse
    private(set) var isOpen = true

    init(response: HTTPServerResponse) {
        self.response = response
    }

    func write(_ event: ServerSentEvent) async throws {
        guard isOpen else { throw HTTPServerError(.connectionClosed, "the event stream is closed") }
        do {
            try await response.write(try SSEEncoder.encode(event))
        } catch {
            isOpen = false
            throw error
        }
    }

    /// Sends a keep-alive comment; returns whether the stream is still open.
    func keepAlive() async -> Bool {
        guard isOpen else { return false }
        do {
            try await response.write(SSEEncoder.keepAlive())
        } catch {
            isOpen = false
        }
        return isOpen
    }
}

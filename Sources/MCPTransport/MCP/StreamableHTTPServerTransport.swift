public import MCPCore
import Synchronization

/// The server side of MCP's Streamable HTTP transport, as an ``HTTPResponder``: one
/// endpoint taking POST (and DELETE for legacy sessions), for every revision from
/// 2025-03-26 on.
///
/// Every request is checked before the handler sees it: the path (404), the `Origin`
/// (403), the content type (415), the body size (413), the JSON and the message (400
/// with -32700 or -32600), the `MCP-Protocol-Version` header (400), the legacy session
/// (400 without `Mcp-Session-Id`, 404 for an unknown one) and, in 2026-07-28, the routing
/// headers against the body (400 with -32020). A request's answer is plain JSON, or an
/// event stream as soon as the handler sends a related message (such as progress) first.
public final class StreamableHTTPServerTransport: HTTPResponder {
    /// Settings of the endpoint.
    public struct Configuration: Sendable {
        /// The endpoint's path.
        public var path: String
        /// The browser origins allowed.
        public var originPolicy: OriginPolicy
        /// The revisions offered.
        public var negotiation: ProtocolNegotiation
        /// The largest request body.
        public var maxBodyBytes: Int
        /// The most legacy sessions kept at once; the least recently used goes first.
        public var maxSessions: Int
        /// The most messages kept per session for its standalone (GET) stream, replayed to
        /// a client that reconnects with `Last-Event-ID`.
        public var maxReplayEvents: Int
        /// How often an idle standalone stream gets a keep-alive comment.
        public var keepAliveInterval: Duration

        /// Creates settings.
        ///
        /// - Parameters:
        ///   - path: default `/mcp`.
        ///   - originPolicy: default: loopback origins and requests without `Origin`.
        ///   - negotiation: default: all revisions.
        ///   - maxBodyBytes: default 4 MiB.
        ///   - maxSessions: default 10,000.
        ///   - maxReplayEvents: default 64.
        ///   - keepAliveInterval: default 15 seconds.
        public init(
            path: String = "/mcp", originPolicy: OriginPolicy = OriginPolicy(),
            negotiation: ProtocolNegotiation = ProtocolNegotiation(), maxBodyBytes: Int = 4 << 20,
            maxSessions: Int = 10_000,
            maxReplayEvents: Int = 64, keepAliveInterval: Duration = .seconds(15)
        ) {
            self.maxReplayEvents = maxReplayEvents
            self.keepAliveInterval = keepAliveInterval
            self.path = path
            self.originPolicy = originPolicy
            self.negotiation = negotiation
            self.maxBodyBytes = maxBodyBytes
            self.maxSessions = maxSessions
        }
    }

    private let configuration: Configuration
    private let handler: any MCPMessageHandler
    private let sessions = Mutex<(revisions: [String: ProtocolRevision], order: [String])>(([:], []))
    private let streams: SessionStreamTable

    /// Creates the endpoint.
    ///
    /// - Parameters:
    ///   - configuration: its settings.
    ///   - handler: what answers the messages.
    public init(configuration: Configuration = Configuration(), handler: some MCPMessageHandler) {
        self.configuration = configuration
        self.handler = handler
        self.streams = SessionStreamTable(capacity: configuration.maxReplayEvents)
    }

    /// Sends a message (a notification such as `notifications/tools/list_changed`) to one
    /// legacy session on its standalone stream, now or when the client next opens it.
    ///
    /// - Returns: `false` when the session is unknown.
    @discardableResult
    public func notify(session: String, _ message: [UInt8]) -> Bool {
        streams.publish(message, to: session)
    }

    /// Sends a message to every legacy session on its standalone stream.
    public func notifyAll(_ message: [UInt8]) {
        streams.publishToAll(message)
    }

    /// The number of open legacy sessions.
    public var sessionCount: Int { sessions.withLock { $0.revisions.count } }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        guard request.head.path == configuration.path else {
            return try await response.send(status: HTTPStatus(code: 404), body: Array("Not Found".utf8))
        }
        guard configuration.originPolicy.allows(request.header("Origin")) else {
            return try await sendError(response, status: 403, JSONRPCError.invalidRequest("Forbidden origin"), id: nil)
        }
        switch request.head.method {
        case .post: try await post(request, response)
        case .get: try await get(request, response)
        case .delete: try await delete(request, response)
        default:
            var fields: HTTPFields = ["Allow": "GET, POST, DELETE"]
            fields.append(name: "Content-Type", value: "text/plain")
            try await response.send(
                status: HTTPStatus(code: 405), fields: fields, body: Array("Method Not Allowed".utf8))
        }
    }

    // MARK: POST

    private func post(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        let contentType = request.header("Content-Type")?.lowercased() ?? ""
        guard contentType.hasPrefix("application/json") else {
            return try await sendError(
                response, status: 415, .invalidRequest("Content-Type must be application/json"), id: nil)
        }
        let body: [UInt8]
        do {
            body = try await request.collectBody(upTo: configuration.maxBodyBytes)
        } catch let error as HTTPServerError where error.code == .bodyTooLarge {
            return try await sendError(response, status: 413, .invalidRequest("Request body too large"), id: nil)
        }

        // The body is read once. A single message reads the same in every revision, so it
        // is read before the revision is known; a batch waits for the revision.
        let limits = JSONLimits(maxBytes: configuration.maxBodyBytes)
        var single: MessageEnvelope?
        if !MessageFrame.isBatch(body) {
            do {
                single = try MessageEnvelope(parsing: body, limits: limits)
            } catch {
                return try await sendError(response, status: 400, error.jsonRPCError, id: error.id)
            }
        }

        // Which revision: initialize names it; later requests carry the header.
        let headerVersion = request.header("MCP-Protocol-Version")
        let initialize = single.flatMap(Self.initializeVersion)
        var revision: ProtocolRevision
        if let initialize {
            guard let chosen = configuration.negotiation.answerInitialize(requested: initialize) else {
                return try await sendError(response, status: 400, .methodNotFound("initialize"), id: nil)
            }
            revision = chosen
        } else if let headerVersion {
            guard let named = configuration.negotiation.revision(forHeader: headerVersion) else {
                let error = configuration.negotiation.unsupportedVersionError(requested: headerVersion)
                return try await sendError(response, status: 400, error, id: nil)
            }
            revision = named
        } else {
            revision = ProtocolRevision.assumedWithoutHeader
        }

        let frame: MessageFrame
        if let single {
            frame = .single(single)
        } else {
            do {
                frame = try MessageFrame.read(body, revision: revision, limits: limits)
            } catch {
                return try await sendError(response, status: 400, error.jsonRPCError, id: error.id)
            }
        }

        // Legacy sessions.
        var sessionID = request.header("Mcp-Session-Id")
        if revision.isLegacyEra && initialize == nil {
            guard let id = sessionID else {
                return try await sendError(
                    response, status: 400, .invalidRequest("Bad Request: Mcp-Session-Id header is required"), id: nil)
            }
            guard let sessionRevision = sessions.withLock({ $0.revisions[id] }) else {
                return try await sendError(
                    response, status: 404, JSONRPCError(code: .requestTimeout, message: "Session not found"), id: nil)
            }
            if headerVersion == nil { revision = sessionRevision }
        } else if !revision.isLegacyEra {
            sessionID = nil
        }

        switch frame {
        case .single(let message):
            if revision.features.requiresRoutingHeaders,
                let mismatch = MCPRoutingHeaders(requireHeaders: true).check(request.head.fields, against: message)
            {
                return try await sendError(response, status: 400, mismatch, id: message.id)
            }
            let context = MCPRequestContext(revision: revision, sessionID: sessionID, headers: request.head.fields)
            guard message.kind == .request else {
                await handler.receive(message, context: context)
                return try await response.send(status: HTTPStatus(code: 202))
            }
            if initialize != nil {
                guard let newSession = try? newSessionID(revision: revision) else {
                    return try await sendError(response, status: 500, .internalError, id: message.id)
                }
                let sessionContext = MCPRequestContext(
                    revision: revision, sessionID: newSession, headers: request.head.fields)
                let answer = await handler.respond(
                    to: message, context: sessionContext, send: MCPRelatedMessageSender { _ in })
                return try await response.send(
                    status: HTTPStatus(code: 200),
                    fields: ["Content-Type": "application/json", "Mcp-Session-Id": newSession],
                    body: answer)
            }
            try await answerRequest(message, context: context, request: request, response: response)
        case .batch(let elements):
            // 2025-03-26 only: answer every request of the batch in one JSON array.
            var answers: [[UInt8]] = []
            let context = MCPRequestContext(revision: revision, sessionID: sessionID, headers: request.head.fields)
            for element in elements {
                switch element {
                case .failure(let error):
                    answers.append(
                        JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: error.id, error: error.jsonRPCError))
                            .serialized)
                case .success(let message) where message.kind == .request:
                    answers.append(
                        await handler.respond(to: message, context: context, send: MCPRelatedMessageSender { _ in }))
                case .success(let message):
                    await handler.receive(message, context: context)
                }
            }
            guard !answers.isEmpty else { return try await response.send(status: HTTPStatus(code: 202)) }
            var array: [UInt8] = [UInt8(ascii: "[")]
            for (index, answer) in answers.enumerated() {
                if index > 0 { array.append(UInt8(ascii: ",")) }
                array += answer
            }
            array.append(UInt8(ascii: "]"))
            try await response.send(
                status: HTTPStatus(code: 200), fields: ["Content-Type": "application/json"], body: array)
        }
    }

    /// Answers a request with JSON, or with an event stream once the handler sends a
    /// related message before its response.
    private func answerRequest(
        _ message: MessageEnvelope, context: MCPRequestContext, request: HTTPServerRequest, response: HTTPServerResponse
    ) async throws {
        let streams =
            request.head.fields.firstValueBytes(named: "Accept").map {
                HTTPSyntax.contains($0, ignoringCase: "text/event-stream")
                    || HTTPSyntax.contains($0, ignoringCase: "*/*")
            } ?? true
        let stream = RelatedStream(response: response, enabled: streams, sessionID: context.sessionID)
        let handler = self.handler
        // A client that closes its connection cancels its request: the handler's task is
        // cancelled, so work done on the client's behalf stops.
        let outcome: [UInt8]? = await withTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                await handler.respond(
                    to: message, context: context,
                    send: MCPRelatedMessageSender { related in
                        await stream.send(related)
                    })
            }
            group.addTask {
                await response.waitUntilClosed()
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard let answer = outcome else { return }
        if await stream.finish(with: answer) { return }
        var fields: HTTPFields = ["Content-Type": "application/json"]
        if let sessionID = context.sessionID { fields.append(name: "Mcp-Session-Id", value: sessionID) }
        try await response.send(status: HTTPStatus(code: 200), fields: fields, body: answer)
    }

    // MARK: GET

    /// The standalone stream of a legacy session: messages the server sends outside any
    /// request, each with an id; `Last-Event-ID` replays what the client missed, from the
    /// bounded buffer. One stream per session (409 for a second).
    private func get(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        guard let accept = request.head.fields.firstValueBytes(named: "Accept"),
            HTTPSyntax.contains(accept, ignoringCase: "text/event-stream")
        else {
            return try await sendError(
                response, status: 406, .invalidRequest("Accept must include text/event-stream"), id: nil)
        }
        guard let session = request.header("Mcp-Session-Id") else {
            return try await sendError(
                response, status: 400, .invalidRequest("Bad Request: Mcp-Session-Id header is required"), id: nil)
        }
        guard sessions.withLock({ $0.revisions[session] }) != nil, let attached = streams.attach(session) else {
            return try await sendError(
                response, status: 404, JSONRPCError(code: .requestTimeout, message: "Session not found"), id: nil)
        }
        guard attached else {
            return try await sendError(
                response, status: 409, .invalidRequest("A stream is already open for this session"), id: nil)
        }
        defer { streams.detach(session) }
        var lastID = request.header("Last-Event-ID").flatMap { Int($0) } ?? 0
        try await response.startEventStream(fields: ["Mcp-Session-Id": session])
        let keepAlive = configuration.keepAliveInterval
        while true {
            guard let pending = streams.events(of: session, after: lastID) else { break }
            for event in pending {
                try await response.write(
                    try SSEEncoder.encode(ServerSentEvent(event: "message", data: event.bytes, id: String(event.id))))
                lastID = event.id
            }
            // Wait for the next message, a keep-alive, or the client leaving.
            let after = lastID
            let outcome = await withTaskGroup(of: Int.self) { group in
                group.addTask {
                    await self.streams.wait(session, after: after)
                    return 0
                }
                group.addTask {
                    try? await Task.sleep(for: keepAlive)
                    return 1
                }
                group.addTask {
                    await response.waitUntilClosed()
                    return 2
                }
                let first = await group.next() ?? 2
                group.cancelAll()
                return first
            }
            if outcome == 2 { return }
            if outcome == 1 { try await response.write(SSEEncoder.keepAlive()) }
        }
        try await response.end()
    }

    // MARK: DELETE

    private func delete(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        guard let id = request.header("Mcp-Session-Id") else {
            return try await sendError(
                response, status: 400, .invalidRequest("Bad Request: Mcp-Session-Id header is required"), id: nil)
        }
        let removed = sessions.withLock { state -> Bool in
            guard state.revisions.removeValue(forKey: id) != nil else { return false }
            state.order.removeAll { $0 == id }
            return true
        }
        if removed { streams.close(id) }
        if removed {
            try await response.send(status: HTTPStatus(code: 200))
        } else {
            try await sendError(
                response, status: 404, JSONRPCError(code: .requestTimeout, message: "Session not found"), id: nil)
        }
    }

    // MARK: Helpers

    private func newSessionID(revision: ProtocolRevision) throws -> String {
        let id = try MCPSessionID.generate()
        let evicted = sessions.withLock { state -> [String] in
            state.revisions[id] = revision
            state.order.append(id)
            var evicted: [String] = []
            while state.order.count > configuration.maxSessions {
                let oldest = state.order.removeFirst()
                state.revisions[oldest] = nil
                evicted.append(oldest)
            }
            return evicted
        }
        if revision.isLegacyEra { streams.open(id) }
        for session in evicted { streams.close(session) }
        return id
    }

    /// The requested revision when the message is an `initialize` request.
    private static func initializeVersion(_ message: MessageEnvelope) -> String? {
        guard message.kind == .request, message.method == "initialize" else { return nil }
        return message.decodeParams()?["protocolVersion"]?.stringValue ?? ""
    }

    private func sendError(_ response: HTTPServerResponse, status: Int, _ error: JSONRPCError, id: JSONRPCID?)
        async throws
    {
        let body = JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: id, error: error)).serialized
        try await response.send(
            status: HTTPStatus(code: status), fields: ["Content-Type": "application/json"], body: body)
    }
}

/// The event stream of one request, started by its first related message.
private actor RelatedStream {
    private let response: HTTPServerResponse
    private let enabled: Bool
    private let sessionID: String?
    private var started = false
    private var failed = false
    private var nextEventID = 1

    init(response: HTTPServerResponse, enabled: Bool, sessionID: String?) {
        self.response = response
        self.enabled = enabled
        self.sessionID = sessionID
    }

    func send(_ message: [UInt8]) async {
        guard enabled, !failed else { return }
        do {
            if !started {
                started = true
                var fields: HTTPFields = [:]
                if let sessionID { fields.append(name: "Mcp-Session-Id", value: sessionID) }
                try await response.startEventStream(fields: fields)
            }
            try await write(message)
        } catch {
            failed = true
        }
    }

    /// Ends the stream with the response; returns `false` when no stream was started.
    func finish(with answer: [UInt8]) async -> Bool {
        guard started else { return false }
        guard !failed else { return true }
        do {
            try await write(answer)
            try await response.end()
        } catch {
            failed = true
        }
        return true
    }

    private func write(_ message: [UInt8]) async throws {
        let event = ServerSentEvent(event: "message", data: message, id: String(nextEventID))
        nextEventID += 1
        try await response.write(try SSEEncoder.encode(event))
    }
}

import MCPAuth
import MCPCore
import MCPTransport
import Synchronization

/// One session with an upstream MCP server, shared by every client of the gateway:
/// requests are forwarded with ids of the gateway's own, so ids of different clients never
/// collide, and the answers are matched back by those ids.
///
/// The connection ends when its transport ends (the process exits, the event stream
/// closes), when ``close()`` is called, or when the upstream shows that it lost the
/// session (HTTP 404, or an error whose message matches a configured phrase); the
/// supervisor then starts a new one.
final class UpstreamConnection: Sendable {
    struct Failure: Error, JSONRPCErrorConvertible {
        let jsonRPCError: JSONRPCError
        /// Whether the failure says the upstream is unwell (it timed out or is down), which
        /// counts against its circuit breaker.
        var countsAgainstUpstream = false
    }

    /// A forwarded request: registered before it is sent, so that an answer that comes
    /// back before the waiting task is ready is kept, not lost.
    private struct Pending {
        var continuation: CheckedContinuation<MessageEnvelope, any Error>?
        var answer: MessageEnvelope?
        var failure: (any Error)?
        var related: MCPRelatedMessageSender
        var progressToken: JSONRPCID?
        /// Whether a client's request is behind it (not one of the gateway's own).
        var clientFacing: Bool
        /// When it fails with a timeout unless answered.
        var deadline: ContinuousClock.Instant
        /// The client request behind it, for requests the upstream sends meanwhile.
        var origin: GatewayRequestContext?
    }

    private struct State {
        var nextID = 1
        var pending: [JSONRPCID: Pending] = [:]
        var initializeResult: JSONValue?
        /// Whether the upstream speaks 2026-07-28 (configured, or found by probing).
        var modern = false
        var closed = false
        var endWaiters: [CheckedContinuation<Void, Never>] = []
        var sessionLost = false
    }

    let configuration: GatewayConfiguration.Upstream
    private let transport: any UpstreamTransport
    private let sessionLostPatterns: [String]
    private let maxInFlight: Int
    private let state = Mutex(State())
    /// Called with each notification the upstream sends that is not tied to a request.
    private let notification: @Sendable (MessageEnvelope) -> Void
    /// Offered each request the upstream sends (sampling, elicitation, roots); returns
    /// whether it took it, else the upstream is told the method is not available.
    private let serverRequest: @Sendable (MessageEnvelope, UpstreamConnection) async -> Bool

    init(
        configuration: GatewayConfiguration.Upstream, transport: any UpstreamTransport, sessionLostPatterns: [String],
        maxInFlight: Int, notification: @escaping @Sendable (MessageEnvelope) -> Void,
        serverRequest: @escaping @Sendable (MessageEnvelope, UpstreamConnection) async -> Bool = { _, _ in false }
    ) {
        self.configuration = configuration
        self.transport = transport
        self.sessionLostPatterns = sessionLostPatterns.map { $0.lowercased() }
        self.maxInFlight = maxInFlight
        self.notification = notification
        self.serverRequest = serverRequest
    }

    /// Where related messages go for the one client request in flight, when exactly one
    /// is: a request the upstream sends meanwhile can only have been caused by it.
    func soleClientRequest() -> (sender: MCPRelatedMessageSender, origin: GatewayRequestContext?, id: JSONRPCID)? {
        state.withLock { state in
            let clientFacing = state.pending.filter {
                $0.value.clientFacing && $0.value.answer == nil && $0.value.failure == nil
            }
            guard clientFacing.count == 1, let entry = clientFacing.first else { return nil }
            return (entry.value.related, entry.value.origin, entry.key)
        }
    }

    /// Answers the task waiting for a request with an answer of the gateway's own (an
    /// input-required result for a 2026-07-28 client) while the request stays pending
    /// upstream; its real answer is kept for ``resume(_:related:origin:)``.
    ///
    /// - Returns: `false` when no task waits for that request.
    func detach(_ id: JSONRPCID, answeringWith answer: MessageEnvelope) -> Bool {
        let continuation = state.withLock { state -> CheckedContinuation<MessageEnvelope, any Error>? in
            guard var pending = state.pending[id], let continuation = pending.continuation, pending.answer == nil,
                pending.failure == nil
            else { return nil }
            pending.continuation = nil
            state.pending[id] = pending
            return continuation
        }
        continuation?.resume(returning: answer)
        return continuation != nil
    }

    /// Waits again for a detached request's answer, on behalf of the client request that
    /// carries on with it (a 2026-07-28 retry with the input the upstream asked for).
    ///
    /// - Returns: the upstream's answer (with the upstream's id; the caller puts its own in).
    func resume(_ id: JSONRPCID, related: MCPRelatedMessageSender, origin: GatewayRequestContext?) async throws
        -> MessageEnvelope
    {
        let known = state.withLock { state -> Bool in
            guard var pending = state.pending[id] else { return false }
            pending.related = related
            pending.origin = origin
            state.pending[id] = pending
            return true
        }
        guard known else { throw unavailable }
        return try await waitForAnswer(id)
    }

    /// Waits for the answer to a registered request.
    private func waitForAnswer(_ id: JSONRPCID) async throws -> MessageEnvelope {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let ready = self.state.withLock { state -> Result<MessageEnvelope, any Error>? in
                    guard var pending = state.pending[id] else { return .failure(self.unavailable) }
                    if let answer = pending.answer {
                        state.pending[id] = nil
                        return .success(answer)
                    }
                    if let failure = pending.failure {
                        state.pending[id] = nil
                        return .failure(failure)
                    }
                    if Task.isCancelled {
                        state.pending[id] = nil
                        return .failure(CancellationError())
                    }
                    pending.continuation = continuation
                    state.pending[id] = pending
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } onCancel: {
            self.state.withLock { $0.pending.removeValue(forKey: id) }?.continuation?.resume(
                throwing: CancellationError())
        }
    }

    /// Sends a message that needs no answer: a response to the upstream's own request.
    func send(_ bytes: [UInt8]) async {
        guard let envelope = try? MessageEnvelope(parsing: bytes) else { return }
        try? await transport.send(envelope)
    }

    /// The upstream's process id, for upstreams run as child processes.
    var pid: Int32? { transport.pid }

    /// The upstream's `initialize` result, once ``initialize(revision:)`` has run.
    var initializeResult: JSONValue? { state.withLock { $0.initializeResult } }

    /// Whether the connection has ended.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Whether the connection ended because the upstream lost the session.
    var endedBySessionLoss: Bool { state.withLock { $0.sessionLost } }

    /// Runs the connection until it ends: reads the upstream's messages (and runs the
    /// transport's background work), then fails every request still waiting.
    func serve() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await self.transport.run()
                self.end(sessionLost: false)
            }
            group.addTask {
                await self.readLoop()
                self.end(sessionLost: false)
            }
            group.addTask { await self.sweepDeadlines() }
            await withCheckedContinuation { continuation in
                let ended = state.withLock { state -> Bool in
                    if state.closed { return true }
                    state.endWaiters.append(continuation)
                    return false
                }
                if ended { continuation.resume() }
            }
            group.cancelAll()
        }
        await transport.close()
    }

    /// Ends the connection; ``serve()`` returns once the transport is closed.
    func close() {
        end(sessionLost: false)
    }

    /// Marks the connection ended and fails every waiting request.
    private func end(sessionLost: Bool) {
        let (waiting, endWaiters) = state.withLock { state -> ([Pending], [CheckedContinuation<Void, Never>]) in
            guard !state.closed else { return ([], []) }
            state.closed = true
            state.sessionLost = sessionLost
            defer {
                state.pending = [:]
                state.endWaiters = []
            }
            return (Array(state.pending.values), state.endWaiters)
        }
        let failure: any Error = sessionLost ? UpstreamSessionLost(upstream: configuration.name) : unavailable
        for entry in waiting {
            if let answer = entry.answer {
                entry.continuation?.resume(returning: answer)
            } else {
                entry.continuation?.resume(throwing: failure)
            }
        }
        for waiter in endWaiters { waiter.resume() }
    }

    private var unavailable: Failure {
        Failure(
            jsonRPCError: JSONRPCError(code: .internalError, message: "Upstream \(configuration.name) is unavailable"),
            countsAgainstUpstream: true)
    }

    /// Reads the upstream's messages until its transport ends, routing answers to the
    /// requests waiting for them and progress to the request that asked for it.
    private func readLoop() async {
        while let message = await transport.receive() {
            switch message.kind {
            case .response, .errorResponse:
                guard let id = message.id else { continue }
                // Before the session exists (a revision probe), no error can be about it.
                if message.kind == .errorResponse, initializeResult != nil, indicatesSessionLoss(message) {
                    // The request that saw it fails as a lost session (the caller decides
                    // whether to retry it); the connection ends once, so the upstream is
                    // initialized again exactly once for this loss.
                    // Ended before anyone wakes, so that a retry cannot pick this
                    // connection again; ending fails the waiting request as lost too.
                    end(sessionLost: true)
                    resolve(id, with: .failure(UpstreamSessionLost(upstream: configuration.name)))
                    continue
                }
                resolve(id, with: .success(message))
            case .notification:
                if message.method == "notifications/progress",
                    let token = message.decodeParams()?["progressToken"].flatMap(JSONRPCID.init),
                    let related = state.withLock({ state in
                        state.pending.values.first { $0.progressToken == token }?.related
                    })
                {
                    await related(message.bytes)
                } else {
                    notification(message)
                }
            case .request:
                // Server-initiated requests (sampling, elicitation, roots) go to the client
                // that caused them; one the gateway cannot attribute is refused, so the
                // upstream does not wait forever.
                if await serverRequest(message, self) { continue }
                if let id = message.id {
                    let refusal = JSONRPCMessage.errorResponse(
                        JSONRPCErrorResponse(id: id, error: .methodNotFound(message.method ?? ""))
                    ).serialized
                    if let envelope = try? MessageEnvelope(parsing: refusal) { try? await transport.send(envelope) }
                }
            }
        }
    }

    private func resolve(_ id: JSONRPCID, with result: Result<MessageEnvelope, any Error>) {
        let continuation = state.withLock { state -> CheckedContinuation<MessageEnvelope, any Error>? in
            guard var pending = state.pending[id] else { return nil }
            guard let continuation = pending.continuation else {
                switch result {
                case .success(let answer): pending.answer = answer
                case .failure(let error): pending.failure = error
                }
                state.pending[id] = pending
                return nil
            }
            state.pending[id] = nil
            return continuation
        }
        continuation?.resume(with: result)
    }

    /// Whether an error answer says, in prose, that the upstream lost the session.
    private func indicatesSessionLoss(_ message: MessageEnvelope) -> Bool {
        guard !sessionLostPatterns.isEmpty, let error = message.decodeError() else { return false }
        let text = error.message.lowercased()
        return sessionLostPatterns.contains { text.contains($0) }
    }

    /// Whether the upstream speaks 2026-07-28 (stateless: no session, `server/discover`,
    /// `_meta` on every request).
    var isModern: Bool { state.withLock { $0.modern } }

    /// Learns what a 2026-07-28 upstream offers with `server/discover`, and keeps it in the
    /// shape of an `initialize` result so the rest of the gateway reads both alike.
    private func discover(timeout: Duration? = nil) async throws {
        state.withLock { $0.modern = true }
        let result: JSONValue
        do {
            result = try await request("server/discover", params: nil, timeout: timeout)
        } catch {
            state.withLock { $0.modern = false }
            throw error
        }
        guard let versions = result["supportedVersions"]?.arrayValue,
            versions.contains(.string(ProtocolRevision.v2026_07_28.rawValue))
        else {
            state.withLock { $0.modern = false }
            throw Failure(
                jsonRPCError: JSONRPCError(
                    code: .internalError, message: "Upstream \(configuration.name) does not speak 2026-07-28"))
        }
        var shaped: JSONObject = [
            "protocolVersion": .string(ProtocolRevision.v2026_07_28.rawValue),
            "capabilities": result["capabilities"] ?? [:],
            "serverInfo": result["_meta"]?[MCPMetaKey.serverInfo] ?? [
                "name": .string(configuration.name), "version": "unknown",
            ],
        ]
        if let instructions = result["instructions"] { shaped["instructions"] = instructions }
        state.withLock { $0.initializeResult = .object(shaped) }
    }

    /// Initializes the upstream session (or, for a 2026-07-28 upstream, discovers it).
    ///
    /// - Parameters:
    ///   - revision: the revision to ask for.
    ///   - probe: try `server/discover` first (bounded by `probeTimeout`) and speak
    ///     2026-07-28 when the upstream does; otherwise initialize with `revision`.
    func initialize(revision: ProtocolRevision, probe: Bool = false, probeTimeout: Duration = .seconds(5)) async throws
    {
        if revision == .v2026_07_28 { return try await discover() }
        if probe {
            do {
                return try await discover(timeout: probeTimeout)
            } catch is UpstreamSessionLost {
                // An HTTP upstream that refused the probe as if it were a lost session.
            } catch {
                // Not a 2026-07-28 server: initialize as the legacy era does.
            }
            guard !isClosed else { throw unavailable }
        }
        let request: JSONValue = [
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": [
                "protocolVersion": .string(revision.rawValue),
                // What the gateway can pass on to clients that have it.
                "capabilities": ["sampling": [:], "elicitation": [:], "roots": ["listChanged": false]],
                "clientInfo": ["name": "mcp-gateway", "version": .string(GatewayVersion.current)],
            ],
        ]
        let answer = try await forward(
            try MessageEnvelope(parsing: request.serialized), related: MCPRelatedMessageSender { _ in },
            clientFacing: false)
        guard answer.kind == .response, let result = answer.decodeResult() else {
            throw Failure(
                jsonRPCError: answer.decodeError() ?? JSONRPCError(code: .internalError, message: "initialize failed"))
        }
        state.withLock { $0.initializeResult = result }
        try await transport.send(
            try MessageEnvelope(parsing: Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8)))
    }

    /// Sends a request of the gateway's own and returns its result.
    ///
    /// - Throws: the upstream's error, or a failure of the connection.
    func request(_ method: String, params: JSONValue?, timeout: Duration? = nil) async throws -> JSONValue {
        var message: JSONObject = ["jsonrpc": "2.0", "id": 0, "method": .string(method)]
        if let params { message["params"] = params }
        let answer = try await forward(
            try MessageEnvelope(parsing: JSONValue.object(message).serialized), related: .init { _ in },
            clientFacing: false, timeout: timeout)
        guard answer.kind == .response, let result = answer.decodeResult() else {
            throw Failure(
                jsonRPCError: answer.decodeError() ?? JSONRPCError(code: .internalError, message: "\(method) failed"))
        }
        return result
    }

    /// Forwards a request and waits for its answer, up to the upstream's timeout.
    ///
    /// - Parameters:
    ///   - request: the request as the upstream should see it (apart from its id).
    ///   - related: where progress for this request goes.
    /// - Returns: the answer, with the request's id back in place, byte for byte.
    /// - Throws: ``UpstreamSessionLost`` when the upstream lost the session before
    ///   answering; ``Failure`` for a timeout or an unavailable upstream.
    ///   - clientFacing: whether a client's request is behind it.
    ///   - origin: that client request's context.
    ///   - assigned: told the upstream id the request goes out with, before it is sent.
    func forward(
        _ request: MessageEnvelope, related: MCPRelatedMessageSender, clientFacing: Bool = true,
        origin: GatewayRequestContext? = nil, timeout: Duration? = nil, assigned: (JSONRPCID) -> Void = { _ in }
    ) async throws -> MessageEnvelope {
        let deadline = ContinuousClock.now + (timeout ?? .milliseconds(Int(configuration.timeoutSeconds * 1000)))
        let progressToken = request.decodeMeta()?["progressToken"].flatMap(JSONRPCID.init)
        let registration = state.withLock { state -> Result<JSONRPCID, Failure> in
            guard !state.closed else { return .failure(unavailable) }
            guard state.pending.count < maxInFlight else {
                return .failure(
                    Failure(
                        jsonRPCError: JSONRPCError(
                            code: .internalError, message: "Upstream \(configuration.name) is busy")))
            }
            let id = JSONRPCID.number(JSONNumber(state.nextID))
            state.nextID += 1
            state.pending[id] = Pending(
                continuation: nil, answer: nil, related: related, progressToken: progressToken,
                clientFacing: clientFacing,
                deadline: deadline, origin: origin)
            return .success(id)
        }
        let id = try registration.get()
        assigned(id)
        var outgoing = try MessageEnvelope(parsing: request.replacingID(with: id))
        if isModern {
            outgoing = RevisionBridge.requestForModernUpstream(outgoing, clientCapabilities: origin?.clientCapabilities)
        }
        // Sent from this task: over stdio it returns at once; over HTTP it lasts until the
        // server has answered (bounded by the upstream's timeout), and the answer is then
        // already waiting. Deadlines are enforced by the connection's sweeper, so a call
        // costs no extra tasks.
        do {
            try await UpstreamCaller.$subject.withValue(origin?.principal?.subject) {
                try await transport.send(outgoing)
            }
        } catch let access as UpstreamAccessError {
            // The user must connect (or reconnect) the upstream: the client is told how.
            resolve(
                id,
                with: .failure(
                    Failure(jsonRPCError: UpstreamCredentials.clientError(access, revision: origin?.revision))))
        } catch let lost as UpstreamSessionLost {
            state.withLock { _ = $0.pending.removeValue(forKey: id) }
            end(sessionLost: true)
            throw lost
        } catch is CancellationError {
            state.withLock { _ = $0.pending.removeValue(forKey: id) }
            await cancelUpstream(id, reason: "the client cancelled the request")
            throw CancellationError()
        } catch {
            resolve(id, with: .failure(unavailable))
        }
        let answer: MessageEnvelope
        do {
            answer = try await waitForAnswer(id)
        } catch is CancellationError {
            // The client went away (its task was cancelled): tell the upstream.
            await cancelUpstream(id, reason: "the client cancelled the request")
            throw CancellationError()
        } catch let failure as Failure where failure.jsonRPCError.code == .requestTimeout {
            if request.method != "initialize" { await cancelUpstream(id, reason: "timeout") }
            throw failure
        }
        guard let rawID = request.rawID else { return answer }
        return try MessageEnvelope(parsing: answer.replacingID(withRawJSON: rawID))
    }

    /// Fails requests whose deadline has passed, until the task is cancelled: one sweeper
    /// per connection instead of a timer per request.
    private func sweepDeadlines() async {
        let interval = Duration.milliseconds(max(10, min(100, Int(configuration.timeoutSeconds * 1000) / 10)))
        let timedOut = Failure(
            jsonRPCError: JSONRPCError(
                code: .requestTimeout,
                message: "Upstream \(configuration.name) did not answer within \(configuration.timeoutSeconds) s"),
            countsAgainstUpstream: true)
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            let now = ContinuousClock.now
            let expired = state.withLock { state -> [CheckedContinuation<MessageEnvelope, any Error>] in
                var waiting: [CheckedContinuation<MessageEnvelope, any Error>] = []
                for (id, var pending) in state.pending
                where pending.deadline <= now && pending.answer == nil && pending.failure == nil {
                    if let continuation = pending.continuation {
                        state.pending[id] = nil
                        waiting.append(continuation)
                    } else {
                        pending.failure = timedOut
                        state.pending[id] = pending
                    }
                }
                return waiting
            }
            for continuation in expired { continuation.resume(throwing: timedOut) }
        }
    }

    /// Cancels a forwarded request for its client: the waiting call ends with an error at
    /// once and the upstream is told to stop working on it.
    func cancel(_ id: JSONRPCID, reason: String) async {
        guard state.withLock({ $0.pending[id] != nil }) else { return }
        resolve(
            id,
            with: .failure(
                Failure(jsonRPCError: JSONRPCError(code: .internalError, message: "Request cancelled by the client"))))
        await cancelUpstream(id, reason: reason)
    }

    /// Tells the upstream to stop working on a forwarded request.
    private func cancelUpstream(_ id: JSONRPCID, reason: String) async {
        let cancel: JSONValue = [
            "jsonrpc": "2.0", "method": "notifications/cancelled",
            "params": ["requestId": id.jsonValue, "reason": .string(reason)],
        ]
        guard let envelope = try? MessageEnvelope(parsing: cancel.serialized) else { return }
        try? await transport.send(envelope)
    }

    /// Forwards a notification from a client.
    func notify(_ message: MessageEnvelope) async {
        try? await transport.send(message)
    }
}

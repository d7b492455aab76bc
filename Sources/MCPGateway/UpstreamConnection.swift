import MCPCore
import MCPTransport
import Synchronization

/// One upstream MCP server over stdio, shared by every client of the gateway: requests are
/// forwarded with ids of the gateway's own, so ids of different clients never collide, and
/// the answers are matched back by those ids.
final class UpstreamConnection: Sendable {
    struct Failure: Error, JSONRPCErrorConvertible {
        let jsonRPCError: JSONRPCError
    }

    /// A forwarded request: registered before it is sent, so that an answer that comes
    /// back before the waiting task is ready is kept, not lost.
    private struct Pending {
        var continuation: CheckedContinuation<MessageEnvelope, any Error>?
        var answer: MessageEnvelope?
        var related: MCPRelatedMessageSender
        var progressToken: JSONRPCID?
    }

    private struct State {
        var nextID = 1
        var pending: [JSONRPCID: Pending] = [:]
        var initializeResult: JSONValue?
        var closed = false
    }

    let configuration: GatewayConfiguration.Upstream
    private let transport: StdioClientTransport
    private let state = Mutex(State())

    private init(configuration: GatewayConfiguration.Upstream, transport: StdioClientTransport) {
        self.configuration = configuration
        self.transport = transport
    }

    /// Starts the upstream process.
    static func start(_ configuration: GatewayConfiguration.Upstream, on loop: EventLoop) async throws -> UpstreamConnection {
        let transport = try await StdioClientTransport.start(
            ChildProcessConfiguration(
                executable: configuration.command, arguments: configuration.args, environment: configuration.env,
                workingDirectory: configuration.workingDirectory),
            on: loop)
        return UpstreamConnection(configuration: configuration, transport: transport)
    }

    /// The upstream's process id.
    var pid: Int32 { transport.pid }

    /// The upstream's `initialize` result, once ``initialize(revision:)`` has run.
    var initializeResult: JSONValue? { state.withLock { $0.initializeResult } }

    /// Reads the upstream's messages until its output ends, routing answers to the
    /// requests waiting for them and progress to the request that asked for it.
    func readLoop() async {
        while let inbound = try? await transport.receive() {
            guard case .message(let message) = inbound else { continue }
            switch message.kind {
            case .response, .errorResponse:
                guard let id = message.id else { continue }
                let continuation = state.withLock { state -> CheckedContinuation<MessageEnvelope, any Error>? in
                    guard var pending = state.pending[id] else { return nil }
                    guard let continuation = pending.continuation else {
                        pending.answer = message
                        state.pending[id] = pending
                        return nil
                    }
                    state.pending[id] = nil
                    return continuation
                }
                continuation?.resume(returning: message)
            case .notification:
                if message.method == "notifications/progress",
                    let token = message.decodeParams()?["progressToken"].flatMap(JSONRPCID.init),
                    let related = state.withLock({ state in state.pending.values.first { $0.progressToken == token }?.related })
                {
                    await related(message.bytes)
                }
            case .request:
                // Server-initiated requests (sampling, elicitation, roots) need a client
                // to answer them; until they are routed, refuse them so the upstream does
                // not wait forever.
                if let id = message.id {
                    let refusal = JSONRPCMessage.errorResponse(
                        JSONRPCErrorResponse(id: id, error: .methodNotFound(message.method ?? ""))).serialized
                    try? await transport.send(refusal)
                }
            }
        }
        let waiting = state.withLock { state in
            state.closed = true
            defer { state.pending = [:] }
            return Array(state.pending.values)
        }
        let failure = Failure(jsonRPCError: JSONRPCError(code: .internalError, message: "Upstream \(configuration.name) is unavailable"))
        for entry in waiting {
            if let answer = entry.answer {
                entry.continuation?.resume(returning: answer)
            } else {
                entry.continuation?.resume(throwing: failure)
            }
        }
    }

    /// Initializes the upstream session.
    func initialize(revision: ProtocolRevision) async throws {
        let request: JSONValue = [
            "jsonrpc": "2.0", "id": 0, "method": "initialize",
            "params": [
                "protocolVersion": .string(revision.rawValue), "capabilities": [:],
                "clientInfo": ["name": "mcp-gateway", "version": .string(GatewayVersion.current)],
            ],
        ]
        let answer = try await forward(try MessageEnvelope(parsing: request.serialized), related: MCPRelatedMessageSender { _ in })
        guard answer.kind == .response, let result = answer.decodeResult() else {
            throw Failure(jsonRPCError: answer.decodeError() ?? JSONRPCError(code: .internalError, message: "initialize failed"))
        }
        state.withLock { $0.initializeResult = result }
        try await transport.send(Array(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#.utf8))
    }

    /// Forwards a request and waits for its answer, up to the upstream's timeout.
    ///
    /// - Returns: the answer, with the client's id back in place, byte for byte.
    func forward(_ request: MessageEnvelope, related: MCPRelatedMessageSender) async throws -> MessageEnvelope {
        let timeout = Duration.milliseconds(Int(configuration.timeoutSeconds * 1000))
        let id: JSONRPCID = state.withLock { state in
            defer { state.nextID += 1 }
            return .number(JSONNumber(state.nextID))
        }
        let progressToken = request.decodeMeta()?["progressToken"].flatMap(JSONRPCID.init)
        let outgoing = request.replacingID(with: id)
        let unavailable = Failure(jsonRPCError: JSONRPCError(code: .internalError, message: "Upstream \(configuration.name) is unavailable"))
        let registered = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.pending[id] = Pending(continuation: nil, answer: nil, related: related, progressToken: progressToken)
            return true
        }
        guard registered else { throw unavailable }
        let answer = try await withThrowingTaskGroup(of: MessageEnvelope?.self) { group in
            group.addTask {
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        let ready = self.state.withLock { state -> Result<MessageEnvelope, any Error>? in
                            guard var pending = state.pending[id] else { return .failure(unavailable) }
                            if let answer = pending.answer {
                                state.pending[id] = nil
                                return .success(answer)
                            }
                            pending.continuation = continuation
                            state.pending[id] = pending
                            return nil
                        }
                        if let ready { continuation.resume(with: ready) }
                    }
                } onCancel: {
                    self.state.withLock { $0.pending.removeValue(forKey: id) }?.continuation?.resume(throwing: CancellationError())
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            do {
                try await transport.send(outgoing)
            } catch {
                group.cancelAll()
                throw Failure(jsonRPCError: JSONRPCError(code: .internalError, message: "Upstream \(configuration.name) is unavailable"))
            }
            do {
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            } catch {
                // The client went away (its task was cancelled): tell the upstream.
                group.cancelAll()
                await cancelUpstream(id, reason: "the client cancelled the request")
                throw error
            }
        }
        guard let answer else {
            if request.method != "initialize" { await cancelUpstream(id, reason: "timeout") }
            throw Failure(jsonRPCError: JSONRPCError(code: .requestTimeout, message: "Upstream \(configuration.name) did not answer within \(configuration.timeoutSeconds) s"))
        }
        guard let rawID = request.rawID else { return answer }
        return try MessageEnvelope(parsing: answer.replacingID(withRawJSON: rawID))
    }

    /// Tells the upstream to stop working on a forwarded request.
    private func cancelUpstream(_ id: JSONRPCID, reason: String) async {
        let cancel: JSONValue = [
            "jsonrpc": "2.0", "method": "notifications/cancelled", "params": ["requestId": id.jsonValue, "reason": .string(reason)],
        ]
        try? await transport.send(cancel.serialized)
    }

    /// Forwards a notification from a client.
    func notify(_ message: MessageEnvelope) async {
        try? await transport.send(message.bytes)
    }

    /// Stops the upstream process.
    func close() async {
        await transport.close(gracePeriod: .seconds(2))
    }
}

import MCPCore
import MCPTransport
import Synchronization

/// Requests an upstream sent to a client (sampling, elicitation, roots), waiting for the
/// client's answer: each goes to the client under an id of the gateway's own, and the
/// answer goes back to the upstream with the upstream's id restored byte for byte.
///
/// The gateway's own requests to clients (an approval asked through elicitation) wait
/// here too, for their answer or their deadline; and what each client session declared
/// it can be asked is kept here.
///
/// The table is bounded: past `capacity` the oldest request is answered with an error, so
/// a client that never answers cannot grow memory.
final class ServerRequestTable: Sendable {
    private struct Entry {
        let connection: UpstreamConnection
        let upstreamID: [UInt8]
        let method: String
    }

    /// A request of the gateway's own: its answer, or the task waiting for it.
    private struct LocalEntry {
        var continuation: CheckedContinuation<MessageEnvelope, any Error>?
        var answer: MessageEnvelope?
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var local: [String: LocalEntry] = [:]
        var sessions: [String: JSONObject] = [:]
        var sessionOrder: [String] = []
        var order: [String] = []
        var next: UInt64 = 1
    }

    /// The client did not answer a request of the gateway's own in time.
    struct NoAnswer: Error {}

    private let state = Mutex(State())
    private let capacity: Int
    /// Upstream requests waiting for a 2026-07-28 client's retry.
    let inputRequests = InputRequestTable()

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Records a request and returns the id the client sees, with any request evicted to
    /// make room (to be answered with an error).
    func register(_ request: MessageEnvelope, from connection: UpstreamConnection) -> (
        id: String, evicted: (UpstreamConnection, [UInt8])?
    ) {
        state.withLock { state in
            let id = "gateway-\(state.next)"
            state.next += 1
            var evicted: (UpstreamConnection, [UInt8])?
            if state.order.count >= capacity {
                let oldest = state.order.removeFirst()
                if let entry = state.entries.removeValue(forKey: oldest) {
                    evicted = (entry.connection, entry.upstreamID)
                }
            }
            state.entries[id] = Entry(
                connection: connection, upstreamID: Array(request.rawID ?? []), method: request.method ?? "")
            state.order.append(id)
            return (id, evicted)
        }
    }

    /// Takes the request a client's answer is for.
    func take(_ id: JSONRPCID) -> (connection: UpstreamConnection, upstreamID: [UInt8])? {
        guard case .string(let text) = id else { return nil }
        return state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: text) else { return nil }
            state.order.removeAll { $0 == text }
            return (entry.connection, entry.upstreamID)
        }
    }

    /// Remembers what a client session declared at `initialize` (what it can be asked);
    /// the oldest of more than `capacity` × 10 sessions is forgotten.
    func remember(_ capabilities: JSONObject, of session: String) {
        state.withLock { state in
            if state.sessions[session] == nil {
                if state.sessionOrder.count >= capacity * 10, !state.sessionOrder.isEmpty {
                    state.sessions[state.sessionOrder.removeFirst()] = nil
                }
                state.sessionOrder.append(session)
            }
            state.sessions[session] = capabilities
        }
    }

    /// What a client session declared, if remembered.
    func capabilities(of session: String) -> JSONObject? {
        state.withLock { $0.sessions[session] }
    }

    /// How many requests wait for a client's answer.
    var count: Int { state.withLock { $0.entries.count + $0.local.count } }

    /// Sends a request of the gateway's own to a client and waits up to `timeout` for the
    /// answer.
    ///
    /// - Parameters:
    ///   - method: the method, such as `elicitation/create`.
    ///   - params: its params.
    ///   - send: delivers the request to the client.
    ///   - timeout: how long to wait.
    /// - Returns: the client's answer (a result or an error message).
    /// - Throws: ``NoAnswer`` when none came in time.
    func ask(
        _ method: String, params: JSONObject, send: MCPRelatedMessageSender, timeout: Duration
    ) async throws -> MessageEnvelope {
        let id = state.withLock { state -> String in
            let id = "gateway-\(state.next)"
            state.next += 1
            if state.local.count >= capacity, let oldest = state.local.keys.first {
                state.local[oldest]?.continuation?.resume(throwing: NoAnswer())
                state.local[oldest] = nil
            }
            state.local[id] = LocalEntry()
            return id
        }
        defer { state.withLock { _ = $0.local.removeValue(forKey: id) } }
        let message: JSONValue = [
            "jsonrpc": "2.0", "id": .string(id), "method": .string(method), "params": .object(params),
        ]
        await send(message.serialized)
        return try await withThrowingTaskGroup(of: MessageEnvelope?.self) { group in
            group.addTask {
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { continuation in
                        let ready = self.state.withLock { state -> Result<MessageEnvelope, any Error>? in
                            guard var entry = state.local[id] else { return .failure(NoAnswer()) }
                            if let answer = entry.answer { return .success(answer) }
                            entry.continuation = continuation
                            state.local[id] = entry
                            return nil
                        }
                        if let ready { continuation.resume(with: ready) }
                    }
                } onCancel: {
                    let continuation = self.state.withLock {
                        state -> CheckedContinuation<MessageEnvelope, any Error>? in
                        defer { state.local[id]?.continuation = nil }
                        return state.local[id]?.continuation
                    }
                    continuation?.resume(throwing: CancellationError())
                }
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let answer = try await group.next() ?? nil else { throw NoAnswer() }
            return answer
        }
    }

    /// Delivers a client's answer to a request of the gateway's own; `false` when the id
    /// is not one.
    func answerLocal(_ message: MessageEnvelope) -> Bool {
        guard case .string(let id)? = message.id else { return false }
        let (known, continuation) = state.withLock {
            state -> (Bool, CheckedContinuation<MessageEnvelope, any Error>?) in
            guard var entry = state.local[id] else { return (false, nil) }
            if let continuation = entry.continuation {
                entry.continuation = nil
                state.local[id] = entry
                return (true, continuation)
            }
            entry.answer = message
            state.local[id] = entry
            return (true, nil)
        }
        continuation?.resume(returning: message)
        return known
    }
}

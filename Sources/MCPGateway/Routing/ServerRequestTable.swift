import MCPCore
import Synchronization

/// Requests an upstream sent to a client (sampling, elicitation, roots), waiting for the
/// client's answer: each goes to the client under an id of the gateway's own, and the
/// answer goes back to the upstream with the upstream's id restored byte for byte.
///
/// The table is bounded: past `capacity` the oldest request is answered with an error, so
/// a client that never answers cannot grow memory.
final class ServerRequestTable: Sendable {
    private struct Entry {
        let connection: UpstreamConnection
        let upstreamID: [UInt8]
        let method: String
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var next: UInt64 = 1
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Records a request and returns the id the client sees, with any request evicted to
    /// make room (to be answered with an error).
    func register(_ request: MessageEnvelope, from connection: UpstreamConnection) -> (id: String, evicted: (UpstreamConnection, [UInt8])?) {
        state.withLock { state in
            let id = "gateway-\(state.next)"
            state.next += 1
            var evicted: (UpstreamConnection, [UInt8])?
            if state.order.count >= capacity {
                let oldest = state.order.removeFirst()
                if let entry = state.entries.removeValue(forKey: oldest) { evicted = (entry.connection, entry.upstreamID) }
            }
            state.entries[id] = Entry(connection: connection, upstreamID: Array(request.rawID ?? []), method: request.method ?? "")
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

    /// How many requests wait for a client's answer.
    var count: Int { state.withLock { $0.entries.count } }
}

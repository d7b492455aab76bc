import MCPCore
import MCPCrypto
import Synchronization

/// Upstream requests waiting for a 2026-07-28 client to come back with the input they ask
/// for, by the `requestState` the client was given: a random token of the gateway's own
/// (the client's copy is only a key; nothing in it is trusted), used once.
///
/// The table is bounded: past `capacity` the oldest entry is forgotten (its upstream
/// request then times out), so clients that never come back cannot grow memory.
final class InputRequestTable: Sendable {
    struct Parked: Sendable {
        /// The connection the upstream's requests came on.
        let connection: UpstreamConnection
        /// The id of the client's call on that connection.
        let call: JSONRPCID
        /// The upstream's requests by input key, with their ids as the upstream wrote them.
        let requests: [String: [UInt8]]
    }

    private let state = Mutex<(entries: [String: Parked], order: [String])>(([:], []))
    private let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    /// Parks requests; returns the token, or `nil` when no random token could be made.
    func park(connection: UpstreamConnection, call: JSONRPCID, requests: [String: [UInt8]]) -> String? {
        guard let random = try? SecureRandom.bytes(count: 16) else { return nil }
        let token = "rs_" + Hexadecimal.encode(random)
        state.withLock { state in
            if state.order.count >= capacity {
                state.entries[state.order.removeFirst()] = nil
            }
            state.entries[token] = Parked(connection: connection, call: call, requests: requests)
            state.order.append(token)
        }
        return token
    }

    /// Whether a token is parked.
    func contains(_ token: String) -> Bool {
        state.withLock { $0.entries[token] != nil }
    }

    /// Takes the entry of a token (once).
    func take(_ token: String) -> Parked? {
        state.withLock { state in
            guard let entry = state.entries.removeValue(forKey: token) else { return nil }
            state.order.removeAll { $0 == token }
            return entry
        }
    }
}

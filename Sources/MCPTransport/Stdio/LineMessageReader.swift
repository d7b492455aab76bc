import MCPCore
import Synchronization

/// Turns the chunks of a newline-delimited stream into JSON-RPC messages, for both sides
/// of the stdio transport: lines are framed with a bound, each is read as a message, and
/// messages completed by one chunk beyond the first wait for the next call.
final class LineMessageReader: Sendable {
    private struct State {
        var framer: LineFramer
        var pending: [StdioClientTransport.Inbound] = []
        var head = 0
    }

    private let state: Mutex<State>
    private let limits: JSONLimits

    init(maxMessageBytes: Int) {
        state = Mutex(State(framer: LineFramer(maxLineBytes: maxMessageBytes)))
        limits = JSONLimits(maxBytes: maxMessageBytes)
    }

    /// The next message, pulling chunks from `source` as needed; `nil` once `source` ends.
    ///
    /// Call from one task at a time.
    func next(from source: () async throws -> [UInt8]?) async throws -> StdioClientTransport.Inbound? {
        while true {
            if let ready = takePending() { return ready }
            guard let chunk = try await source() else {
                return state.withLock { $0.framer.finish() }.map(inbound)
            }
            let events = state.withLock { $0.framer.feed(chunk) }
            guard !events.isEmpty else { continue }
            let messages = events.map(inbound)
            state.withLock { $0.pending.append(contentsOf: messages.dropFirst()) }
            return messages[0]
        }
    }

    private func takePending() -> StdioClientTransport.Inbound? {
        state.withLock { state in
            guard state.head < state.pending.count else { return nil }
            let next = state.pending[state.head]
            state.head += 1
            if state.head == state.pending.count {
                state.pending.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return next
        }
    }

    private func inbound(_ event: LineFramer.Event) -> StdioClientTransport.Inbound {
        switch event {
        case .line(let bytes):
            do {
                return .message(try MessageEnvelope(parsing: bytes, limits: limits))
            } catch {
                return .invalid(StdioLineError(.invalidMessage, envelope: error))
            }
        case .oversizedLine(let length):
            return .invalid(StdioLineError(.oversizedLine, length: length))
        }
    }
}

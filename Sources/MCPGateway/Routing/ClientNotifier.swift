import MCPCore
import MCPTransport
import Synchronization

/// Tells connected clients that a list changed (`notifications/tools/list_changed` and
/// the like), on each session's standalone stream: the GET stream of Streamable HTTP, the
/// event stream of HTTP+SSE.
final class ClientNotifier: Sendable {
    private let endpoints = Mutex<(main: MCPHTTPEndpoints?, virtual: [StreamableHTTPServerTransport])>((nil, []))
    /// Legacy-era sessions of the main endpoint subscribed to resources, by URI.
    private let subscriptions = Mutex<[String: Set<String>]>([:])
    /// The most subscriptions kept (URI and session pairs).
    let maxSubscriptions = 100_000

    /// Records that a session subscribed to a resource; `false` past the bound.
    @discardableResult
    func subscribe(session: String, to uri: String) -> Bool {
        subscriptions.withLock { subscriptions in
            let count = subscriptions.values.reduce(0) { $0 + $1.count }
            guard count < maxSubscriptions || subscriptions[uri]?.contains(session) == true else { return false }
            subscriptions[uri, default: []].insert(session)
            return true
        }
    }

    /// Forgets a session's subscription to a resource.
    func unsubscribe(session: String, from uri: String) {
        subscriptions.withLock { subscriptions in
            subscriptions[uri]?.remove(session)
            if subscriptions[uri]?.isEmpty == true { subscriptions[uri] = nil }
        }
    }

    /// Tells the sessions subscribed to `uri` that it changed.
    func resourceUpdated(_ uri: String) async {
        for listener in listeners.withLock({ Array($0.streams.values) }) { listener.yield(.resourceUpdated(uri)) }
        let sessions = subscriptions.withLock { $0[uri] ?? [] }
        guard !sessions.isEmpty, let main = endpoints.withLock({ $0.main }) else { return }
        let message: JSONValue = [
            "jsonrpc": "2.0", "method": "notifications/resources/updated", "params": ["uri": .string(uri)],
        ]
        for session in sessions.sorted() {
            if await !main.notify(session: session, message.serialized) { unsubscribe(session: session, from: uri) }
        }
    }

    /// 2026-07-28 clients listening with `subscriptions/listen`, by a key of their own.
    private let listeners = Mutex<(streams: [UInt64: AsyncStream<ListenerEvent>.Continuation], next: UInt64)>(([:], 0))

    /// What a 2026-07-28 listener hears.
    enum ListenerEvent: Sendable, Hashable {
        /// A list changed; the notification's method.
        case listChanged(String)
        /// A resource changed; its URI.
        case resourceUpdated(String)
    }
    /// The most listeners at once; more are refused.
    let maxListeners = 10_000

    /// A stream of the list-changed notification methods, until the caller stops
    /// iterating; `nil` when too many listen already.
    func listen() -> AsyncStream<ListenerEvent>? {
        let (stream, continuation) = AsyncStream.makeStream(
            of: ListenerEvent.self, bufferingPolicy: .bufferingNewest(64))
        let key = listeners.withLock { state -> UInt64? in
            guard state.streams.count < maxListeners else { return nil }
            let key = state.next
            state.next += 1
            state.streams[key] = continuation
            return key
        }
        guard let key else { return nil }
        continuation.onTermination = { [weak self] _ in self?.stopListening(key) }
        return stream
    }

    private func stopListening(_ key: UInt64) {
        _ = listeners.withLock { $0.streams.removeValue(forKey: key) }
    }

    /// Ends every listener (at shutdown).
    func finishListeners() {
        let all = listeners.withLock { state in
            defer { state.streams = [:] }
            return Array(state.streams.values)
        }
        for continuation in all { continuation.finish() }
    }

    func attach(main: MCPHTTPEndpoints, virtual: [StreamableHTTPServerTransport]) {
        endpoints.withLock { $0 = (main, virtual) }
    }

    func listChanged(_ list: UpstreamCatalog.List) async {
        let method: String
        switch list {
        case .tools: method = "notifications/tools/list_changed"
        case .prompts: method = "notifications/prompts/list_changed"
        case .resources, .resourceTemplates: method = "notifications/resources/list_changed"
        }
        let message = Array(#"{"jsonrpc":"2.0","method":"\#(method)"}"#.utf8)
        for listener in listeners.withLock({ Array($0.streams.values) }) { listener.yield(.listChanged(method)) }
        let (main, virtual) = endpoints.withLock { $0 }
        await main?.notifyAll(message)
        for endpoint in virtual { endpoint.notifyAll(message) }
    }
}

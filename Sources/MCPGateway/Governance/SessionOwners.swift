import MCPTransport
import Synchronization

/// Who each client session belongs to: the principal that initialized it. A request that
/// names a session of another principal is answered as if the session did not exist, so a
/// session id learned by someone else gives them nothing (the MCP spec asks servers not to
/// take a session id for authentication, and to bind sessions to their user).
final class SessionOwners: Sendable {
    private let owners = Mutex<[String: String]>([:])
    private let limit: Int

    init(limit: Int = 100_000) {
        self.limit = limit
    }

    /// Records the owner of a session created by an `initialize`.
    func record(session: String, owner: String) {
        owners.withLock { owners in
            if owners.count >= limit { owners.removeAll(keepingCapacity: true) }
            owners[session] = owner
        }
    }

    /// Whether `subject` may use `session`: it owns it, or nobody was recorded (a session of
    /// a gateway without authentication, or one created before a restart).
    func allows(session: String, subject: String) -> Bool {
        owners.withLock { $0[session].map { $0 == subject } ?? true }
    }

    /// The session a request names: `Mcp-Session-Id`, or the `sessionId` query parameter of
    /// the HTTP+SSE message endpoint.
    static func session(of request: HTTPServerRequest) -> String? {
        if let header = request.header("Mcp-Session-Id") { return header }
        guard let query = request.head.query else { return nil }
        for pair in query.split(separator: "&") where pair.hasPrefix("sessionId=") {
            return String(pair.dropFirst("sessionId=".count))
        }
        return nil
    }
}

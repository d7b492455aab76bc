import MCPAuth
import MCPCore
import Synchronization

/// The sessions of one upstream whose credentials are per user: one connection for each
/// user who calls it, initialized with that user's credential, so an upstream that binds
/// its sessions to the user it authenticated never sees one user's call in another's
/// session. Created on a user's first call (once, however many calls arrive together),
/// dropped when it ends, and the least recently used is closed past the limit.
final class UserConnections: Sendable {
    private struct Entry {
        var connection: UpstreamConnection
        var lastUsed: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let starting = Mutex<[String: Task<UpstreamConnection, any Error>]>([:])
    private let limit: Int

    /// Creates the table.
    ///
    /// - Parameter limit: the most connections kept open.
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// The connection of `subject`, opened with `open` (which starts, initializes and serves
    /// a connection bound to the user) when there is none.
    func connection(
        for subject: String, open: @escaping @Sendable (String) async throws -> UpstreamConnection
    ) async throws -> UpstreamConnection {
        let now = ContinuousClock.now
        if let found = entries.withLock({ entries -> UpstreamConnection? in
            guard var entry = entries[subject], !entry.connection.isClosed else {
                entries[subject] = nil
                return nil
            }
            entry.lastUsed = now
            entries[subject] = entry
            return entry.connection
        }) {
            return found
        }
        let task = starting.withLock { tasks in
            if let running = tasks[subject] { return running }
            let task = Task<UpstreamConnection, any Error> {
                defer { _ = self.starting.withLock { $0.removeValue(forKey: subject) } }
                let connection = try await open(subject)
                let evicted = self.entries.withLock { entries -> UpstreamConnection? in
                    entries[subject] = Entry(connection: connection, lastUsed: .now)
                    guard entries.count > self.limit,
                        let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed })
                    else { return nil }
                    entries[oldest.key] = nil
                    return oldest.value.connection
                }
                evicted?.close()
                return connection
            }
            tasks[subject] = task
            return task
        }
        return try await task.value
    }

    /// Forgets a user's connection that ended.
    func ended(_ subject: String, _ connection: UpstreamConnection) {
        entries.withLock { entries in
            if entries[subject]?.connection === connection { entries[subject] = nil }
        }
    }

    /// Closes every connection.
    func closeAll() {
        let all = entries.withLock { entries in
            defer { entries = [:] }
            return entries.values.map(\.connection)
        }
        for connection in all { connection.close() }
    }

    /// How many users have a connection open.
    var count: Int { entries.withLock { $0.count } }
}

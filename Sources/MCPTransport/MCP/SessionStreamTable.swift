import Synchronization

/// The messages a Streamable HTTP server sends on each legacy session's standalone stream
/// (the GET stream): numbered per session, kept in a bounded replay buffer so that a
/// client that reconnects with `Last-Event-ID` gets what it missed, and handed to at most
/// one open stream per session.
final class SessionStreamTable: Sendable {
    private struct Session {
        var events: [(id: Int, bytes: [UInt8])] = []
        var nextID = 1
        var listening = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex<[String: Session]>([:])
    private let capacity: Int

    /// - Parameter capacity: the most messages kept per session; older ones are dropped.
    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Adds a session (at `initialize`).
    func open(_ session: String) {
        state.withLock { $0[session] = Session() }
    }

    /// Forgets a session (DELETE, eviction); its open stream ends.
    func close(_ session: String) {
        let waiter = state.withLock { $0.removeValue(forKey: session)?.waiter }
        waiter?.resume()
    }

    /// Queues a message for one session; `false` when the session is unknown.
    @discardableResult
    func publish(_ message: [UInt8], to session: String) -> Bool {
        let waiter = state.withLock { sessions -> CheckedContinuation<Void, Never>?? in
            guard var entry = sessions[session] else { return nil }
            entry.events.append((entry.nextID, message))
            entry.nextID += 1
            if entry.events.count > capacity { entry.events.removeFirst(entry.events.count - capacity) }
            let waiter = entry.waiter
            entry.waiter = nil
            sessions[session] = entry
            return .some(waiter)
        }
        guard let waiter else { return false }
        waiter?.resume()
        return true
    }

    /// Queues a message for every session.
    func publishToAll(_ message: [UInt8]) {
        for session in state.withLock({ Array($0.keys) }) { publish(message, to: session) }
    }

    /// Claims the session's stream; `nil` when the session is unknown, `false` when a
    /// stream is already open.
    func attach(_ session: String) -> Bool? {
        state.withLock { sessions in
            guard var entry = sessions[session] else { return nil }
            guard !entry.listening else { return false }
            entry.listening = true
            sessions[session] = entry
            return true
        }
    }

    /// Gives the session's stream up.
    func detach(_ session: String) {
        let waiter = state.withLock { sessions -> CheckedContinuation<Void, Never>? in
            sessions[session]?.listening = false
            defer { sessions[session]?.waiter = nil }
            return sessions[session]?.waiter
        }
        waiter?.resume()
    }

    /// The messages after `lastID`, or `nil` once the session is gone.
    func events(of session: String, after lastID: Int) -> [(id: Int, bytes: [UInt8])]? {
        state.withLock { sessions in
            sessions[session].map { entry in entry.events.filter { $0.id > lastID } }
        }
    }

    /// Waits until a message after `lastID` is queued, the session closes, or the task is
    /// cancelled.
    func wait(_ session: String, after lastID: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { sessions -> Bool in
                    guard var entry = sessions[session], !Task.isCancelled else { return true }
                    if let last = entry.events.last, last.id > lastID { return true }
                    entry.waiter?.resume()
                    entry.waiter = continuation
                    sessions[session] = entry
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { sessions -> CheckedContinuation<Void, Never>? in
                defer { sessions[session]?.waiter = nil }
                return sessions[session]?.waiter
            }
            waiter?.resume()
        }
    }
}

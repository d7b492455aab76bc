internal import Synchronization

/// Where committed records are exported: a file, syslog, or anything an embedding
/// program provides.
///
/// The log calls ``export(_:)`` from one task at a time, with records in sequence order,
/// off the commit path: each sink has its own bounded queue
/// (``AuditLogConfiguration/sinkQueueCapacity``), and records that do not fit, or that a
/// failing sink could not take, are dropped and counted
/// (``AuditHealth/sinkDroppedCount``). The database stays the record of truth.
public protocol AuditSink: Sendable {
    /// Delivers records; may block, but must bound every wait.
    ///
    /// - Parameter records: committed records, in sequence order.
    /// - Throws: ``AuditError`` with ``AuditError/Code/sinkFailure`` when they could not be
    ///   delivered.
    func export(_ records: [AuditRecord]) throws(AuditError)

    /// Releases what the sink holds (files, sockets); called once when the log stops.
    func close()
}

/// Feeds one sink from a bounded queue, on a thread of its own inside the log's `run()`.
final class AuditExporter: Sendable {
    private struct State {
        var queue: [AuditRecord] = []
        var sleeping = false
        var finished = false
        var dropped = 0
    }

    let sink: any AuditSink
    private let capacity: Int
    private let state = Mutex(State())
    private let wake = WakeSignal()

    init(sink: any AuditSink, capacity: Int) {
        self.sink = sink
        self.capacity = capacity
    }

    var droppedCount: Int { state.withLock { $0.dropped } }

    func enqueue(_ records: [AuditRecord]) {
        let wake: Bool = state.withLock { state in
            let room = max(0, capacity - state.queue.count)
            state.queue.append(contentsOf: records.prefix(room))
            state.dropped += records.count - min(room, records.count)
            let wake = state.sleeping
            state.sleeping = false
            return wake
        }
        if wake { self.wake.signal() }
    }

    func finish() {
        state.withLock { $0.finished = true }
        wake.signal()
    }

    /// Delivers batches until finished and drained; blocks its thread while it waits.
    func run() {
        defer { sink.close() }
        while true {
            let (batch, finished): ([AuditRecord], Bool) = state.withLock { state in
                let batch = state.queue
                state.queue.removeAll(keepingCapacity: true)
                if batch.isEmpty && !state.finished { state.sleeping = true }
                return (batch, state.finished)
            }
            if !batch.isEmpty {
                do {
                    try sink.export(batch)
                } catch {
                    state.withLock { $0.dropped += batch.count }
                }
                continue
            }
            if finished { return }
            wake.wait(timeout: .seconds(1))
            state.withLock { $0.sleeping = false }
        }
    }
}

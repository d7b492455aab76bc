import Synchronization

/// Counts repeats of the same call (same principal, connection, upstream, name and
/// canonical arguments) within a window, to stop an agent that loops.
///
/// At most `maxKeys` calls are tracked (least recently used forgotten first), and each
/// keeps at most `threshold` times. Time comes from the caller. Safe to share between
/// threads and between engines.
public final class LoopDetector: Sendable {
    private let table: Mutex<LRUTable<[Int64]>>

    /// The most distinct calls tracked.
    public let maxKeys: Int

    /// Creates a detector.
    ///
    /// - Parameter maxKeys: the most distinct calls tracked (default 100,000).
    public init(maxKeys: Int = 100_000) {
        self.maxKeys = max(1, maxKeys)
        table = Mutex(LRUTable(capacity: max(1, maxKeys)))
    }

    /// The number of distinct calls tracked.
    public var count: Int { table.withLock { $0.count } }

    /// Records one call and returns how many calls with this key fall in the window
    /// ending now (this one included), counting at most `threshold`.
    func record(_ key: String, now: PolicyTime, spec: LoopDetectionSpec) -> Int {
        let time = now.unixMilliseconds
        return table.withLock { table in
            var times = table.value(for: key) ?? []
            times.removeAll { $0 <= time - spec.windowMilliseconds || $0 > time }
            times.append(time)
            if times.count > spec.threshold { times.removeFirst(times.count - spec.threshold) }
            table.set(times, for: key)
            return times.count
        }
    }
}

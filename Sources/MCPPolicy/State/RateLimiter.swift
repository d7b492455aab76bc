import Synchronization

/// Token buckets for rate-limit rules, keyed by rule and by the parts of the call the
/// rule names (principal, upstream, tool).
///
/// Memory is bounded: at most `maxKeys` buckets are kept, and the least recently used is
/// forgotten when a new one is needed (a forgotten bucket starts full again). Time comes
/// from the caller, so tests drive it with a fake clock. Safe to share between threads
/// and between engines: pass the same limiter to a reloaded engine to keep the counts.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: Int64
    }

    private let table: Mutex<LRUTable<Bucket>>

    /// The most buckets kept.
    public let maxKeys: Int

    /// Creates a limiter.
    ///
    /// - Parameter maxKeys: the most buckets kept (default 100,000).
    public init(maxKeys: Int = 100_000) {
        self.maxKeys = max(1, maxKeys)
        table = Mutex(LRUTable(capacity: max(1, maxKeys)))
    }

    /// The number of buckets held.
    public var count: Int { table.withLock { $0.count } }

    /// Takes one token from every bucket, or from none when any bucket is empty.
    ///
    /// - Parameters:
    ///   - requests: each bucket's key and parameters.
    ///   - now: the current time.
    /// - Returns: nil when admitted; otherwise the milliseconds until every bucket has a
    ///   token, and the position of the first empty bucket.
    func acquire(_ requests: [(key: String, spec: RateLimitSpec)], now: PolicyTime) -> (retryAfter: Int64, index: Int)?
    {
        guard !requests.isEmpty else { return nil }
        let time = now.unixMilliseconds
        return table.withLock { table in
            var refilled: [Bucket] = []
            refilled.reserveCapacity(requests.count)
            var wait: Int64 = 0
            var firstEmpty = -1
            for (index, request) in requests.enumerated() {
                var bucket = table.value(for: request.key) ?? Bucket(tokens: request.spec.capacity, updated: time)
                let elapsed = Double(max(0, time - bucket.updated)) / 1000
                bucket.tokens = min(request.spec.capacity, bucket.tokens + elapsed * request.spec.refillPerSecond)
                bucket.updated = max(bucket.updated, time)
                if bucket.tokens < 1 {
                    let missing = (1 - bucket.tokens) / request.spec.refillPerSecond
                    wait = max(wait, Int64((missing * 1000).rounded(.up)))
                    if firstEmpty < 0 { firstEmpty = index }
                }
                refilled.append(bucket)
            }
            let admitted = firstEmpty < 0
            for (index, request) in requests.enumerated() {
                var bucket = refilled[index]
                if admitted { bucket.tokens -= 1 }
                table.set(bucket, for: request.key)
            }
            return admitted ? nil : (max(1, wait), firstEmpty)
        }
    }

    /// The tokens left in a bucket, or nil when it is not held (for tests and metrics).
    func tokens(for key: String) -> Double? {
        table.withLock { $0.peek(key)?.tokens }
    }
}

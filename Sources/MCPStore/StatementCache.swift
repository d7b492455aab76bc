/// The compiled statements of one connection, keyed by SQL text, least recently used
/// first out once the cache holds its capacity.
///
/// Eviction scans the entries for the oldest use, which costs O(capacity) on a miss and
/// nothing on a hit; capacities are small (tens of statements).
struct StatementCache {
    private struct Entry {
        let statement: Statement
        var lastUse: UInt64
    }

    /// The most statements kept; 0 keeps none.
    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var clock: UInt64 = 0

    /// Creates an empty cache.
    ///
    /// - Parameter capacity: the most statements kept; negative values count as 0.
    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The number of statements held.
    var count: Int { entries.count }

    /// Whether a statement for this SQL text is held.
    ///
    /// - Parameter sql: the SQL text.
    /// - Returns: `true` when it is cached.
    func contains(_ sql: String) -> Bool {
        entries[sql] != nil
    }

    /// The statement for this SQL text, marked as just used.
    ///
    /// - Parameter sql: the SQL text.
    /// - Returns: the cached statement, or `nil`.
    mutating func statement(for sql: String) -> Statement? {
        clock &+= 1
        let now = clock
        return entries[sql].map { entry in
            entries[sql]?.lastUse = now
            return entry.statement
        }
    }

    /// Keeps a statement, evicting the least recently used one when full.
    ///
    /// - Parameter statement: a statement compiled for reuse.
    mutating func insert(_ statement: Statement) {
        guard capacity > 0 else { return }
        if entries[statement.sql] == nil, entries.count >= capacity,
            let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse })?.key
        {
            entries[oldest] = nil
        }
        clock &+= 1
        entries[statement.sql] = Entry(statement: statement, lastUse: clock)
    }

    /// Releases every statement (each is finalized unless in use elsewhere).
    mutating func removeAll() {
        entries.removeAll()
    }
}

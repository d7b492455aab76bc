/// When a transaction takes the database's write lock.
public enum TransactionKind: Hashable, Sendable {
    /// Takes locks as statements need them: a read lock at the first read, the write lock
    /// at the first write. A deferred transaction that reads and then writes can fail with
    /// ``StoreError/Code/busy`` at once if another connection committed in between.
    case deferred
    /// Takes the write lock at the start, waiting up to the busy timeout; its writes then
    /// cannot fail for lack of the lock. Use it for every transaction that writes.
    case immediate
    /// Like ``immediate``; outside WAL mode it also keeps readers out.
    case exclusive

    /// The keyword after `BEGIN`.
    var keyword: String {
        switch self {
        case .deferred: "DEFERRED"
        case .immediate: "IMMEDIATE"
        case .exclusive: "EXCLUSIVE"
        }
    }
}

/// How to open a database.
public struct DatabaseConfiguration: Sendable, Hashable {
    /// Where the database lives.
    public enum Location: Sendable, Hashable {
        /// A file; its directory must exist.
        case file(String)
        /// A private in-memory database, gone when closed.
        case inMemory
    }

    /// The journal mode.
    public enum JournalMode: String, Sendable, Hashable {
        /// Write-ahead log: readers do not block the writer; the default for files.
        case wal = "WAL"
        /// A rollback journal deleted after each transaction.
        case delete = "DELETE"
        /// In memory only, for in-memory databases.
        case memory = "MEMORY"
    }

    /// How hard SQLite works to make commits durable.
    public enum Synchronous: String, Sendable, Hashable {
        /// With WAL, durable across application crashes; a power loss may drop the last
        /// transactions.
        case normal = "NORMAL"
        /// Durable across power loss: every commit syncs.
        case full = "FULL"
    }

    /// Where the database lives.
    public var location: Location
    /// Whether writes are refused.
    public var readOnly: Bool
    /// Whether a missing file is created.
    public var createIfMissing: Bool
    /// The journal mode (files only).
    public var journalMode: JournalMode
    /// The durability of commits.
    public var synchronous: Synchronous
    /// How long to wait for another connection's lock before failing with
    /// ``StoreError/Code/busy``.
    public var busyTimeout: Duration
    /// Whether foreign keys are enforced.
    public var foreignKeys: Bool
    /// The most prepared statements kept for reuse.
    public var statementCacheSize: Int

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - location: a file or memory.
    ///   - readOnly: default false.
    ///   - createIfMissing: default true.
    ///   - journalMode: default WAL.
    ///   - synchronous: default FULL.
    ///   - busyTimeout: default 5 s.
    ///   - foreignKeys: default true.
    ///   - statementCacheSize: default 64.
    public init(
        location: Location,
        readOnly: Bool = false,
        createIfMissing: Bool = true,
        journalMode: JournalMode = .wal,
        synchronous: Synchronous = .full,
        busyTimeout: Duration = .seconds(5),
        foreignKeys: Bool = true,
        statementCacheSize: Int = 64
    ) {
        self.location = location
        self.readOnly = readOnly
        self.createIfMissing = createIfMissing
        self.journalMode = journalMode
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.foreignKeys = foreignKeys
        self.statementCacheSize = statementCacheSize
    }
}

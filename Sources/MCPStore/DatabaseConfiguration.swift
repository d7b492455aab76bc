/// How to open a database: where it lives and the connection settings applied at open.
///
/// The defaults suit a file owned by the gateway: created when missing, write-ahead
/// logging, full durability, foreign keys enforced, a five-second busy timeout.
///
/// ```swift
/// var configuration = DatabaseConfiguration(.file("/var/lib/gateway/audit.sqlite"))
/// configuration.synchronous = .normal   // the audit writer trades the last commits for speed
/// let database = try Database(configuration: configuration)
/// ```
public struct DatabaseConfiguration: Hashable, Sendable {
    /// Where a database lives.
    public enum Location: Hashable, Sendable {
        /// A file at a path; its directory must exist (the store creates no directories).
        case file(String)
        /// A private database in memory, gone when its connection closes.
        case inMemory
    }

    /// A journal mode (`PRAGMA journal_mode`).
    public enum JournalMode: String, Hashable, Sendable {
        /// Write-ahead logging: readers see the last commit while a writer works, and
        /// commits append to a log. The default for files.
        case wal
        /// A rollback journal deleted at each commit; SQLite's own default.
        case delete
        /// A rollback journal truncated at each commit.
        case truncate
        /// A rollback journal whose header is zeroed at each commit.
        case persist
        /// A rollback journal in memory; what in-memory databases use.
        case memory
        /// No journal: a failed transaction can corrupt the file.
        case off
    }

    /// How much SQLite syncs to make commits durable (`PRAGMA synchronous`).
    public enum Synchronous: String, Hashable, Sendable {
        /// With WAL, a commit survives an application crash and the file stays
        /// consistent, but a power loss may undo the last commits.
        case normal = "NORMAL"
        /// Every commit is synced: it survives a power loss. The default.
        case full = "FULL"
    }

    /// Where the database lives.
    public var location: Location

    /// Whether the connection refuses writes. Default `false`.
    public var isReadOnly: Bool

    /// Whether a missing file is created (ignored when read-only). Default `true`.
    public var createsMissingFile: Bool

    /// The journal mode set at open for a writable file. Default ``JournalMode/wal``.
    ///
    /// In-memory and read-only databases keep the mode they have.
    public var journalMode: JournalMode

    /// The durability of commits. Default ``Synchronous/full``.
    public var synchronous: Synchronous

    /// How long a statement waits for a lock another connection holds before failing with
    /// ``StoreError/Code/busy``. Default 5 seconds; zero fails at once.
    public var busyTimeout: Duration

    /// Whether foreign key constraints are enforced. Default `true`.
    public var enforcesForeignKeys: Bool

    /// The most compiled statements the connection keeps for reuse. Default 64; 0 compiles
    /// every statement anew.
    public var statementCacheCapacity: Int

    /// Creates a configuration.
    ///
    /// - Parameters:
    ///   - location: a file in an existing directory, or memory.
    ///   - isReadOnly: whether writes are refused.
    ///   - createsMissingFile: whether a missing file is created.
    ///   - journalMode: the journal mode for a writable file.
    ///   - synchronous: the durability of commits.
    ///   - busyTimeout: how long to wait for another connection's lock.
    ///   - enforcesForeignKeys: whether foreign key constraints are enforced.
    ///   - statementCacheCapacity: the most compiled statements kept.
    public init(
        _ location: Location,
        isReadOnly: Bool = false,
        createsMissingFile: Bool = true,
        journalMode: JournalMode = .wal,
        synchronous: Synchronous = .full,
        busyTimeout: Duration = .seconds(5),
        enforcesForeignKeys: Bool = true,
        statementCacheCapacity: Int = 64
    ) {
        self.location = location
        self.isReadOnly = isReadOnly
        self.createsMissingFile = createsMissingFile
        self.journalMode = journalMode
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.enforcesForeignKeys = enforcesForeignKeys
        self.statementCacheCapacity = statementCacheCapacity
    }

    /// The busy timeout in whole milliseconds, clamped to what SQLite accepts.
    var busyTimeoutMilliseconds: Int32 {
        let (seconds, attoseconds) = busyTimeout.components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        guard seconds <= Int64(Int32.max) / 1000 else { return .max }
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}

public import MCPStore

/// When an append counts as done.
public enum AuditDurability: Hashable, Sendable {
    /// `append` returns once the record is committed to disk (group commit: many appends
    /// share one transaction). A store failure fails the appends of that batch.
    case acknowledged
    /// `append` returns once the event is queued. The queue is bounded: an event that
    /// does not fit is dropped, counted in ``AuditHealth/droppedCount`` and reported to
    /// ``AuditLogConfiguration/onDrop``.
    case async
    /// As ``acknowledged``, and after a store failure the log is unhealthy: appends fail
    /// at once with ``AuditError/Code/unavailable`` until the store can write again, so
    /// that the gateway stops calls it cannot record.
    case failClosed
}

/// Why an event was not recorded in ``AuditDurability/async`` mode.
public enum AuditDropReason: Hashable, Sendable {
    /// The queue was full.
    case queueFull
    /// The store failed to write the batch it was in.
    case storeFailure
}

/// How an ``AuditLog`` stores, batches, checkpoints and exports.
///
/// ```swift
/// var configuration = AuditLogConfiguration(path: dataDirectory + "/audit.sqlite")
/// configuration.durability = .failClosed
/// configuration.signer = AuditSigner(keyID: "audit-1", key: try Ed25519.PrivateKey())
/// ```
public struct AuditLogConfiguration: Sendable {
    /// The database; WAL with `synchronous = FULL` by default, so an acknowledged record
    /// survives a power loss.
    public var database: DatabaseConfiguration
    /// When an append counts as done. Default ``AuditDurability/acknowledged``.
    public var durability: AuditDurability = .acknowledged
    /// The most events one transaction commits. Default 1024.
    public var maxBatchSize: Int = 1024
    /// The most events waiting for the writer. Default 65,536.
    public var queueCapacity: Int = 65_536
    /// The largest canonical event accepted, in bytes. Default 64 KiB.
    public var maxEventBytes: Int = 64 * 1024
    /// A checkpoint after this many records, at the end of the batch that reaches the
    /// count (0: only by time and at shutdown). Default 1000.
    public var checkpointEveryRecords: Int = 1000
    /// A checkpoint when this much time passed since the last one and records arrived.
    /// Default 10 seconds.
    public var checkpointInterval: Duration = .seconds(10)
    /// How often the writer wakes on its own to check the checkpoint interval and, when
    /// unhealthy, whether the store can write again. Default 1 second.
    public var tickInterval: Duration = .seconds(1)
    /// The key that signs checkpoints; unsigned checkpoints when `nil`.
    public var signer: AuditSigner?
    /// The clock for record and checkpoint times.
    public var clock: any AuditClock = SystemAuditClock()
    /// Where committed records are exported, each through its own bounded queue.
    public var sinks: [any AuditSink] = []
    /// The most records waiting for each sink. Default 8192.
    public var sinkQueueCapacity: Int = 8192
    /// Called (on the appending or writing thread) for every event dropped in
    /// ``AuditDurability/async`` mode. Keep it short.
    public var onDrop: (@Sendable (AuditDropReason) -> Void)?
    /// Called when the log turns unhealthy or healthy again.
    public var onHealthChange: (@Sendable (Bool) -> Void)?

    /// Creates a configuration for a database.
    ///
    /// - Parameter database: where and how to open the database.
    public init(database: DatabaseConfiguration) {
        self.database = database
    }

    /// Creates a configuration for a database file (created when missing; its directory
    /// must exist).
    ///
    /// - Parameter path: the file.
    public init(path: String) {
        self.database = DatabaseConfiguration(.file(path))
    }

    func validate() throws(AuditError) {
        guard maxBatchSize > 0, queueCapacity > 0, maxEventBytes > 0, sinkQueueCapacity > 0,
            checkpointEveryRecords >= 0, checkpointInterval > .zero, tickInterval > .zero
        else {
            throw AuditError(.invalidConfiguration, message: "sizes, counts and intervals must be positive")
        }
    }
}

/// A snapshot of the log's health and counters.
public struct AuditHealth: Hashable, Sendable {
    /// `false` after a store failure, until a write succeeds again.
    public var isHealthy: Bool
    /// The last store failure, if the log is unhealthy.
    public var lastFailure: AuditError?
    /// Records committed since the log opened.
    public var committedCount: Int
    /// Events dropped in ``AuditDurability/async`` mode (queue full or store failure).
    public var droppedCount: Int
    /// Events whose append failed (store failure or refusal while unhealthy).
    public var failedCount: Int
    /// Events waiting for the writer.
    public var queuedCount: Int
    /// Records dropped because a sink's queue was full or the sink failed.
    public var sinkDroppedCount: Int
    /// The sequence number of the last committed record.
    public var lastSequence: Int64
}

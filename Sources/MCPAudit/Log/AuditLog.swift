internal import MCPStore
internal import Synchronization

/// An append-only, tamper-evident audit log in SQLite, written by one group-commit
/// writer.
///
/// Appenders on any task or thread queue events; the writer, which runs inside ``run()``
/// (or a ``withAuditLog(configuration:_:)`` scope), commits whatever is queued in one
/// transaction, chains each record to the one before by SHA-256, writes signed
/// checkpoints, and hands committed records to the sinks.
///
/// ```swift
/// try await AuditLog.withAuditLog(configuration: .init(path: "/var/lib/gateway/audit.sqlite")) { log in
///     let sequence = try await log.append(event)   // durable when it returns
/// }
/// ```
public final class AuditLog: Sendable {
    /// A callback that learns an event's fate: its sequence number once committed, or the
    /// error.
    public typealias Completion = @Sendable (Result<Int64, AuditError>) -> Void

    struct Entry: Sendable {
        var record: PendingRecord
        var completion: Completion?
    }

    enum Phase {
        case idle, running, stopping, stopped
    }

    struct QueueState {
        var pending: [Entry] = []
        var writerSleeping = false
        var phase = Phase.idle
        var hasRun = false
        var failure: AuditError?
        var committed = 0
        var dropped = 0
        var failed = 0
        var lastSequence: Int64 = 0

        var hasWork: Bool { !pending.isEmpty || phase == .stopping }
    }

    /// The configuration the log was opened with.
    public let configuration: AuditLogConfiguration

    let database: Database
    /// A second, read-only connection to a database file for queries and verification,
    /// which WAL lets read while the writer commits; the writer's own for a database in
    /// memory.
    let readDatabase: Database
    let writer: Mutex<AuditChainWriter>
    let state: Mutex<QueueState>
    let wake = WakeSignal()
    let exporters: [AuditExporter]

    /// Opens (creating when missing) the log's database and finds the chain's head.
    ///
    /// - Parameter configuration: the database and the writer's settings.
    /// - Throws: ``AuditError`` with ``AuditError/Code/invalidConfiguration`` for a bad
    ///   setting, ``AuditError/Code/storeFailure`` when the database cannot be opened or
    ///   migrated.
    public init(configuration: AuditLogConfiguration) throws(AuditError) {
        try configuration.validate()
        self.configuration = configuration
        let database: Database
        do {
            database = try Database(configuration: configuration.database, migrator: AuditSchema.migrator)
        } catch {
            throw AuditError(
                .storeFailure, message: "cannot open the audit database: \(AuditChainWriter.describe(error))")
        }
        self.database = database
        var path: String?
        if case .file(let file) = configuration.database.location { path = file }
        var readConfiguration = configuration.database
        readConfiguration.isReadOnly = true
        self.readDatabase = path.flatMap { _ in try? Database(configuration: readConfiguration) } ?? database
        let chainWriter = try AuditChainWriter(
            database: database, path: path, signer: configuration.signer, clock: configuration.clock)
        var initial = QueueState()
        initial.lastSequence = chainWriter.headSequence
        self.state = Mutex(initial)
        self.writer = Mutex(chainWriter)
        self.exporters = configuration.sinks.map { AuditExporter(sink: $0, capacity: configuration.sinkQueueCapacity) }
    }

    /// Opens a log, runs its writer for the duration of `body`, then drains the queue,
    /// writes a final checkpoint and stops.
    ///
    /// - Parameters:
    ///   - configuration: the log's configuration.
    ///   - body: the work that appends; receives the open log.
    /// - Returns: what `body` returns.
    /// - Throws: ``AuditError`` from opening, or what `body` throws (after the log stopped).
    @discardableResult
    public static func withAuditLog<Result: Sendable>(
        configuration: AuditLogConfiguration,
        _ body: (AuditLog) async throws -> Result
    ) async throws -> Result {
        let log = try AuditLog(configuration: configuration)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            do {
                let result = try await body(log)
                log.shutdown()
                try await group.waitForAll()
                return result
            } catch {
                log.shutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    // MARK: Appending

    /// Records an event.
    ///
    /// In ``AuditDurability/acknowledged`` and ``AuditDurability/failClosed`` modes it
    /// waits for the writer: call it while ``run()`` runs (inside
    /// ``withAuditLog(configuration:_:)``, for instance).
    ///
    /// - Parameter event: the event.
    /// - Returns: the record's sequence number once committed
    ///   (``AuditDurability/acknowledged``, ``AuditDurability/failClosed``), or `nil` once
    ///   queued (``AuditDurability/async``; a full queue drops the event, counts it and
    ///   calls ``AuditLogConfiguration/onDrop``).
    /// - Throws: ``AuditError``: ``AuditError/Code/invalidEvent`` when the event exceeds
    ///   ``AuditLogConfiguration/maxEventBytes``; ``AuditError/Code/closed`` after shutdown;
    ///   ``AuditError/Code/queueFull``; ``AuditError/Code/storeFailure`` when its batch
    ///   could not be committed; ``AuditError/Code/unavailable`` while a
    ///   ``AuditDurability/failClosed`` log is unhealthy.
    @discardableResult
    public func append(_ event: AuditEvent) async throws(AuditError) -> Int64? {
        if configuration.durability == .async {
            try submit(event, completion: nil)
            return nil
        }
        let result: Result<Int64, AuditError> = await withCheckedContinuation { continuation in
            do throws(AuditError) {
                try submit(event) { continuation.resume(returning: $0) }
            } catch {
                continuation.resume(returning: .failure(error))
            }
        }
        return try result.get()
    }

    /// Queues an event without waiting; `completion` learns its fate once the writer is
    /// done with it (on the writer's task, in sequence order).
    ///
    /// - Parameters:
    ///   - event: the event.
    ///   - completion: called with the sequence number once committed, or the error.
    /// - Throws: ``AuditError`` when the event is refused before queuing (see
    ///   ``append(_:)``); `completion` is then not called. In
    ///   ``AuditDurability/async`` mode a full queue does not throw: the event is dropped
    ///   and counted.
    public func submit(_ event: AuditEvent, completion: Completion?) throws(AuditError) {
        let bytes = event.canonicalBytes
        guard bytes.count <= configuration.maxEventBytes else {
            throw AuditError(
                .invalidEvent,
                message: "the event has \(bytes.count) canonical bytes, more than \(configuration.maxEventBytes)")
        }
        let entry = Entry(
            record: PendingRecord(event: event, eventBytes: bytes, columns: AuditIndexColumns(event)),
            completion: completion)
        let isAsync = configuration.durability == .async
        let failClosed = configuration.durability == .failClosed
        let capacity = configuration.queueCapacity
        enum Admission { case queued(wake: Bool), dropped, refused(AuditError) }
        let admission: Admission = state.withLock { state in
            guard state.phase == .idle || state.phase == .running else {
                state.failed += 1
                return .refused(AuditError(.closed, message: "the audit log is shut down"))
            }
            if failClosed, let failure = state.failure {
                state.failed += 1
                return .refused(AuditError(.unavailable, message: "the audit log is unhealthy: \(failure.message)"))
            }
            guard state.pending.count < capacity else {
                if isAsync {
                    state.dropped += 1
                    return .dropped
                }
                state.failed += 1
                return .refused(AuditError(.queueFull, message: "the audit queue holds \(capacity) events"))
            }
            state.pending.append(entry)
            let wake = state.writerSleeping
            state.writerSleeping = false
            return .queued(wake: wake)
        }
        switch admission {
        case .queued(let wake): if wake { self.wake.signal() }
        case .dropped: configuration.onDrop?(.queueFull)
        case .refused(let error): throw error
        }
    }

    // MARK: Health

    /// The log's health and counters.
    public var health: AuditHealth {
        let sinkDropped = exporters.reduce(0) { $0 + $1.droppedCount }
        return state.withLock { state in
            AuditHealth(
                isHealthy: state.failure == nil, lastFailure: state.failure, committedCount: state.committed,
                droppedCount: state.dropped, failedCount: state.failed, queuedCount: state.pending.count,
                sinkDroppedCount: sinkDropped, lastSequence: state.lastSequence)
        }
    }

    /// Checks now whether the store can write (the file is still the one opened, a write
    /// transaction commits), and updates ``health`` accordingly.
    ///
    /// - Returns: whether the log is healthy.
    @discardableResult
    public func checkHealth() -> Bool {
        do {
            try writer.withLock { writer throws(AuditError) in try writer.probe() }
            setFailure(nil)
            return true
        } catch {
            setFailure(error)
            return false
        }
    }

    func setFailure(_ failure: AuditError?) {
        let changed = state.withLock { state in
            let was = state.failure == nil
            state.failure = failure
            return was != (failure == nil)
        }
        if changed {
            configuration.onHealthChange?(failure == nil)
        }
    }

    /// Writes a checkpoint at the head of the chain now, when records arrived since the
    /// last one.
    ///
    /// - Returns: the checkpoint, or `nil` when there was nothing new to cover.
    /// - Throws: ``AuditError`` with ``AuditError/Code/storeFailure`` or
    ///   ``AuditError/Code/signingFailed``.
    @discardableResult
    public func checkpoint() throws(AuditError) -> AuditCheckpoint? {
        try writer.withLock { writer throws(AuditError) in try writer.checkpoint() }
    }
}

internal import MCPCrypto
internal import MCPStore

#if canImport(Glibc)
    import Glibc
#endif

/// One event waiting to be committed, with its canonical bytes computed by the appender.
struct PendingRecord: Sendable {
    var event: AuditEvent
    var eventBytes: [UInt8]
    var columns: AuditIndexColumns
}

/// The single owner of the chain's head: it commits batches of events as records (one
/// transaction per batch), writes checkpoints and applies retention. Always used under
/// the log's writer lock.
final class AuditChainWriter {
    let database: Database
    let path: String?
    let signer: AuditSigner?
    let clock: any AuditClock
    private let fileIdentity: FileIdentity?

    /// The last record's sequence number and hash (0 and 32 zero bytes for an empty log).
    private(set) var headSequence: Int64
    private(set) var headHash: [UInt8]
    private var lastRecordedAt: AuditTime
    private(set) var lastCheckpointSequence: Int64
    private(set) var lastCheckpointTime: AuditTime

    init(database: Database, path: String?, signer: AuditSigner?, clock: any AuditClock) throws(AuditError) {
        self.database = database
        self.path = path
        self.signer = signer
        self.clock = clock
        self.fileIdentity = path.flatMap(FileIdentity.init(path:))
        let head: (Int64, [UInt8], Int64, Int64, Int64)
        do {
            head = try database.read { db in
                let last = try db.queryFirst(
                    sql: "SELECT seq, hash, recorded_at FROM audit_records ORDER BY seq DESC LIMIT 1")
                let checkpoint = try db.queryFirst(
                    sql: "SELECT seq, hash, created_at FROM audit_checkpoints ORDER BY seq DESC LIMIT 1")
                let checkpointSeq: Int64 = try checkpoint?.value(at: 0) ?? 0
                let checkpointTime: Int64 = try checkpoint?.value(at: 2) ?? 0
                if let last {
                    return (
                        try last.value(at: 0), try last.value(at: 1), try last.value(at: 2), checkpointSeq,
                        checkpointTime
                    )
                }
                // Empty table: the chain continues from the anchor, if retention left one.
                if let checkpoint {
                    return (checkpointSeq, try checkpoint.value(at: 1), checkpointTime, checkpointSeq, checkpointTime)
                }
                return (0, [UInt8](repeating: 0, count: 32), 0, 0, 0)
            }
        } catch {
            throw AuditError(.storeFailure, message: "cannot read the chain head: \(Self.describe(error))")
        }
        headSequence = head.0
        headHash = head.1
        lastRecordedAt = AuditTime(microsecondsSinceEpoch: head.2)
        lastCheckpointSequence = head.3
        lastCheckpointTime = clock.now
    }

    /// Records since the last checkpoint.
    var uncheckpointedCount: Int64 { headSequence - lastCheckpointSequence }

    /// Commits a batch in one transaction and returns the records, or throws and leaves
    /// the head unchanged.
    func commit(_ batch: [PendingRecord], checkpointEvery: Int64) throws(AuditError) -> [AuditRecord] {
        try checkFile()
        var sequence = headSequence
        var hash = headHash
        var recordedAt = max(clock.now, lastRecordedAt)
        var records: [AuditRecord] = []
        records.reserveCapacity(batch.count)
        var checkpoint: AuditCheckpoint?
        do {
            try database.write { db in
                for pending in batch {
                    sequence += 1
                    let bytes = AuditRecord.bytes(
                        sequence: sequence, recordedAt: recordedAt, eventBytes: pending.eventBytes)
                    var hasher = SHA256()
                    hasher.update(hash)
                    hasher.update(bytes)
                    hash = hasher.finalize()
                    try Self.insert(
                        db, sequence: sequence, recordedAt: recordedAt, columns: pending.columns, body: bytes,
                        hash: hash)
                    records.append(
                        AuditRecord(sequence: sequence, recordedAt: recordedAt, event: pending.event, hash: hash))
                }
                // A checkpoint that cannot be signed now (a remote key away, say) is not the
                // batch's failure: the next batch or tick tries again.
                if checkpointEvery > 0, sequence - lastCheckpointSequence >= checkpointEvery,
                    let made = try? AuditCheckpoint.make(
                        sequence: sequence, hash: hash, time: recordedAt, signer: signer)
                {
                    try Self.insert(db, checkpoint: made)
                    checkpoint = made
                }
            }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError(.storeFailure, message: "cannot commit \(batch.count) record(s): \(Self.describe(error))")
        }
        recordedAt = max(recordedAt, lastRecordedAt)
        headSequence = sequence
        headHash = hash
        lastRecordedAt = recordedAt
        if let checkpoint {
            lastCheckpointSequence = checkpoint.sequence
            lastCheckpointTime = clock.now
        }
        return records
    }

    /// Writes a checkpoint at the head when records arrived since the last one.
    @discardableResult
    func checkpoint(force: Bool = false) throws(AuditError) -> AuditCheckpoint? {
        guard force || headSequence > lastCheckpointSequence, headSequence > 0 else { return nil }
        try checkFile()
        let made = try AuditCheckpoint.make(sequence: headSequence, hash: headHash, time: clock.now, signer: signer)
        do {
            try database.write { db in try Self.insert(db, checkpoint: made) }
        } catch {
            throw AuditError(.storeFailure, message: "cannot write a checkpoint: \(Self.describe(error))")
        }
        lastCheckpointSequence = made.sequence
        lastCheckpointTime = clock.now
        return made
    }

    /// Whether the store can take a write now: the file is the one opened and a write
    /// transaction can begin and commit.
    func probe() throws(AuditError) {
        try checkFile()
        do {
            // A real write (the header's user version, set to what it is) that commits:
            // a transaction that writes nothing succeeds even on a read-only file.
            try database.write { db in
                let version = try db.scalar(sql: "PRAGMA user_version", as: Int.self) ?? 0
                try db.execute(sql: "PRAGMA user_version = \(version)")
            }
        } catch {
            throw AuditError(.storeFailure, message: "the store cannot write: \(Self.describe(error))")
        }
    }

    /// Throws when the database file was removed or replaced since it was opened: SQLite
    /// would go on writing to the unlinked file, and every record would be lost.
    func checkFile() throws(AuditError) {
        guard let path, let fileIdentity else { return }
        guard FileIdentity(path: path) == fileIdentity else {
            throw AuditError(.storeFailure, message: "the database file was removed or replaced")
        }
    }

    // MARK: Rows

    static func insert(
        _ db: DatabaseConnection, sequence: Int64, recordedAt: AuditTime, columns: AuditIndexColumns, body: [UInt8],
        hash: [UInt8]
    ) throws(StoreError) {
        try db.execute(
            sql: AuditSchema.insertRecord,
            arguments: [
                sequence, recordedAt.microsecondsSinceEpoch, columns.eventTime, columns.category, columns.subject,
                columns.organization, columns.teams, columns.clientID, columns.method, columns.upstream, columns.target,
                columns.status, body, hash,
            ])
    }

    static func insert(_ db: DatabaseConnection, checkpoint: AuditCheckpoint) throws(StoreError) {
        try db.execute(
            sql: AuditSchema.insertCheckpoint,
            arguments: [
                checkpoint.sequence, checkpoint.hash, checkpoint.time.microsecondsSinceEpoch, checkpoint.keyID,
                checkpoint.algorithm, checkpoint.signature,
            ])
    }

    /// A store error's code and message, without SQL arguments (the store never includes
    /// them).
    static func describe(_ error: any Error) -> String {
        if let error = error as? StoreError { return "\(error.message) (\(error.code))" }
        if let error = error as? AuditError { return error.message }
        return "an unexpected error"
    }

    /// Moves the head after retention appended its record.
    func advance(to record: AuditRecord, checkpointed: Bool) {
        headSequence = record.sequence
        headHash = record.hash
        lastRecordedAt = record.recordedAt
        if checkpointed {
            lastCheckpointSequence = record.sequence
            lastCheckpointTime = clock.now
        }
    }

    /// The time for a record committed now.
    var nextRecordedAt: AuditTime { max(clock.now, lastRecordedAt) }
}

/// A file's device and inode, to notice that it was removed or replaced.
struct FileIdentity: Hashable {
    var device: UInt64
    var inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

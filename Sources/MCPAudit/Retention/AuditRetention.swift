internal import MCPCore
internal import MCPCrypto
internal import MCPStore

/// How long records are kept.
///
/// Removal keeps the rest of the log verifiable:
/// - Records older than ``maxAge`` go from the start of the chain: they are deleted, and a
///   signed checkpoint at the last of them stays as the anchor the chain continues from.
/// - Records of an organization older than its own limit are tombstoned wherever they
///   are: their bytes and query columns are erased, their sequence number and hash stay,
///   so the chain still links.
/// - Each run that removes anything appends a `retention` record to the chain that lists
///   what it removed (through which sequence, how many tombstones and a digest of their
///   sequence numbers), so the verifier can tell a removal by policy from tampering.
///
/// ```swift
/// let policy = AuditRetentionPolicy(maxAge: .seconds(90 * 86_400), organizationMaxAge: ["acme": .seconds(30 * 86_400)])
/// let result = try log.applyRetention(policy)
/// ```
public struct AuditRetentionPolicy: Hashable, Sendable {
    /// Records committed longer ago than this are deleted; `nil` keeps them.
    public var maxAge: Duration?
    /// Per organization, records committed longer ago than this are tombstoned.
    public var organizationMaxAge: [String: Duration]
    /// The most records one run removes or tombstones. Default 100,000.
    public var maxRecordsPerRun: Int

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - maxAge: the age past which records are deleted.
    ///   - organizationMaxAge: per organization, the age past which its records are
    ///     tombstoned.
    ///   - maxRecordsPerRun: the most records one run touches.
    public init(maxAge: Duration? = nil, organizationMaxAge: [String: Duration] = [:], maxRecordsPerRun: Int = 100_000)
    {
        self.maxAge = maxAge
        self.organizationMaxAge = organizationMaxAge
        self.maxRecordsPerRun = maxRecordsPerRun
    }
}

/// What a retention run removed.
public struct AuditRetentionResult: Hashable, Sendable {
    /// The last record deleted from the start of the chain, if any.
    public var removedThrough: Int64?
    /// Records deleted from the start.
    public var deletedCount: Int
    /// Records tombstoned by organization.
    public var tombstonedCount: Int
    /// The sequence number of the retention record, when anything was removed.
    public var retentionSequence: Int64?
}

enum AuditRetention {
    static let category = "retention"
}

extension AuditLog {
    /// Removes what the policy says is too old, and records the removal in the chain.
    ///
    /// Runs under the writer's lock, in one transaction, between batches.
    ///
    /// - Parameter policy: the policy.
    /// - Returns: what was removed.
    /// - Throws: ``AuditError`` with ``AuditError/Code/invalidConfiguration`` for a
    ///   negative age or a zero limit; ``AuditError/Code/storeFailure`` or
    ///   ``AuditError/Code/signingFailed`` (nothing is then removed).
    @discardableResult
    public func applyRetention(_ policy: AuditRetentionPolicy) throws(AuditError) -> AuditRetentionResult {
        guard policy.maxRecordsPerRun > 0, (policy.maxAge ?? .zero) >= .zero,
            policy.organizationMaxAge.values.allSatisfy({ $0 >= .zero })
        else {
            throw AuditError(.invalidConfiguration, message: "retention ages must not be negative, the limit positive")
        }
        let result = try writer.withLock { writer throws(AuditError) in try writer.applyRetention(policy) }
        if let sequence = result.retentionSequence {
            state.withLock { state in
                state.committed += 1
                state.lastSequence = sequence
            }
        }
        return result
    }
}

extension AuditChainWriter {
    func applyRetention(_ policy: AuditRetentionPolicy) throws(AuditError) -> AuditRetentionResult {
        try checkFile()
        let now = clock.now
        let retentionSequence = headSequence + 1
        var result = AuditRetentionResult(
            removedThrough: nil, deletedCount: 0, tombstonedCount: 0, retentionSequence: nil)
        var record: AuditRecord?
        do {
            try database.write { db in
                var details = JSONObject()
                var budget = policy.maxRecordsPerRun
                if let maxAge = policy.maxAge {
                    let cutoff = now.advanced(by: .zero - maxAge).microsecondsSinceEpoch
                    let first: Int64 = try db.scalar(sql: "SELECT min(seq) FROM audit_records") ?? 0
                    let last: Int64? = try db.scalar(
                        sql: "SELECT max(seq) FROM audit_records WHERE recorded_at < ? AND seq < ?",
                        arguments: [cutoff, first + Int64(budget)])
                    if let last,
                        let hash: [UInt8] = try db.scalar(
                            sql: "SELECT hash FROM audit_records WHERE seq = ?", arguments: [last])
                    {
                        let anchor = try AuditCheckpoint.make(sequence: last, hash: hash, time: now, signer: signer)
                        try Self.insert(db, checkpoint: anchor)
                        try db.execute(sql: "DELETE FROM audit_records WHERE seq <= ?", arguments: [last])
                        result.deletedCount = db.changes
                        try db.execute(sql: "DELETE FROM audit_checkpoints WHERE seq < ?", arguments: [last])
                        result.removedThrough = last
                        budget -= result.deletedCount
                        details["removedThrough"] = .number(JSONNumber(last))
                        details["anchorHash"] = .string(Hexadecimal.encode(hash))
                        details["deleted"] = .number(JSONNumber(result.deletedCount))
                        details["cutoff"] = .number(JSONNumber(cutoff))
                    }
                }
                var tombstones: [Int64] = []
                for organization in policy.organizationMaxAge.keys.sorted() where budget > 0 {
                    let cutoff = now.advanced(by: .zero - policy.organizationMaxAge[organization]!)
                        .microsecondsSinceEpoch
                    let rows = try db.query(
                        sql:
                            "SELECT seq FROM audit_records WHERE organization = ? AND recorded_at < ? AND body IS NOT NULL ORDER BY seq LIMIT ?",
                        arguments: [organization, cutoff, budget])
                    for row in rows {
                        tombstones.append(try row.value(at: 0))
                    }
                    budget -= rows.count
                }
                tombstones.sort()
                for sequence in tombstones {
                    try db.execute(
                        sql: """
                            UPDATE audit_records SET body = NULL, removed_by = ?, subject = NULL, teams = '[]', client_id = NULL,
                                method = NULL, upstream = NULL, target = NULL, status = NULL WHERE seq = ?
                            """,
                        arguments: [retentionSequence, sequence])
                }
                if !tombstones.isEmpty {
                    var digest = SHA256()
                    for sequence in tombstones { digest.update(AuditVerifier.bigEndian(sequence)) }
                    details["tombstones"] = .number(JSONNumber(tombstones.count))
                    details["firstTombstone"] = .number(JSONNumber(tombstones[0]))
                    details["tombstoneDigest"] = .string(Hexadecimal.encode(digest.finalize()))
                    details["organizations"] = .array(policy.organizationMaxAge.keys.sorted().map(JSONValue.string))
                }
                result.tombstonedCount = tombstones.count
                guard result.removedThrough != nil || !tombstones.isEmpty else { return }
                let event = AuditEvent(category: AuditRetention.category, time: now, details: .object(details))
                let recordedAt = nextRecordedAt
                let bytes = AuditRecord.bytes(
                    sequence: retentionSequence, recordedAt: recordedAt, eventBytes: event.canonicalBytes)
                var hasher = SHA256()
                hasher.update(headHash)
                hasher.update(bytes)
                let hash = hasher.finalize()
                try Self.insert(
                    db, sequence: retentionSequence, recordedAt: recordedAt, columns: AuditIndexColumns(event),
                    body: bytes, hash: hash)
                // The retention record is checkpointed at once: it vouches for the removal.
                try Self.insert(
                    db,
                    checkpoint: try AuditCheckpoint.make(
                        sequence: retentionSequence, hash: hash, time: recordedAt, signer: signer))
                record = AuditRecord(sequence: retentionSequence, recordedAt: recordedAt, event: event, hash: hash)
            }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError(.storeFailure, message: "retention failed: \(Self.describe(error))")
        }
        if let record {
            advance(to: record, checkpointed: true)
            result.retentionSequence = record.sequence
        }
        return result
    }
}

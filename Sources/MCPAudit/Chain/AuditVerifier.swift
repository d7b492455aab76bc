public import MCPCrypto
internal import MCPCore
internal import MCPStore

/// Checks an audit database: the hash chain record by record, the query columns against
/// the records, the checkpoints and their signatures, the anchor left by retention and
/// the removals it recorded; and names the first bad record.
///
/// It reads the records in one pass, in sequence order, holding only the checkpoints and
/// per-removal counters in memory.
///
/// ```swift
/// let report = try AuditVerifier(keys: ["audit-1": publicKey]).verify(path: "audit.sqlite")
/// if let problem = report.firstProblem { print(problem) }   // record 42: hashMismatch: ...
/// ```
public struct AuditVerifier: Sendable {
    /// The public keys that may have signed checkpoints, by key id.
    public var keys: [String: any VerifyingKey]
    /// Whether every checkpoint must carry a valid signature. Default: when keys are given.
    public var requiresSignatures: Bool
    /// The most problems collected before verification stops. Default 100.
    public var maxProblems: Int

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - keys: the public keys by key id; empty to check the chain only.
    ///   - requiresSignatures: whether checkpoints must be signed; defaults to whether
    ///     keys are given.
    ///   - maxProblems: the most problems to collect.
    public init(keys: [String: any VerifyingKey] = [:], requiresSignatures: Bool? = nil, maxProblems: Int = 100) {
        self.keys = keys
        self.requiresSignatures = requiresSignatures ?? !keys.isEmpty
        self.maxProblems = max(1, maxProblems)
    }

    /// Verifies the audit database in a file, opened read-only.
    ///
    /// - Parameter path: the database file.
    /// - Returns: the report; ``AuditVerificationReport/isValid`` when nothing is wrong.
    /// - Throws: ``AuditError`` with ``AuditError/Code/storeFailure`` when the file cannot
    ///   be opened or read as an audit database.
    public func verify(path: String) throws(AuditError) -> AuditVerificationReport {
        let database: Database
        do {
            database = try Database(configuration: DatabaseConfiguration(.file(path), isReadOnly: true))
        } catch {
            throw AuditError(
                .storeFailure, message: "cannot open the audit database: \(AuditChainWriter.describe(error))")
        }
        return try verify(database)
    }

    /// Verifies an open log's database, through a read-only connection that does not
    /// hold up the writer (for a database file).
    ///
    /// - Parameter log: the log.
    /// - Returns: the report.
    /// - Throws: ``AuditError`` with ``AuditError/Code/storeFailure`` when it cannot be read.
    public func verify(_ log: AuditLog) throws(AuditError) -> AuditVerificationReport {
        try verify(log.readDatabase)
    }

    func verify(_ database: Database) throws(AuditError) -> AuditVerificationReport {
        do {
            return try database.read { db in try verify(connection: db) }
        } catch let error as AuditError {
            throw error
        } catch {
            throw AuditError(
                .storeFailure, message: "cannot read the audit database: \(AuditChainWriter.describe(error))")
        }
    }

    private struct Removal {
        var count = 0
        var first: Int64 = 0
        var digest = SHA256()
    }

    private func verify(connection db: DatabaseConnection) throws -> AuditVerificationReport {
        var checkpoints: [Int64: AuditCheckpoint] = [:]
        for row in try db.query(
            sql: "SELECT seq, hash, created_at, key_id, algorithm, signature FROM audit_checkpoints")
        {
            let checkpoint = AuditCheckpoint(
                sequence: try row.value(at: 0), hash: try row.value(at: 1),
                time: AuditTime(microsecondsSinceEpoch: try row.value(at: 2)), keyID: try row.value(at: 3),
                algorithm: try row.value(at: 4), signature: try row.value(at: 5))
            checkpoints[checkpoint.sequence] = checkpoint
        }
        var report = AuditVerificationReport(
            recordCount: 0, tombstoneCount: 0, checkpointCount: 0, firstSequence: 0, lastSequence: 0,
            anchorSequence: 0, lastCheckpointSequence: 0, signaturesChecked: !keys.isEmpty, problems: [])
        var problems: [AuditProblem] = []
        var previousHash = [UInt8](repeating: 0, count: 32)
        var expected: Int64 = 1
        var removals: [Int64: Removal] = [:]
        var retentions: [(sequence: Int64, details: JSONObject)] = []
        let parser = JSONParser(limits: JSONLimits(maxBytes: 16 << 20, maxDepth: 128))

        func checkCheckpoint(at sequence: Int64, hash: [UInt8]) {
            guard let checkpoint = checkpoints[sequence] else { return }
            report.checkpointCount += 1
            report.lastCheckpointSequence = max(report.lastCheckpointSequence, sequence)
            if checkpoint.hash != hash {
                problems.append(
                    AuditProblem(
                        kind: .checkpointMismatch, sequence: sequence,
                        detail: "the checkpoint's hash differs from the chain's"))
            }
            if let problem = signatureProblem(checkpoint) {
                problems.append(problem)
            }
        }

        try db.query(
            sql:
                "SELECT seq, recorded_at, event_time, category, subject, organization, teams, client_id, method, upstream, target, status, body, hash, removed_by FROM audit_records ORDER BY seq"
        ) { cursor in
            while problems.count < maxProblems, let row = try cursor.next() {
                let sequence: Int64 = try row.value(at: 0)
                let storedHash: [UInt8] = try row.value(at: 13)
                if report.firstSequence == 0 {
                    report.firstSequence = sequence
                    if sequence > 1 {
                        // Retention removed the records before: the anchor checkpoint gives
                        // the hash the chain continues from.
                        if let anchor = checkpoints[sequence - 1] {
                            report.anchorSequence = sequence - 1
                            previousHash = anchor.hash
                            if let problem = signatureProblem(anchor) { problems.append(problem) }
                        } else {
                            let earlier = checkpoints.keys.filter { $0 < sequence - 1 }.max() ?? 0
                            problems.append(
                                AuditProblem(
                                    kind: .gap, sequence: earlier + 1,
                                    detail:
                                        "records \(earlier + 1) to \(sequence - 1) are missing and no anchor accounts for them"
                                ))
                            previousHash = storedHash
                        }
                    }
                    expected = sequence
                }
                if sequence != expected {
                    problems.append(
                        AuditProblem(
                            kind: .gap, sequence: expected, detail: "records \(expected) to \(sequence - 1) are missing"
                        ))
                }
                expected = sequence + 1
                report.lastSequence = sequence
                let body: [UInt8]? =
                    switch row[12] {
                    case .blob(let bytes): bytes
                    case .text(let text): Array(text.utf8)
                    case .null: nil
                    default: []
                    }
                guard let body else {
                    report.tombstoneCount += 1
                    let removedBy: Int64? = try row.value(at: 14)
                    if let removedBy, removedBy > sequence {
                        var removal = removals[removedBy] ?? Removal()
                        if removal.count == 0 { removal.first = sequence }
                        removal.count += 1
                        removal.digest.update(Self.bigEndian(sequence))
                        removals[removedBy] = removal
                    } else {
                        problems.append(
                            AuditProblem(
                                kind: .unaccountedRemoval, sequence: sequence,
                                detail: "the record's bytes are gone and no later retention record removed them"))
                    }
                    previousHash = storedHash
                    checkCheckpoint(at: sequence, hash: storedHash)
                    continue
                }
                report.recordCount += 1
                var hasher = SHA256()
                hasher.update(previousHash)
                hasher.update(body)
                let computed = hasher.finalize()
                previousHash = storedHash
                // The record's own problem is reported before its checkpoint's.
                defer { checkCheckpoint(at: sequence, hash: computed) }
                guard let value = try? parser.parse(body), let object = value.objectValue,
                    let bodySequence = object["sequence"]?.numberValue?.int64Value,
                    let recordedAt = object["recordedAt"]?.numberValue?.int64Value, let eventValue = object["event"],
                    let event = try? AuditEvent(json: eventValue)
                else {
                    problems.append(
                        AuditProblem(
                            kind: .malformedRecord, sequence: sequence, detail: "the record's bytes are not a record"))
                    continue
                }
                if bodySequence != sequence {
                    problems.append(
                        AuditProblem(
                            kind: .reordered, sequence: sequence,
                            detail: "the record's bytes belong at sequence \(bodySequence)"))
                    continue
                }
                if computed != storedHash {
                    problems.append(
                        AuditProblem(
                            kind: .hashMismatch, sequence: sequence, detail: "the record's bytes do not match its hash")
                    )
                    continue
                }
                let time = AuditTime(microsecondsSinceEpoch: recordedAt)
                if AuditRecord.bytes(sequence: sequence, recordedAt: time, eventBytes: event.canonicalBytes) != body {
                    problems.append(
                        AuditProblem(
                            kind: .malformedRecord, sequence: sequence, detail: "the record's bytes are not canonical"))
                    continue
                }
                let recordedColumn: Int64 = try row.value(at: 1)
                if (try? AuditIndexColumns(row: row)) != AuditIndexColumns(event) || recordedColumn != recordedAt {
                    problems.append(
                        AuditProblem(
                            kind: .columnMismatch, sequence: sequence,
                            detail: "a query column disagrees with the record"))
                    continue
                }
                if event.category == AuditRetention.category, let details = event.details?.objectValue {
                    retentions.append((sequence, details))
                }
            }
        }

        if problems.count < maxProblems {
            // A checkpoint beyond the last record: the tail was cut off.
            if let beyond = checkpoints.keys.filter({ $0 > report.lastSequence }).max() {
                problems.append(
                    AuditProblem(
                        kind: .truncated, sequence: report.lastSequence + 1,
                        detail:
                            "a checkpoint covers records up to \(beyond), but the log ends at \(report.lastSequence)"))
            }
            problems += retentionProblems(report: report, retentions: retentions, removals: &removals)
        }
        report.problems = Array(problems.sorted { $0.sequence < $1.sequence }.prefix(maxProblems))
        return report
    }

    private func retentionProblems(
        report: AuditVerificationReport, retentions: [(sequence: Int64, details: JSONObject)],
        removals: inout [Int64: Removal]
    ) -> [AuditProblem] {
        var problems: [AuditProblem] = []
        if report.anchorSequence > 0 {
            let vouched = retentions.contains { retention in
                retention.details["removedThrough"]?.numberValue?.int64Value == report.anchorSequence
            }
            if !vouched {
                problems.append(
                    AuditProblem(
                        kind: .gap, sequence: 1,
                        detail: "records up to \(report.anchorSequence) are gone but no retention record removed them"))
            }
        }
        for retention in retentions {
            let claimed = retention.details["tombstones"]?.numberValue?.int64Value ?? 0
            let first = retention.details["firstTombstone"]?.numberValue?.int64Value ?? 0
            let removal = removals.removeValue(forKey: retention.sequence) ?? Removal()
            // Tombstones before the anchor went with the records retention removed later.
            guard claimed > 0, first > report.anchorSequence else { continue }
            let digest = retention.details["tombstoneDigest"]?.stringValue
            if Int64(removal.count) != claimed || digest != Hexadecimal.encode(removal.digest.finalize()) {
                problems.append(
                    AuditProblem(
                        kind: .unaccountedRemoval, sequence: removal.count > 0 ? removal.first : retention.sequence,
                        detail: "the records removed differ from those retention record \(retention.sequence) lists"))
            }
        }
        for (sequence, removal) in removals {
            problems.append(
                AuditProblem(
                    kind: .unaccountedRemoval, sequence: removal.first,
                    detail: "records were removed in the name of record \(sequence), which is not a retention record"))
        }
        return problems
    }

    private func signatureProblem(_ checkpoint: AuditCheckpoint) -> AuditProblem? {
        guard requiresSignatures || !keys.isEmpty else { return nil }
        guard !checkpoint.keyID.isEmpty, !checkpoint.signature.isEmpty else {
            return requiresSignatures
                ? AuditProblem(
                    kind: .unsignedCheckpoint, sequence: checkpoint.sequence, detail: "the checkpoint is not signed")
                : nil
        }
        guard let key = keys[checkpoint.keyID] else {
            return AuditProblem(
                kind: .unknownKey, sequence: checkpoint.sequence,
                detail: "the checkpoint's key \(EventReader.safeName(checkpoint.keyID)) is unknown")
        }
        guard key.algorithm.joseName == checkpoint.algorithm,
            key.isValidSignature(checkpoint.signature, for: checkpoint.signedBytes)
        else {
            return AuditProblem(
                kind: .badSignature, sequence: checkpoint.sequence, detail: "the checkpoint's signature does not verify"
            )
        }
        return nil
    }

    static func bigEndian(_ value: Int64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: value) >> (56 - 8 * $0)) }
    }
}

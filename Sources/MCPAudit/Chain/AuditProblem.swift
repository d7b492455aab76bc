/// Something wrong that verification found, at a record.
public struct AuditProblem: Hashable, Sendable, CustomStringConvertible {
    /// The kind of problem, a stable name safe to use as a metric label.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Name: String, Hashable, Sendable {
            case hashMismatch, gap, reordered, malformedRecord, columnMismatch, badSignature, unknownKey
            case unsignedCheckpoint, checkpointMismatch, truncated, unaccountedRemoval
        }

        private let name: Name

        private init(_ name: Name) {
            self.name = name
        }

        /// The record's bytes do not hash, with the previous record's hash, to its stored
        /// hash: its contents (or the record before it) changed.
        public static let hashMismatch = Kind(.hashMismatch)
        /// A record is missing: sequence numbers skip, or records before the first are
        /// gone without a retention anchor.
        public static let gap = Kind(.gap)
        /// The record's bytes name another sequence number: records were moved.
        public static let reordered = Kind(.reordered)
        /// The record's bytes are not a canonical record.
        public static let malformedRecord = Kind(.malformedRecord)
        /// A query column disagrees with the record's bytes.
        public static let columnMismatch = Kind(.columnMismatch)
        /// A checkpoint's signature does not verify.
        public static let badSignature = Kind(.badSignature)
        /// A checkpoint names a key the verifier does not have.
        public static let unknownKey = Kind(.unknownKey)
        /// A checkpoint carries no signature though the verifier requires one.
        public static let unsignedCheckpoint = Kind(.unsignedCheckpoint)
        /// A checkpoint's hash differs from the chain's hash at its record.
        public static let checkpointMismatch = Kind(.checkpointMismatch)
        /// Records after the last present one are gone, though a checkpoint covers them.
        public static let truncated = Kind(.truncated)
        /// A record was removed (tombstoned) without a retention record that accounts for
        /// it.
        public static let unaccountedRemoval = Kind(.unaccountedRemoval)

        /// The stable name, such as `hashMismatch`.
        public var description: String { name.rawValue }
    }

    /// The kind of problem.
    public var kind: Kind
    /// The sequence number of the first record concerned.
    public var sequence: Int64
    /// What is wrong, for people (no record contents).
    public var detail: String

    /// Creates a problem.
    ///
    /// - Parameters:
    ///   - kind: the kind.
    ///   - sequence: the first record concerned.
    ///   - detail: what is wrong.
    public init(kind: Kind, sequence: Int64, detail: String) {
        self.kind = kind
        self.sequence = sequence
        self.detail = detail
    }

    /// `"record <sequence>: <kind>: <detail>"`.
    public var description: String { "record \(sequence): \(kind): \(detail)" }
}

/// What verification found.
public struct AuditVerificationReport: Hashable, Sendable {
    /// Records with their bytes present.
    public var recordCount: Int
    /// Records whose bytes retention removed.
    public var tombstoneCount: Int
    /// Checkpoints checked.
    public var checkpointCount: Int
    /// The first and last sequence numbers present (0 when the log is empty).
    public var firstSequence: Int64
    /// The last sequence number present.
    public var lastSequence: Int64
    /// The sequence the chain continues from after retention (0 when nothing was removed
    /// from the start).
    public var anchorSequence: Int64
    /// The last record a checkpoint covers.
    public var lastCheckpointSequence: Int64
    /// Whether checkpoint signatures were checked (keys were given).
    public var signaturesChecked: Bool
    /// The problems, lowest sequence first (at most the verifier's limit).
    public var problems: [AuditProblem]

    /// The first bad record's problem, or `nil` when the log verifies.
    public var firstProblem: AuditProblem? { problems.first }

    /// Whether the log verifies.
    public var isValid: Bool { problems.isEmpty }

    /// Records after the last checkpoint: chained, but a truncation of them could not be
    /// told from a log that ended there.
    public var uncheckpointedCount: Int64 { max(0, lastSequence - max(lastCheckpointSequence, anchorSequence)) }
}

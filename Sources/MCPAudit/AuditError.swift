// MCPAudit: an attributed, tamper-evident, retained audit trail.
//
// - `AuditEvent`: who did what, the decision, the findings and the outcome of one call,
//   with a documented canonical byte encoding (`canonicalBytes`).
// - `AuditLog`: an append-only log in SQLite (WAL) with a group-commit writer that runs
//   inside `run()` or a `withAuditLog { }` scope; durability modes `acknowledged`,
//   `async` and `failClosed`.
// - Tamper evidence: each record stores SHA-256(previous hash || record bytes); signed
//   checkpoints (`AuditSigner`, any MCPCrypto `SigningKey`); `AuditVerifier` names the
//   first bad record.
// - Retention (`AuditRetentionPolicy`): removed records leave tombstones or a signed
//   anchor, and the removal is itself a record in the chain.
// - Query (`AuditQuery`) with JSON Lines and CSV output (`AuditExportFormat`); export
//   sinks (`AuditSink`): a JSON Lines file and RFC 5424 syslog over UDP or TCP.
// - `AuditError`: one error type with a stable code; descriptions never carry argument
//   values, tokens or keys.

/// An error raised by the audit log, its verifier, its query or its sinks.
///
/// Two errors are equal when their codes are equal; the message is for people and never
/// contains event contents, argument values, tokens or keys.
///
/// ```swift
/// do {
///     try await log.append(event)
/// } catch let error as AuditError where error.code == .unavailable {
///     // fail the call: the audit store cannot write
/// }
/// ```
public struct AuditError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure, safe to use as a metric label.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case invalidEvent
            case invalidConfiguration
            case unavailable
            case storeFailure
            case queueFull
            case closed
            case signingFailed
            case invalidKey
            case sinkFailure
            case invalidQuery
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// An event (or its JSON form) is malformed or exceeds a configured bound.
        public static let invalidEvent = Code(.invalidEvent)

        /// A configuration value is out of range.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        /// The log is unhealthy (in ``AuditDurability/failClosed`` mode) and refuses
        /// appends until the store can write again.
        public static let unavailable = Code(.unavailable)

        /// The store failed to read or write (disk, permissions, a removed file).
        public static let storeFailure = Code(.storeFailure)

        /// A bounded queue was full and the event or record was not accepted.
        public static let queueFull = Code(.queueFull)

        /// The log or sink is not running (not started yet or shut down).
        public static let closed = Code(.closed)

        /// A checkpoint or anchor could not be signed.
        public static let signingFailed = Code(.signingFailed)

        /// A key is malformed or unknown.
        public static let invalidKey = Code(.invalidKey)

        /// An export sink could not deliver records.
        public static let sinkFailure = Code(.sinkFailure)

        /// A query's filters are malformed or out of range.
        public static let invalidQuery = Code(.invalidQuery)

        /// The code's stable name, such as `unavailable`.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code

    /// What went wrong, for people; never contains event contents or secrets.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what went wrong; must not contain event contents or secrets.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// `"AuditError.<code>: <message>"`.
    public var description: String { "AuditError.\(code): \(message)" }

    /// Whether two errors have the same code; messages are not compared.
    ///
    /// - Parameters:
    ///   - lhs: an error.
    ///   - rhs: another error.
    /// - Returns: `true` when the codes are equal.
    public static func == (lhs: AuditError, rhs: AuditError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with ``==(_:_:)``.
    ///
    /// - Parameter hasher: the hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

// MCPStore: the gateway's thin layer over SQLite, for the audit log, OAuth state and the
// credential vault (one file per concern under a data directory, in WAL mode).
//
// - `Database`: a `Sendable` handle over one connection, with scoped `read { }` and
//   `write { }` access; `write` runs in a transaction rolled back when its body throws.
// - `DatabaseConnection`: statements with typed arguments (`StatementArguments`,
//   `DatabaseValue`, `DatabaseValueConvertible`), rows (`Row`, `RowCursor`),
//   transactions and savepoints, scripts, WAL checkpoints; statements are cached and
//   finalized when released.
// - `DatabaseMigrator`: named migrations recorded in `mcp_migrations`, each in its own
//   transaction; a database with migrations this code does not know is refused.
// - `SQLExecutor` and `SQLDatabase`: the calling shape another backend can adopt.
// - `StoreError`: one error type with a stable code; its description names the SQL but
//   never the bound arguments.

internal import Synchronization

/// A database that many threads and tasks can use: one SQLite connection behind a lock.
///
/// Each ``read(_:)`` and ``write(_:_:)`` holds the lock for the length of its closure, so
/// calls through one `Database` run one at a time and each sees the effects of the last.
/// They block the calling thread, for as long as SQLite takes (and, in a write, up to the
/// busy timeout while another process or `Database` holds the write lock): keep closures
/// short and batch many small writes in one call, as a group-commit writer does.
///
/// With WAL, a second `Database` on the same file (for instance read-only) gives readers
/// that never wait behind a write: they see the last committed state.
///
/// ```swift
/// let database = try Database(
///     configuration: DatabaseConfiguration(.file(directory + "/audit.sqlite")),
///     migrator: DatabaseMigrator([Migration("1-events", sql: "CREATE TABLE events (body BLOB NOT NULL)")])
/// )
/// try database.write { db in
///     for body in batch {
///         try db.execute(sql: "INSERT INTO events (body) VALUES (?)", arguments: [body])
///     }
/// }
/// let count = try database.read { db in try db.scalar(sql: "SELECT count(*) FROM events", as: Int.self) }
/// ```
///
/// Do not call back into the same `Database` from inside one of its closures: the lock is
/// not reentrant. Use the connection the closure receives.
public final class Database: Sendable {
    /// The settings the database was opened with.
    public let configuration: DatabaseConfiguration

    // Safe without checking: the connection is touched only inside `lock.withLock`, and
    // the closures that receive it are not escaping, so no other thread can use it at the
    // same time. (Holding it inside the Mutex would make the compiler forbid passing it
    // to caller closures at all.)
    private nonisolated(unsafe) let connection: DatabaseConnection
    private let lock = Mutex(())

    /// Opens a database and, when a migrator is given, brings its schema up to date.
    ///
    /// - Parameters:
    ///   - configuration: where the database lives and how to open it.
    ///   - migrator: the migrations to apply before the database is handed out, if any.
    /// - Throws: ``StoreError`` from opening (see
    ///   ``DatabaseConnection/init(configuration:)``) or from migrating (see
    ///   ``DatabaseMigrator/migrate(_:)-(DatabaseConnection)``), notably
    ///   ``StoreError/Code/schemaTooNew`` when a newer version wrote the database.
    public init(configuration: DatabaseConfiguration, migrator: DatabaseMigrator? = nil) throws(StoreError) {
        self.configuration = configuration
        self.connection = try DatabaseConnection(configuration: configuration)
        if let migrator {
            try migrator.migrate(connection)
        }
    }

    /// Runs `body` in a deferred transaction, which sees one consistent state of the
    /// database, and refuses statements that write.
    ///
    /// - Parameter body: the reads.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, including ``StoreError`` with
    ///   ``StoreError/Code/readOnly`` for a statement that would write.
    public func read<Result>(_ body: (DatabaseConnection) throws -> Result) throws -> Result {
        try locked {
            try connection.refusingWrites {
                try connection.transaction(.deferred) { try body(connection) }
            }
        }
    }

    /// Runs `body` in a transaction that commits when `body` returns and rolls back when it
    /// throws.
    ///
    /// - Parameters:
    ///   - kind: when the transaction takes the write lock; ``TransactionKind/immediate``
    ///     (the default) waits for it up front, so no statement inside fails for lack of it.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, after rolling back; ``StoreError`` when the
    ///   transaction cannot begin (``StoreError/Code/busy`` past the busy timeout,
    ///   ``StoreError/Code/readOnly``) or commit.
    public func write<Result>(
        _ kind: TransactionKind = .immediate,
        _ body: (DatabaseConnection) throws -> Result
    ) throws -> Result {
        try locked {
            try connection.transaction(kind) { try body(connection) }
        }
    }

    /// Runs `body` with the connection outside any transaction, for what cannot run in
    /// one: checkpoints, `VACUUM`, some pragmas.
    ///
    /// - Parameter body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public func withConnection<Result, Failure: Error>(
        _ body: (DatabaseConnection) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        try lock.withLock { _ throws(Failure) in try body(connection) }
    }

    /// Runs `body` under the lock. The result travels out through a local variable:
    /// `Mutex.withLock` wants a result it can prove is disconnected from the closure, which
    /// it cannot for one built inside nested generic closures.
    private func locked<Result>(_ body: () throws -> Result) throws -> Result {
        var outcome: Result?
        try lock.withLock { _ in
            outcome = try body()
        }
        guard let outcome else { preconditionFailure("withLock returned without running its body") }
        return outcome
    }

    /// Copies committed pages from the write-ahead log into the database file.
    ///
    /// - Parameter mode: how far to go.
    /// - Returns: the log's size and how much of it reached the database file.
    /// - Throws: ``StoreError``, as ``DatabaseConnection/checkpoint(_:)`` does.
    @discardableResult
    public func checkpoint(_ mode: CheckpointMode = .passive) throws(StoreError) -> CheckpointResult {
        try lock.withLock { _ throws(StoreError) in try connection.checkpoint(mode) }
    }
}

/// The calls a store needs to run simple SQL, so that another backend (a PostgreSQL
/// connection for gateways that share state) can stand behind the same code.
///
/// The protocol shares the calling shape, not the SQL: parameter markers, types and
/// functions differ between databases, so code written against it keeps its SQL to what
/// every backend it targets accepts. ``DatabaseConnection`` conforms.
public protocol SQLExecutor {
    /// Runs one statement, discarding any rows.
    ///
    /// - Parameters:
    ///   - sql: one statement.
    ///   - arguments: the values for its parameters.
    /// - Throws: ``StoreError``, with constraint violations mapped to their codes.
    func execute(sql: String, arguments: StatementArguments) throws(StoreError)

    /// Runs a query and returns its rows.
    ///
    /// - Parameters:
    ///   - sql: one statement.
    ///   - arguments: the values for its parameters.
    /// - Returns: the rows.
    /// - Throws: ``StoreError``.
    func query(sql: String, arguments: StatementArguments) throws(StoreError) -> [Row]

    /// Runs `body` atomically: committed when it returns, rolled back when it throws;
    /// nested calls nest (as savepoints).
    ///
    /// - Parameters:
    ///   - kind: when the write lock is taken; a backend with finer locking may treat all
    ///     kinds alike, since each gives all-or-nothing.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or ``StoreError`` when the transaction cannot begin or
    ///   commit.
    func transaction<Result>(_ kind: TransactionKind, _ body: () throws -> Result) throws -> Result
}

/// A `Sendable` database handle that hands out an ``SQLExecutor`` for scoped reads and
/// writes. ``Database`` conforms.
public protocol SQLDatabase: Sendable {
    /// The executor the closures receive.
    associatedtype Executor: SQLExecutor

    /// Runs `body` with a consistent view of the database, refusing writes.
    ///
    /// - Parameter body: the reads.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or ``StoreError``.
    func read<Result>(_ body: (Executor) throws -> Result) throws -> Result

    /// Runs `body` in a transaction, committed when it returns and rolled back when it
    /// throws.
    ///
    /// - Parameters:
    ///   - kind: when the write lock is taken.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, or ``StoreError``.
    func write<Result>(_ kind: TransactionKind, _ body: (Executor) throws -> Result) throws -> Result
}

extension DatabaseConnection: SQLExecutor {}

extension Database: SQLDatabase {}

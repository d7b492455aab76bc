import Synchronization

/// A database that many tasks may use at once: one connection behind a lock.
///
/// SQLite serializes writers anyway; one connection per database file keeps the
/// statement cache warm and makes every call's effect visible to the next. Open a second
/// ``Database`` on the same file for a reader that must not wait behind writes (WAL lets
/// it read the last committed state while a write is in progress).
///
/// ```swift
/// let database = try Database(DatabaseConfiguration(location: .file(path)))
/// try database.write { db in
///     try db.execute("INSERT INTO events(body) VALUES (?)", [body])
/// }
/// ```
public final class Database: @unchecked Sendable {
    // @unchecked Sendable: the connection is used only while `lock` is held, and the
    // closures that receive it do not escape.
    private let connection: DatabaseConnection
    private let lock = Mutex(())

    /// Opens a database.
    ///
    /// - Parameter configuration: where and how.
    /// - Throws: ``StoreError`` with ``StoreError/Code/cannotOpen`` when the file cannot be
    ///   opened or created (a missing directory, no permission, not a database).
    public init(_ configuration: DatabaseConfiguration) throws(StoreError) {
        connection = try DatabaseConnection(configuration)
    }

    /// Runs `body` with the connection, outside any transaction of its own.
    ///
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    public func withConnection<Result: Sendable>(_ body: (DatabaseConnection) throws -> Result) throws -> Result {
        try lock.withLock { _ in try body(connection) }
    }

    /// Runs `body` in a deferred transaction, for reads that must see one consistent state.
    public func read<Result: Sendable>(_ body: (DatabaseConnection) throws -> Result) throws -> Result {
        try lock.withLock { _ in try connection.transaction(.deferred) { try body(connection) } }
    }

    /// Runs `body` in an immediate transaction: committed when it returns, rolled back when
    /// it throws.
    public func write<Result: Sendable>(_ body: (DatabaseConnection) throws -> Result) throws -> Result {
        try lock.withLock { _ in try connection.transaction(.immediate) { try body(connection) } }
    }
}

/// Brings a database's schema up to date, one recorded migration at a time.
///
/// Each migration runs in its own immediate transaction together with the row that
/// records it in `mcp_migrations`, so a failed migration leaves the database as it was
/// before it, and running the migrator again applies only what is missing. A database
/// that has applied migrations this code does not know was written by a newer version;
/// the migrator refuses it rather than let old code misread a newer schema.
///
/// ```swift
/// let migrator = DatabaseMigrator([
///     Migration("1-create-grants", sql: "CREATE TABLE grants (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL)"),
///     Migration("2-index-expiry", sql: "CREATE INDEX grants_expiry ON grants (expires_at)"),
/// ])
/// let database = try Database(configuration: configuration, migrator: migrator)
/// ```
public struct DatabaseMigrator: Sendable {
    /// The table that records applied migrations: `name TEXT PRIMARY KEY`, `applied_at TEXT`
    /// (UTC, ISO 8601).
    public static let tableName = "mcp_migrations"

    /// The migrations, in the order they apply.
    public let migrations: [Migration]

    /// Creates a migrator.
    ///
    /// - Parameter migrations: the migrations in order; their names must be unique (a
    ///   repeated name is a programming error and traps).
    public init(_ migrations: [Migration]) {
        var names = Set<String>()
        for migration in migrations {
            precondition(names.insert(migration.name).inserted, "two migrations are named \(migration.name)")
        }
        self.migrations = migrations
    }

    /// The names of the migrations a database has applied, in the order they were applied.
    ///
    /// - Parameter connection: a connection to the database.
    /// - Returns: the names; empty when the database has no migrations table.
    /// - Throws: ``StoreError`` when the table cannot be read.
    public func appliedMigrations(_ connection: DatabaseConnection) throws(StoreError) -> [String] {
        let exists = try connection.scalar(
            sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
            arguments: [Self.tableName],
            as: Int.self
        )
        guard exists == 1 else { return [] }
        return try connection.query(sql: "SELECT name FROM \(Self.tableName) ORDER BY rowid").map {
            row throws(StoreError) in try row.value(at: 0, as: String.self)
        }
    }

    /// Applies the migrations a database lacks, each in its own transaction.
    ///
    /// Call it outside a transaction (inside one, migrations become savepoints and commit
    /// with the outer transaction). Safe to run from several processes at once: each
    /// migration checks again, under the write lock, that no one applied it meanwhile.
    ///
    /// - Parameter connection: a connection to the database.
    /// - Returns: the names of the migrations applied by this call, in order; empty when
    ///   the schema was up to date.
    /// - Throws: ``StoreError`` with ``StoreError/Code/schemaTooNew`` when the database has
    ///   migrations this migrator does not know, ``StoreError/Code/readOnly`` when
    ///   migrations are missing but the connection is read-only, or
    ///   ``StoreError/Code/migrationFailed`` when a migration fails (its message names the
    ///   migration and the underlying failure; earlier migrations stay applied).
    @discardableResult
    public func migrate(_ connection: DatabaseConnection) throws(StoreError) -> [String] {
        let applied = try appliedMigrations(connection)
        let known = Set(migrations.map(\.name))
        let unknown = applied.filter { !known.contains($0) }
        guard unknown.isEmpty else {
            throw StoreError(
                .schemaTooNew,
                message: "the database has migrations this version does not know (\(unknown.joined(separator: ", "))); "
                    + "a newer version wrote it"
            )
        }
        let appliedSet = Set(applied)
        let pending = migrations.filter { !appliedSet.contains($0.name) }
        guard !pending.isEmpty else { return [] }
        guard !connection.configuration.isReadOnly else {
            throw StoreError(
                .readOnly,
                message: "\(pending.count) migration(s) missing but the database is open read-only"
            )
        }
        try connection.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS \(Self.tableName) (
                    name TEXT PRIMARY KEY NOT NULL,
                    applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                )
                """
        )
        var done: [String] = []
        for migration in pending {
            do {
                let ran = try connection.transaction(.immediate) {
                    let recorded = try connection.scalar(
                        sql: "SELECT count(*) FROM \(Self.tableName) WHERE name = ?",
                        arguments: [migration.name],
                        as: Int.self
                    )
                    guard recorded == 0 else { return false }
                    try migration.apply(to: connection)
                    try connection.execute(
                        sql: "INSERT INTO \(Self.tableName) (name) VALUES (?)",
                        arguments: [migration.name]
                    )
                    return true
                }
                if ran {
                    done.append(migration.name)
                }
            } catch let error as StoreError {
                throw StoreError(
                    .migrationFailed,
                    message: "migration \(migration.name) failed: \(error.message) (\(error.code))",
                    resultCode: error.resultCode,
                    sql: error.sql
                )
            } catch {
                throw StoreError(.migrationFailed, message: "migration \(migration.name) failed: \(error)")
            }
        }
        return done
    }

    /// Applies the migrations a database lacks, each in its own transaction.
    ///
    /// - Parameter database: the database.
    /// - Returns: the names of the migrations applied by this call, in order.
    /// - Throws: ``StoreError`` as ``migrate(_:)-(DatabaseConnection)`` does.
    @discardableResult
    public func migrate(_ database: Database) throws(StoreError) -> [String] {
        try database.withConnection { connection throws(StoreError) in try migrate(connection) }
    }
}

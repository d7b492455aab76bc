/// One step of a database's schema, applied once.
public struct Migration: Sendable {
    /// The step's unique name, recorded once applied; never rename an applied step.
    public let name: String
    private let apply: @Sendable (DatabaseConnection) throws -> Void

    /// A step made of SQL statements.
    ///
    /// - Parameters:
    ///   - name: the unique name.
    ///   - sql: statements separated by semicolons.
    public init(_ name: String, sql: String) {
        self.name = name
        self.apply = { connection in try connection.executeScript(sql) }
    }

    /// A step made of code.
    ///
    /// - Parameters:
    ///   - name: the unique name.
    ///   - body: the work, run in the step's transaction.
    public init(_ name: String, _ body: @escaping @Sendable (DatabaseConnection) throws -> Void) {
        self.name = name
        self.apply = body
    }

    func run(on connection: DatabaseConnection) throws { try apply(connection) }
}

/// Brings a database's schema up to date, one recorded step at a time.
///
/// Each step runs in its own transaction and is recorded in `mcp_migrations` with it, so a
/// failed step leaves the database as it was before that step, and running the migrator
/// again applies only what is missing. A database that has steps this code does not know
/// was written by a newer version, and is refused rather than used with a schema the code
/// cannot read.
public struct Migrator: Sendable {
    /// The steps, in order.
    public let migrations: [Migration]

    /// Creates a migrator.
    ///
    /// - Parameter migrations: the steps in order; names must be unique.
    public init(_ migrations: [Migration]) {
        precondition(Set(migrations.map(\.name)).count == migrations.count, "migration names must be unique")
        self.migrations = migrations
    }

    /// Applies the missing steps.
    ///
    /// - Parameter database: the database.
    /// - Returns: the names of the steps applied now.
    /// - Throws: ``StoreError`` with ``StoreError/Code/schemaTooNew`` or
    ///   ``StoreError/Code/migrationFailed``.
    @discardableResult
    public func migrate(_ database: Database) throws -> [String] {
        try database.withConnection { connection in
            try connection.executeScript(
                "CREATE TABLE IF NOT EXISTS mcp_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at INTEGER NOT NULL)")
            let applied = Set(try connection.query("SELECT name FROM mcp_migrations").map { try $0.get(0, as: String.self) })
            let known = Set(migrations.map(\.name))
            let unknown = applied.subtracting(known)
            guard unknown.isEmpty else {
                throw StoreError(
                    .schemaTooNew,
                    message: "the database has \(unknown.count) migration(s) this version does not know, such as \(unknown.sorted()[0])")
            }
            var done: [String] = []
            for migration in migrations where !applied.contains(migration.name) {
                do {
                    try connection.transaction(.immediate) {
                        try migration.run(on: connection)
                        try connection.execute(
                            "INSERT INTO mcp_migrations (name, applied_at) VALUES (?, CAST(strftime('%s','now') AS INTEGER))",
                            [migration.name])
                    }
                } catch {
                    throw StoreError(.migrationFailed, message: "migration \(migration.name) failed: \(error)")
                }
                done.append(migration.name)
            }
            return done
        }
    }
}

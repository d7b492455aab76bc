/// One named step of a database's schema, applied once and recorded.
///
/// Never rename or change a migration once it has shipped: add a new one.
public struct Migration: Sendable {
    /// The migration's name, unique within a ``DatabaseMigrator`` and recorded in
    /// `mcp_migrations` once applied.
    public let name: String

    private let body: @Sendable (DatabaseConnection) throws -> Void

    /// A migration made of SQL statements.
    ///
    /// - Parameters:
    ///   - name: the unique name, such as `"2025-06-01-create-events"`.
    ///   - sql: statements separated by semicolons, run with
    ///     ``DatabaseConnection/executeScript(sql:)``.
    public init(_ name: String, sql: String) {
        self.name = name
        self.body = { connection in try connection.executeScript(sql: sql) }
    }

    /// A migration made of code, for changes SQL alone cannot express (rewriting rows,
    /// say).
    ///
    /// - Parameters:
    ///   - name: the unique name.
    ///   - body: the work, run inside the migration's transaction.
    public init(_ name: String, body: @escaping @Sendable (DatabaseConnection) throws -> Void) {
        self.name = name
        self.body = body
    }

    /// Runs the migration's work on a connection, inside the caller's transaction.
    ///
    /// - Parameter connection: the connection.
    /// - Throws: what the work throws.
    func apply(to connection: DatabaseConnection) throws {
        try body(connection)
    }
}

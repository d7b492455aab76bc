import MCPStore
import Testing

@Suite("Migrations")
struct MigrationTests {
    private let first = Migration("1-create-events", sql: "CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT)")
    private let second = Migration("2-seed") { db in
        try db.execute(sql: "INSERT INTO events (body) VALUES (?)", arguments: ["seed"])
    }
    private let third = Migration("3-index", sql: "CREATE INDEX events_body ON events (body)")

    @Test("migrations apply once, in order, and a re-run is a no-op")
    func applyOnce() throws {
        let directory = try TemporaryDirectory()
        let migrator = DatabaseMigrator([first, second])
        let database = try Database(configuration: directory.configuration())
        #expect(try migrator.migrate(database) == ["1-create-events", "2-seed"])
        #expect(try migrator.migrate(database) == [])
        let reopened = try Database(configuration: directory.configuration(), migrator: migrator)
        let recorded = try reopened.read { db in
            try db.query(sql: "SELECT name, applied_at FROM mcp_migrations ORDER BY rowid")
        }
        #expect(try recorded.map { try $0.value(named: "name", as: String.self) } == ["1-create-events", "2-seed"])
        #expect(try recorded[0].value(named: "applied_at", as: String.self).hasSuffix("Z"))
        #expect(try reopened.read { db in try db.scalar(sql: "SELECT count(*) FROM events", as: Int.self) } == 1)

        let extended = DatabaseMigrator([first, second, third])
        #expect(try extended.migrate(reopened) == ["3-index"])
        let applied = try reopened.withConnection { db throws(StoreError) in try extended.appliedMigrations(db) }
        #expect(applied == ["1-create-events", "2-seed", "3-index"])
        #expect(DatabaseMigrator.tableName == "mcp_migrations")
    }

    @Test("a database with a migration this code does not know is refused")
    func newerSchemaRefused() throws {
        let directory = try TemporaryDirectory()
        _ = try Database(configuration: directory.configuration(), migrator: DatabaseMigrator([first, second, third]))
        do {
            _ = try Database(configuration: directory.configuration(), migrator: DatabaseMigrator([first, second]))
            Issue.record("an older migrator opened a newer database")
        } catch {
            #expect(error.code == .schemaTooNew)
            #expect(error.message.contains("3-index"))
        }
        // Nothing was changed by the refusal.
        let database = try Database(configuration: directory.configuration())
        let applied = try database.withConnection { db throws(StoreError) in
            try DatabaseMigrator([]).appliedMigrations(db)
        }
        #expect(applied.count == 3)
    }

    @Test("a failing migration rolls back alone and names itself")
    func failureRollsBack() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(configuration: directory.configuration())
        let broken = Migration("3-broken", sql: "CREATE TABLE half (a INTEGER); NOT SQL")
        do {
            try DatabaseMigrator([first, second, broken]).migrate(database)
            Issue.record("a broken migration succeeded")
        } catch {
            #expect(error.code == .migrationFailed)
            #expect(error.message.contains("3-broken"))
            #expect(error.message.contains("syntax error"))
        }
        let state = try database.read { db in
            (
                try db.scalar(sql: "SELECT count(*) FROM sqlite_master WHERE name = 'half'", as: Int.self),
                try DatabaseMigrator([]).appliedMigrations(db)
            )
        }
        #expect(state.0 == 0)
        #expect(state.1 == ["1-create-events", "2-seed"])

        let failing = Migration("3-throws") { db in
            try db.execute(sql: "CREATE TABLE half (a INTEGER)")
            throw Abort()
        }
        expectStoreError(.migrationFailed) { try DatabaseMigrator([first, second, failing]).migrate(database) }
        let fixed = Migration("3-fixed", sql: "CREATE TABLE half (a INTEGER)")
        #expect(try DatabaseMigrator([first, second, fixed]).migrate(database) == ["3-fixed"])
    }

    @Test("a read-only connection checks migrations but cannot apply them")
    func readOnly() throws {
        let directory = try TemporaryDirectory()
        _ = try Database(configuration: directory.configuration(), migrator: DatabaseMigrator([first]))
        let reader = try Database(
            configuration: directory.configuration(isReadOnly: true), migrator: DatabaseMigrator([first]))
        #expect(try reader.read { db in try db.scalar(sql: "SELECT count(*) FROM events", as: Int.self) } == 0)
        expectStoreError(.readOnly) {
            try Database(
                configuration: directory.configuration(isReadOnly: true), migrator: DatabaseMigrator([first, second]))
        }
        expectStoreError(.schemaTooNew) {
            try Database(configuration: directory.configuration(isReadOnly: true), migrator: DatabaseMigrator([]))
        }
    }

    @Test("a database without the migrations table has applied nothing")
    func emptyDatabase() throws {
        let connection = try DatabaseConnection(configuration: DatabaseConfiguration(.inMemory))
        #expect(try DatabaseMigrator([first]).appliedMigrations(connection) == [])
        #expect(try DatabaseMigrator([]).migrate(connection) == [])
        #expect(try DatabaseMigrator([first]).migrate(connection) == ["1-create-events"])
    }

    @Test("two migrations with one name are a programming error")
    func duplicateNames() async {
        await #expect(processExitsWith: .failure) {
            _ = DatabaseMigrator([Migration("same", sql: "SELECT 1"), Migration("same", sql: "SELECT 2")])
        }
    }
}

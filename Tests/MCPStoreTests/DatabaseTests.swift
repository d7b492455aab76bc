import Foundation
import Synchronization
import Testing

@testable import MCPStore

@Suite("Database")
struct DatabaseTests {
    private func open(_ directory: TemporaryDirectory, _ name: String = "test.sqlite", readOnly: Bool = false) throws -> Database {
        try Database(DatabaseConfiguration(location: .file(directory.file(name)), readOnly: readOnly, busyTimeout: .milliseconds(200)))
    }

    @Test func opensInWALModeAndRoundTripsEveryType() throws {
        let directory = try TemporaryDirectory()
        let database = try open(directory)
        try database.withConnection { db in
            #expect(try db.journalMode() == "wal")
            try db.executeScript("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
            let values: [(any DatabaseValueConvertible)] = [Int64.max, 1.5, "grüße\u{0}nul", [UInt8](), nil as String?]
            try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", StatementArguments(values))
            try db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [Int64.min, -0.25, "", [0, 255, 7] as [UInt8], "x"])
            let rows = try db.query("SELECT i, r, s, b, n FROM t ORDER BY rowid")
            #expect(rows.count == 2)
            #expect(try rows[0].get("i", as: Int64.self) == .max)
            #expect(try rows[0].get("r", as: Double.self) == 1.5)
            #expect(try rows[0].get("s", as: String.self) == "grüße\u{0}nul")
            #expect(rows[0]["b"] == .blob([]))
            #expect(rows[0]["n"] == .null)
            #expect(try rows[0].get("n", as: String?.self) == nil)
            #expect(try rows[1].get(0, as: Int64.self) == .min)
            #expect(try rows[1].get(2, as: String.self) == "")
            #expect(try rows[1].get(3, as: [UInt8].self) == [0, 255, 7])
        }
    }

    @Test func namedArgumentsAndTypedErrors() throws {
        let database = try Database(DatabaseConfiguration(location: .inMemory))
        try database.withConnection { db in
            try db.executeScript("CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, age INTEGER CHECK (age >= 0))")
            try db.execute("INSERT INTO users (name, age) VALUES (:name, :age)", [":name": "ada", ":age": 36])
            #expect(db.lastInsertRowID == 1)
            #expect(db.changes == 1)
            #expect(try db.scalar("SELECT age FROM users WHERE name = ?", ["ada"], as: Int.self) == 36)
            #expect(try db.scalar("SELECT age FROM users WHERE name = ?", ["nobody"], as: Int.self) == nil)
            #expect(throws: StoreError(.typeMismatch, message: "")) { try db.scalar("SELECT name FROM users", as: Int.self) }
            #expect(throws: StoreError(.noSuchColumn, message: "")) { try db.query("SELECT name FROM users")[0].get("nope", as: String.self) }
            #expect(throws: StoreError(.uniqueViolation, message: "")) { try db.execute("INSERT INTO users (name) VALUES (?)", ["ada"]) }
            #expect(throws: StoreError(.notNullViolation, message: "")) { try db.execute("INSERT INTO users (age) VALUES (1)") }
            #expect(throws: StoreError(.checkViolation, message: "")) { try db.execute("INSERT INTO users (name, age) VALUES ('b', -1)") }
            #expect(throws: StoreError(.invalidSQL, message: "")) { try db.execute("SELEC 1") }
            #expect(throws: StoreError(.invalidSQL, message: "")) { try db.execute("SELECT ?", []) }
            #expect(throws: StoreError(.invalidSQL, message: "")) { try db.execute("SELECT 1; SELECT 2") }
        }
    }

    @Test func foreignKeysAreEnforced() throws {
        let database = try Database(DatabaseConfiguration(location: .inMemory))
        try database.withConnection { db in
            try db.executeScript("CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE b (a_id INTEGER REFERENCES a(id))")
            #expect(throws: StoreError(.foreignKeyViolation, message: "")) { try db.execute("INSERT INTO b VALUES (42)") }
        }
    }

    @Test func errorsNeverCarryBoundValues() throws {
        let database = try Database(DatabaseConfiguration(location: .inMemory))
        let secret = "sk-live-0123456789abcdef"
        try database.withConnection { db in
            try db.executeScript("CREATE TABLE tokens (value TEXT UNIQUE)")
            try db.execute("INSERT INTO tokens VALUES (?)", [secret])
            do {
                try db.execute("INSERT INTO tokens VALUES (?)", [secret])
                Issue.record("a duplicate was accepted")
            } catch let error as StoreError {
                #expect(error.code == .uniqueViolation)
                #expect(error.primaryResultCode == 19)
                #expect(!error.description.contains(secret))
                #expect(error.description.contains("INSERT INTO tokens"))
            }
        }
    }

    @Test func transactionsCommitAndRollBack() throws {
        struct Abort: Error {}
        let database = try Database(DatabaseConfiguration(location: .inMemory))
        try database.write { db in try db.executeScript("CREATE TABLE t (v INTEGER)") }
        try database.write { db in try db.execute("INSERT INTO t VALUES (1)") }
        #expect(throws: Abort.self) {
            try database.write { db in
                try db.execute("INSERT INTO t VALUES (2)")
                throw Abort()
            }
        }
        try database.write { db in
            try db.execute("INSERT INTO t VALUES (3)")
            // A nested failure rolls back only the inner work.
            try? db.transaction {
                try db.execute("INSERT INTO t VALUES (4)")
                throw Abort()
            }
            try db.transaction { try db.execute("INSERT INTO t VALUES (5)") }
        }
        let values = try database.read { db in try db.query("SELECT v FROM t ORDER BY v").map { try $0.get(0, as: Int.self) } }
        #expect(values == [1, 3, 5])
        try database.withConnection { db throws in #expect(!db.isInTransaction) }
    }

    @Test func migrationsApplyOnceAndRefuseANewerSchema() throws {
        let directory = try TemporaryDirectory()
        let first = Migrator([
            Migration("1-create", sql: "CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT)"),
            Migration("2-index") { db in try db.executeScript("CREATE INDEX events_body ON events(body)") },
        ])
        var database = try open(directory)
        #expect(try first.migrate(database) == ["1-create", "2-index"])
        #expect(try first.migrate(database) == [])

        let broken = Migrator(first.migrations + [Migration("3-broken", sql: "CREATE TABLE x (a); NOT SQL")])
        #expect(throws: StoreError(.migrationFailed, message: "")) { try broken.migrate(database) }
        // The failed step left nothing behind.
        try database.withConnection { db throws in
            #expect(try db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'x'", as: Int.self) == 0)
            #expect(try db.scalar("SELECT count(*) FROM mcp_migrations", as: Int.self) == 2)
        }

        let newer = Migrator(first.migrations + [Migration("3-add", sql: "ALTER TABLE events ADD COLUMN at INTEGER")])
        try newer.migrate(database)
        database = try open(directory)
        #expect(throws: StoreError(.schemaTooNew, message: "")) { try first.migrate(database) }
    }

    @Test func aReaderSeesCommittedDataWhileAWriterHoldsATransaction() async throws {
        let directory = try TemporaryDirectory()
        let writer = try open(directory)
        let reader = try open(directory)
        try writer.write { db in
            try db.executeScript("CREATE TABLE t (v INTEGER)")
            try db.execute("INSERT INTO t VALUES (1)")
        }
        try writer.write { db in
            try db.execute("INSERT INTO t VALUES (2)")
            // Mid-transaction: another connection reads the last committed state at once.
            let seen = try reader.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) }
            #expect(seen == 1)
        }
        #expect(try reader.read { db in try db.scalar("SELECT count(*) FROM t", as: Int.self) } == 2)
    }

    @Test func aSecondWriterGetsBusyAfterTheTimeout() throws {
        let directory = try TemporaryDirectory()
        let first = try open(directory)
        let second = try open(directory)
        try first.write { db in try db.executeScript("CREATE TABLE t (v INTEGER)") }
        try first.write { db in
            try db.execute("INSERT INTO t VALUES (1)")
            let start = ContinuousClock.now
            #expect(throws: StoreError(.busy, message: "")) {
                try second.write { db in try db.execute("INSERT INTO t VALUES (2)") }
            }
            #expect(ContinuousClock.now - start >= .milliseconds(150))
        }
    }

    @Test func manyTasksWritingThroughOneDatabaseLoseNothing() async throws {
        let directory = try TemporaryDirectory()
        let database = try open(directory)
        try database.write { db in try db.executeScript("CREATE TABLE t (task INTEGER, n INTEGER)") }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for n in 0..<100 {
                        try database.write { db in try db.execute("INSERT INTO t VALUES (?, ?)", [task, n]) }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try database.read { db in try db.scalar("SELECT count(DISTINCT task * 1000 + n) FROM t", as: Int.self) } == 800)
    }

    @Test func theStatementCacheIsBounded() throws {
        let database = try Database(DatabaseConfiguration(location: .inMemory, statementCacheSize: 4))
        try database.withConnection { db throws in
            for value in 0..<20 { _ = try db.scalar("SELECT \(value)", as: Int.self) }
            #expect(db.cachedStatementCount == 4)
        }
    }

    @Test func readOnlyRefusesWritesAndMissingDirectoriesFailToOpen() throws {
        let directory = try TemporaryDirectory()
        try open(directory).write { db in try db.executeScript("CREATE TABLE t (v INTEGER)") }
        let readOnly = try open(directory, readOnly: true)
        #expect(throws: StoreError(.readOnly, message: "")) {
            try readOnly.withConnection { db in try db.execute("INSERT INTO t VALUES (1)") }
        }
        #expect(throws: StoreError(.cannotOpen, message: "")) {
            try Database(DatabaseConfiguration(location: .file(directory.file("missing/dir/x.sqlite"))))
        }
        let garbage = directory.file("garbage.sqlite")
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: garbage))
        #expect(throws: StoreError.self) {
            let database = try Database(DatabaseConfiguration(location: .file(garbage)))
            try database.withConnection { db in _ = try db.query("SELECT * FROM sqlite_master") }
        }
    }

    @Test func checkpointMovesTheLogIntoTheDatabase() throws {
        let directory = try TemporaryDirectory()
        let database = try open(directory)
        try database.write { db in
            try db.executeScript("CREATE TABLE t (v BLOB)")
            for _ in 0..<50 { try db.execute("INSERT INTO t VALUES (?)", [[UInt8](repeating: 1, count: 4096)]) }
        }
        let result = try database.withConnection { db in try db.checkpoint(.truncate) }
        #expect(result.logPages == 0)
        let walSize = (try? FileManager.default.attributesOfItem(atPath: directory.file("test.sqlite-wal"))[.size] as? Int) ?? 0
        #expect(walSize == 0)
    }

    @Test func rowsStreamWithoutCollecting() throws {
        let database = try Database(DatabaseConfiguration(location: .inMemory))
        try database.withConnection { db in
            try db.executeScript("CREATE TABLE t (v INTEGER)")
            try db.transaction { for value in 0..<100 { try db.execute("INSERT INTO t VALUES (?)", [value]) } }
            var seen: [Int] = []
            try db.forEachRow("SELECT v FROM t ORDER BY v") { row in
                seen.append(try row.get(0, as: Int.self))
                return seen.count < 10
            }
            #expect(seen == Array(0..<10))
            // The statement was reset: it can run again.
            #expect(try db.query("SELECT v FROM t ORDER BY v").count == 100)
        }
    }
}

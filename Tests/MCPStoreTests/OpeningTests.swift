import Foundation
import MCPStore
import Testing

@Suite("Opening and closing")
struct OpeningTests {
    @Test("a new file is created, in WAL mode, and persists after closing")
    func createsFileInWALMode() throws {
        let directory = try TemporaryDirectory()
        do {
            let database = try Database(configuration: directory.configuration())
            try database.withConnection { db throws(StoreError) in
                #expect(try db.journalMode() == .wal)
                #expect(try db.scalar(sql: "PRAGMA journal_mode", as: String.self) == "wal")
                #expect(try db.scalar(sql: "PRAGMA foreign_keys", as: Bool.self) == true)
                #expect(try db.scalar(sql: "PRAGMA synchronous", as: Int.self) == 2)  // FULL
                #expect(try db.scalar(sql: "PRAGMA busy_timeout", as: Int.self) == 2000)
            }
            try database.write { db in
                try db.executeScript(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('kept');")
            }
        }
        #expect(FileManager.default.fileExists(atPath: directory.file("test.sqlite")))
        let reopened = try Database(configuration: directory.configuration())
        let body = try reopened.read { db in try db.scalar(sql: "SELECT body FROM notes", as: String.self) }
        #expect(body == "kept")
    }

    @Test("configuration: synchronous NORMAL, foreign keys off, another journal mode")
    func appliesConfiguration() throws {
        let directory = try TemporaryDirectory()
        var configuration = directory.configuration()
        configuration.synchronous = .normal
        configuration.enforcesForeignKeys = false
        configuration.journalMode = .delete
        configuration.busyTimeout = .milliseconds(1500)
        let connection = try DatabaseConnection(configuration: configuration)
        #expect(connection.configuration == configuration)
        #expect(try connection.journalMode() == .delete)
        #expect(try connection.scalar(sql: "PRAGMA synchronous", as: Int.self) == 1)  // NORMAL
        #expect(try connection.scalar(sql: "PRAGMA foreign_keys", as: Bool.self) == false)
        #expect(try connection.scalar(sql: "PRAGMA busy_timeout", as: Int.self) == 1500)
    }

    @Test("an in-memory database works and keeps its own journal mode")
    func inMemory() throws {
        let database = try Database(configuration: DatabaseConfiguration(.inMemory))
        try database.write { db in
            try db.execute(sql: "CREATE TABLE t (v INTEGER)")
            try db.execute(sql: "INSERT INTO t VALUES (1)")
        }
        let mode = try database.withConnection { db throws(StoreError) in try db.journalMode() }
        #expect(mode == .memory)
        #expect(try database.read { db in try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) } == 1)
    }

    @Test("a missing directory is reported clearly, and never created")
    func missingDirectory() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent/sub/test.sqlite")
        do {
            _ = try Database(configuration: DatabaseConfiguration(.file(path)))
            Issue.record("opened a database in a missing directory")
        } catch {
            #expect(error.code == .cannotOpen)
            #expect(error.message.contains(directory.file("absent/sub")))
            #expect(error.message.contains("does not exist"))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("absent")))
    }

    @Test("a directory path is refused when it names a file")
    func directoryIsAFile() throws {
        let directory = try TemporaryDirectory()
        #expect(FileManager.default.createFile(atPath: directory.file("plain"), contents: Data()))
        expectStoreError(.cannotOpen) {
            try DatabaseConnection(configuration: DatabaseConfiguration(.file(directory.file("plain/test.sqlite"))))
        }
    }

    @Test("an empty path is refused")
    func emptyPath() {
        expectStoreError(.cannotOpen) {
            try DatabaseConnection(configuration: DatabaseConfiguration(.file("")))
        }
    }

    @Test("a relative path's missing directory is reported")
    func relativeMissingDirectory() {
        expectStoreError(.cannotOpen) {
            try DatabaseConnection(configuration: DatabaseConfiguration(.file("no-such-dir-\(UUID())/x.sqlite")))
        }
    }

    @Test("without createsMissingFile a missing file is not created")
    func noCreate() throws {
        let directory = try TemporaryDirectory()
        var configuration = directory.configuration()
        configuration.createsMissingFile = false
        do {
            _ = try DatabaseConnection(configuration: configuration)
            Issue.record("opened a missing file")
        } catch {
            #expect(error.code == .cannotOpen)
            #expect(error.message.contains(directory.file("test.sqlite")))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("test.sqlite")))
    }

    @Test("a file that is not a database is reported as corrupt")
    func notADatabase() throws {
        let directory = try TemporaryDirectory()
        let junk = Data(repeating: 0x41, count: 4096)
        #expect(FileManager.default.createFile(atPath: directory.file("junk.sqlite"), contents: junk))
        expectStoreError(.corrupt) {
            try Database(configuration: directory.configuration("junk.sqlite"))
        }
    }

    @Test("a read-only database refuses writes but reads")
    func readOnlyRefusesWrites() throws {
        let directory = try TemporaryDirectory()
        let writer = try Database(configuration: directory.configuration())
        try writer.write { db in
            try db.executeScript(sql: "CREATE TABLE t (v INTEGER); INSERT INTO t VALUES (7);")
        }
        let reader = try Database(configuration: directory.configuration(isReadOnly: true))
        #expect(try reader.read { db in try db.scalar(sql: "SELECT v FROM t", as: Int.self) } == 7)
        expectStoreError(.readOnly) {
            try reader.write { db in try db.execute(sql: "INSERT INTO t VALUES (8)") }
        }
        expectStoreError(.readOnly) {
            try reader.withConnection { db throws(StoreError) in try db.execute(sql: "DELETE FROM t") }
        }
        #expect(try writer.read { db in try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) } == 1)
    }

    @Test("read-only open of a missing file fails and creates nothing")
    func readOnlyMissingFile() throws {
        let directory = try TemporaryDirectory()
        expectStoreError(.cannotOpen) {
            try DatabaseConnection(configuration: directory.configuration(isReadOnly: true))
        }
        #expect(!FileManager.default.fileExists(atPath: directory.file("test.sqlite")))
    }

    @Test("releasing a connection closes its file, so the directory can go")
    func closesOnRelease() throws {
        let directory = try TemporaryDirectory()
        weak var released: DatabaseConnection?
        do {
            let connection = try DatabaseConnection(configuration: directory.configuration())
            try connection.execute(sql: "CREATE TABLE t (v)")
            try connection.execute(sql: "INSERT INTO t VALUES (1)")
            released = connection
        }
        #expect(released == nil)
        // With every connection closed, SQLite checkpoints and removes the WAL files.
        #expect(!FileManager.default.fileExists(atPath: directory.file("test.sqlite-wal")))
        #expect(!FileManager.default.fileExists(atPath: directory.file("test.sqlite-shm")))
    }
}

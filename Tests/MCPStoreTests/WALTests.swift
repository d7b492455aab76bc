import MCPStore
import Testing

@Suite("Write-ahead log")
struct WALTests {
    @Test("checkpoints move the log into the file; TRUNCATE empties the log file")
    func checkpoints() throws {
        let directory = try TemporaryDirectory()
        let database = try Database(configuration: directory.configuration())
        try database.write { db in
            try db.execute(sql: "CREATE TABLE t (body BLOB)")
            for _ in 0..<50 {
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [[UInt8](repeating: 7, count: 4000)])
            }
        }
        #expect((directory.size(of: "test.sqlite-wal") ?? 0) > 0)

        let passive = try database.checkpoint()
        #expect(passive.logFrameCount > 0)
        #expect(passive.checkpointedFrameCount == passive.logFrameCount)

        try database.write { db in try db.execute(sql: "DELETE FROM t") }
        let full = try database.withConnection { db throws(StoreError) in try db.checkpoint(.full) }
        #expect(full.checkpointedFrameCount == full.logFrameCount)
        let restart = try database.checkpoint(.restart)
        #expect(restart.checkpointedFrameCount == restart.logFrameCount)

        let truncate = try database.checkpoint(.truncate)
        #expect(truncate.logFrameCount == 0)
        #expect(directory.size(of: "test.sqlite-wal") == 0)
        #expect(try database.read { db in try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) } == 0)
    }

    @Test("a full checkpoint waits for a writer on another handle and reports busy")
    func checkpointBusy() throws {
        let directory = try TemporaryDirectory()
        let writer = try Database(configuration: directory.configuration())
        let checkpointer = try Database(configuration: directory.configuration(busyTimeout: .milliseconds(100)))
        try writer.write { db in try db.execute(sql: "CREATE TABLE t (v INTEGER)") }
        try writer.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            expectStoreError(.busy) { try checkpointer.checkpoint(.full) }
            // A passive checkpoint never waits.
            _ = try checkpointer.checkpoint(.passive)
        }
    }

    @Test("checkpoint reports -1 frames outside WAL mode")
    func notWAL() throws {
        let directory = try TemporaryDirectory()
        var configuration = directory.configuration()
        configuration.journalMode = .truncate
        let connection = try DatabaseConnection(configuration: configuration)
        #expect(try connection.journalMode() == .truncate)
        #expect(try connection.checkpoint() == CheckpointResult(logFrameCount: -1, checkpointedFrameCount: -1))
    }

    @Test("every journal mode can be set and is reported back")
    func journalModes() throws {
        let directory = try TemporaryDirectory()
        let modes: [DatabaseConfiguration.JournalMode] = [.delete, .truncate, .persist, .memory, .off, .wal]
        for mode in modes {
            var configuration = directory.configuration("\(mode).sqlite")
            configuration.journalMode = mode
            let connection = try DatabaseConnection(configuration: configuration)
            #expect(try connection.journalMode() == mode)
        }
    }
}

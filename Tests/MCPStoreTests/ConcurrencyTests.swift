import Dispatch
import Foundation
import MCPStore
import Testing

@Suite("Concurrency")
struct ConcurrencyTests {
    private func createTable(_ database: Database) throws {
        try database.write { db in try db.execute(sql: "CREATE TABLE IF NOT EXISTS t (v INTEGER)") }
    }

    private func count(_ database: Database) throws -> Int? {
        try database.read { db in try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) }
    }

    @Test("with WAL, a reader sees committed data while a writer holds an open transaction")
    func readerDuringWrite() throws {
        let directory = try TemporaryDirectory()
        let writer = try Database(configuration: directory.configuration())
        let reader = try Database(configuration: directory.configuration(isReadOnly: true))
        try createTable(writer)
        try writer.write { db in try db.execute(sql: "INSERT INTO t VALUES (1)") }

        let start = ContinuousClock.now
        try writer.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (2)")
            #expect(try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) == 2)
            // The reader is not blocked and does not see the uncommitted row.
            #expect(try count(reader) == 1)
        }
        #expect(ContinuousClock.now - start < .seconds(1))
        #expect(try count(reader) == 2)
    }

    @Test("a second writer fails with busy after its busy timeout")
    func busyTimeoutExpires() throws {
        let directory = try TemporaryDirectory()
        let first = try Database(configuration: directory.configuration())
        let second = try Database(configuration: directory.configuration(busyTimeout: .milliseconds(300)))
        try createTable(first)
        try first.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            let start = ContinuousClock.now
            do {
                try second.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
                Issue.record("two writers held the write lock at once")
            } catch let error as StoreError {
                #expect(error.code == .busy)
                #expect(error.primaryResultCode == 5)  // SQLITE_BUSY
            }
            let waited = ContinuousClock.now - start
            #expect(waited >= .milliseconds(250))
            #expect(waited < .seconds(5))
        }
        #expect(try count(second) == 1)
    }

    @Test("a zero busy timeout fails at once")
    func zeroBusyTimeout() throws {
        let directory = try TemporaryDirectory()
        let first = try Database(configuration: directory.configuration())
        let second = try Database(configuration: directory.configuration(busyTimeout: .zero))
        try createTable(first)
        try first.write { _ in
            let start = ContinuousClock.now
            expectStoreError(.busy) { try second.write { _ in } }
            #expect(ContinuousClock.now - start < .milliseconds(200))
        }
    }

    @Test("a second writer waits within its busy timeout and then succeeds")
    func busyTimeoutWaits() throws {
        let directory = try TemporaryDirectory()
        let first = try Database(configuration: directory.configuration())
        let second = try Database(configuration: directory.configuration(busyTimeout: .seconds(20)))
        try createTable(first)
        let locked = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        let holder = Thread {
            try? first.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (1)")
                locked.signal()
                Thread.sleep(forTimeInterval: 0.3)
            }
            released.signal()
        }
        holder.start()
        locked.wait()
        let start = ContinuousClock.now
        try second.write { db in try db.execute(sql: "INSERT INTO t VALUES (2)") }
        let waited = ContinuousClock.now - start
        released.wait()
        #expect(waited >= .milliseconds(100))
        #expect(try count(second) == 2)
    }

    @Test("many tasks writing through one Database lose no rows")
    func concurrentWriters() async throws {
        let directory = try TemporaryDirectory()
        let database = try Database(configuration: directory.configuration())
        try createTable(database)
        let tasks = 16
        let rowsPerTask = 50
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<tasks {
                group.addTask {
                    for index in 0..<rowsPerTask {
                        try database.write { db in
                            try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [task * 1000 + index])
                        }
                    }
                }
            }
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<20 {
                        let seen = try count(database) ?? 0
                        #expect(seen <= tasks * rowsPerTask)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try count(database) == tasks * rowsPerTask)
        let distinct = try database.read { db in try db.scalar(sql: "SELECT count(DISTINCT v) FROM t", as: Int.self) }
        #expect(distinct == tasks * rowsPerTask)
    }

    @Test("threads writing through two Database handles on one file lose no rows")
    func twoHandlesManyThreads() throws {
        let directory = try TemporaryDirectory()
        let handles = [
            try Database(configuration: directory.configuration(busyTimeout: .seconds(30))),
            try Database(configuration: directory.configuration(busyTimeout: .seconds(30))),
        ]
        try createTable(handles[0])
        let group = DispatchGroup()
        let failures = FailureCount()
        for thread in 0..<4 {
            group.enter()
            Thread {
                defer { group.leave() }
                for index in 0..<50 {
                    do {
                        try handles[thread % 2].write { db in
                            try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [thread * 1000 + index])
                        }
                    } catch {
                        failures.increment()
                    }
                }
            }.start()
        }
        group.wait()
        #expect(failures.value == 0)
        #expect(try count(handles[1]) == 200)
    }
}

/// A counter threads can share.
private final class FailureCount: @unchecked Sendable {
    // @unchecked Sendable: `count` is only touched while `lock` is held.
    private let lock = NSLock()
    private var count = 0

    func increment() {
        lock.withLock { count += 1 }
    }

    var value: Int {
        lock.withLock { count }
    }
}

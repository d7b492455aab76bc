import Foundation
import MCPAudit
import MCPStore
import Synchronization
import Testing

@Suite("Durability modes and group commit")
struct DurabilityTests {
    @Test("acknowledged: append returns once the record can be read by another connection")
    func acknowledged() async throws {
        let directory = try TemporaryDirectory()
        try await AuditLog.withAuditLog(configuration: logConfiguration(directory)) { log in
            let sequence = try await log.append(sampleEvent(7))
            let reader = try AuditReader(path: directory.file("audit.sqlite"))
            let records = try reader.records(matching: AuditQuery())
            #expect(records.map(\.sequence) == [sequence!])
            #expect(records.first?.event == sampleEvent(7))
        }
    }

    @Test("16 concurrent appenders share transactions, and every sequence number is used once")
    func groupCommit() async throws {
        let directory = try TemporaryDirectory()
        let (sequences, health) = try await AuditLog.withAuditLog(configuration: logConfiguration(directory)) { log in
            let sequences = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for task in 0..<16 {
                    group.addTask {
                        var mine: [Int64] = []
                        for index in 0..<25 {
                            mine.append(try await log.append(sampleEvent(task * 100 + index, subject: "user-\(task)"))!)
                        }
                        return mine
                    }
                }
                var all: [Int64] = []
                for try await part in group { all += part }
                return all
            }
            return (sequences, log.health)
        }
        #expect(sequences.sorted() == Array(1...400))
        #expect(health.committedCount == 400)
        let database = try Database(
            configuration: DatabaseConfiguration(.file(directory.file("audit.sqlite")), isReadOnly: true))
        // Records of one batch share their commit time: fewer batches than records.
        let (subjects, batches) = try database.read { db in
            (
                try db.scalar(sql: "SELECT count(DISTINCT subject) FROM audit_records", as: Int.self),
                try db.scalar(sql: "SELECT count(DISTINCT recorded_at) FROM audit_records", as: Int.self)
            )
        }
        #expect(subjects == 16)
        #expect((batches ?? 400) < 400)
        #expect(try AuditVerifier().verify(path: directory.file("audit.sqlite")).isValid)
    }

    @Test("async: a full queue drops events, counts them and calls onDrop; queued ones are committed")
    func asyncOverflow() async throws {
        let directory = try TemporaryDirectory()
        let drops = Mutex(0)
        var configuration = logConfiguration(directory, durability: .async)
        configuration.queueCapacity = 10
        configuration.onDrop = { reason in
            #expect(reason == .queueFull)
            drops.withLock { $0 += 1 }
        }
        let log = try AuditLog(configuration: configuration)
        // The writer is not running yet, so the queue fills.
        for index in 0..<25 {
            let sequence = try await log.append(sampleEvent(index))
            #expect(sequence == nil)
        }
        #expect(log.health.droppedCount == 15)
        #expect(log.health.queuedCount == 10)
        #expect(drops.withLock { $0 } == 15)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            log.shutdown()
            try await group.waitForAll()
        }
        #expect(log.health.committedCount == 10)
        let records = try AuditReader(path: directory.file("audit.sqlite")).records(matching: AuditQuery())
        #expect(records.map(\.event.requestID) == (0..<10).map { "req-\($0)" })
    }

    @Test("acknowledged: a full queue refuses the append with queueFull")
    func acknowledgedQueueFull() async throws {
        let directory = try TemporaryDirectory()
        var configuration = logConfiguration(directory)
        configuration.queueCapacity = 2
        let log = try AuditLog(configuration: configuration)
        try log.submit(sampleEvent(1), completion: nil)
        try log.submit(sampleEvent(2), completion: nil)
        expectAuditError(.queueFull) { try log.submit(sampleEvent(3), completion: nil) }
        log.shutdown()
        await expectAuditErrorAsync(.closed) { try await log.append(sampleEvent(4)) }
    }

    @Test("an event larger than the limit is refused and nothing is written")
    func oversizedEvent() async throws {
        let directory = try TemporaryDirectory()
        var configuration = logConfiguration(directory)
        configuration.maxEventBytes = 200
        try await AuditLog.withAuditLog(configuration: configuration) { log in
            var event = sampleEvent()
            event.action.redactedArguments = .string(String(repeating: "x", count: 500))
            await expectAuditErrorAsync(.invalidEvent) { try await log.append(event) }
            #expect(log.health.committedCount == 0)
        }
    }

    @Test("failClosed: a read-only database fails the append, then the log refuses appends as unhealthy")
    func failClosedReadOnly() async throws {
        let directory = try TemporaryDirectory()
        try await AuditLog.withAuditLog(configuration: logConfiguration(directory)) { log in
            try await log.append(sampleEvent())
        }
        var configuration = logConfiguration(directory, durability: .failClosed)
        configuration.database.isReadOnly = true
        let changes = Mutex<[Bool]>([])
        configuration.onHealthChange = { healthy in changes.withLock { $0.append(healthy) } }
        try await AuditLog.withAuditLog(configuration: configuration) { log in
            await expectAuditErrorAsync(.storeFailure) { try await log.append(sampleEvent(2)) }
            #expect(!log.health.isHealthy)
            #expect(log.health.lastFailure?.code == .storeFailure)
            await expectAuditErrorAsync(.unavailable) { try await log.append(sampleEvent(3)) }
            #expect(!log.checkHealth())
            #expect(log.health.failedCount == 2)
        }
        #expect(changes.withLock { $0 } == [false])
        let report = try AuditVerifier().verify(path: directory.file("audit.sqlite"))
        #expect(report.recordCount == 1)
    }

    @Test("failClosed: a removed database file is noticed, and the log recovers when the store writes again")
    func failClosedRemovedFile() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("audit.sqlite")
        try await AuditLog.withAuditLog(configuration: logConfiguration(directory, durability: .failClosed)) { log in
            try await log.append(sampleEvent(1))
            try FileManager.default.removeItem(atPath: path)
            await expectAuditErrorAsync(.storeFailure) { try await log.append(sampleEvent(2)) }
            await expectAuditErrorAsync(.unavailable) { try await log.append(sampleEvent(3)) }
            #expect(!log.checkHealth())
            #expect(!log.health.isHealthy)
        }
    }

    @Test("acknowledged: a store failure fails that batch, and the next success makes the log healthy")
    func acknowledgedFailureAndRecovery() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("audit.sqlite")
        try await AuditLog.withAuditLog(configuration: logConfiguration(directory)) { log in
            try await log.append(sampleEvent(1))
            try FileManager.default.moveItem(atPath: path, toPath: path + ".moved")
            await expectAuditErrorAsync(.storeFailure) { try await log.append(sampleEvent(2)) }
            #expect(!log.health.isHealthy)
            try FileManager.default.moveItem(atPath: path + ".moved", toPath: path)
            #expect(try await log.append(sampleEvent(3)) == 2)
            #expect(log.health.isHealthy)
        }
    }
}

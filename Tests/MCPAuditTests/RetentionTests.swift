import MCPAudit
import MCPCore
import MCPCrypto
import Testing

@Suite("Retention")
struct RetentionTests {
    private let key: Ed25519.PrivateKey

    init() throws {
        key = try Ed25519.PrivateKey()
    }

    private func configuration(_ directory: TemporaryDirectory, _ clock: FakeClock) -> AuditLogConfiguration {
        var configuration = logConfiguration(directory, clock: clock)
        configuration.signer = AuditSigner(keyID: "k", key: key)
        configuration.checkpointEveryRecords = 4
        return configuration
    }

    private func verify(_ directory: TemporaryDirectory) throws -> AuditVerificationReport {
        try AuditVerifier(keys: ["k": key.publicKey]).verify(path: directory.file("audit.sqlite"))
    }

    @Test("records past the age limit are deleted; an anchor and a retention record keep the rest verifiable")
    func ageRetention() async throws {
        let directory = try TemporaryDirectory()
        let clock = FakeClock()
        try await AuditLog.withAuditLog(configuration: configuration(directory, clock)) { log in
            for index in 1...10 { try await log.append(sampleEvent(index)) }
            clock.advance(by: .seconds(100))
            for index in 11...15 { try await log.append(sampleEvent(index)) }
            // Nothing is old enough yet for a 200 s limit: nothing happens, nothing is recorded.
            let none = try log.applyRetention(AuditRetentionPolicy(maxAge: .seconds(200)))
            #expect(none.retentionSequence == nil && none.deletedCount == 0)
            let result = try log.applyRetention(AuditRetentionPolicy(maxAge: .seconds(50)))
            #expect(result.removedThrough == 10)
            #expect(result.deletedCount == 10)
            #expect(result.retentionSequence == 16)
            // The chain goes on after the retention record.
            #expect(try await log.append(sampleEvent(16)) == 17)
        }
        let report = try verify(directory)
        #expect(report.isValid, "\(report.problems)")
        #expect(report.anchorSequence == 10)
        #expect(report.firstSequence == 11)
        #expect(report.recordCount == 7)
        var query = AuditQuery()
        query.category = "retention"
        let retention = try AuditReader(path: directory.file("audit.sqlite")).records(matching: query)
        #expect(retention.count == 1)
        #expect(retention.first?.event.details?["removedThrough"] == 10)
        #expect(retention.first?.event.details?["deleted"] == 10)

        // A reopened log continues the chain, and a second run moves the anchor.
        try await AuditLog.withAuditLog(configuration: configuration(directory, clock)) { log in
            #expect(try await log.append(sampleEvent(17)) == 18)
            clock.advance(by: .seconds(100))
            let result = try log.applyRetention(AuditRetentionPolicy(maxAge: .seconds(50)))
            #expect(result.removedThrough == 18)
            #expect(result.retentionSequence == 19)
        }
        let second = try verify(directory)
        #expect(second.isValid, "\(second.problems)")
        #expect(second.anchorSequence == 18)
        #expect(second.recordCount == 1)
    }

    @Test("an organization's old records become tombstones; the chain and the removal verify")
    func organizationRetention() async throws {
        let directory = try TemporaryDirectory()
        let clock = FakeClock()
        try await AuditLog.withAuditLog(configuration: configuration(directory, clock)) { log in
            for index in 1...10 {
                try await log.append(sampleEvent(index, organization: index % 2 == 0 ? "acme" : "globex"))
            }
            clock.advance(by: .seconds(100))
            try await log.append(sampleEvent(11, organization: "acme"))
            let result = try log.applyRetention(AuditRetentionPolicy(organizationMaxAge: ["acme": .seconds(50)]))
            #expect(result.tombstonedCount == 5)
            #expect(result.removedThrough == nil)
            #expect(result.retentionSequence == 12)
            var acme = AuditQuery()
            acme.organization = "acme"
            #expect(try log.records(matching: acme).map(\.sequence) == [11])
            var globex = AuditQuery()
            globex.organization = "globex"
            #expect(try log.records(matching: globex).count == 5)
        }
        let report = try verify(directory)
        #expect(report.isValid, "\(report.problems)")
        #expect(report.tombstoneCount == 5)

        // Erasing one more record in the retention record's name is caught.
        try sqlite3(
            directory.file("audit.sqlite"), "UPDATE audit_records SET body = NULL, removed_by = 12 WHERE seq = 3")
        let tampered = try verify(directory)
        #expect(tampered.firstProblem?.kind == .unaccountedRemoval)
        #expect(tampered.firstProblem?.sequence == 2)
    }

    @Test("age retention after organization retention removes the tombstones too and still verifies")
    func mixedRetention() async throws {
        let directory = try TemporaryDirectory()
        let clock = FakeClock()
        try await AuditLog.withAuditLog(configuration: configuration(directory, clock)) { log in
            for index in 1...6 { try await log.append(sampleEvent(index, organization: index < 4 ? "acme" : "globex")) }
            clock.advance(by: .seconds(100))
            try await log.append(sampleEvent(7))
            try log.applyRetention(AuditRetentionPolicy(organizationMaxAge: ["acme": .seconds(50)]))
            clock.advance(by: .seconds(100))
            try await log.append(sampleEvent(9))
            // Records 1-8 (the tombstones and the retention record that made them) are older than 50 s.
            let result = try log.applyRetention(AuditRetentionPolicy(maxAge: .seconds(50)))
            #expect(result.removedThrough == 8)
        }
        let report = try verify(directory)
        #expect(report.isValid, "\(report.problems)")
        #expect(report.anchorSequence == 8)
    }

    @Test("a bad policy is refused and changes nothing")
    func badPolicy() async throws {
        let directory = try TemporaryDirectory()
        try await AuditLog.withAuditLog(configuration: configuration(directory, FakeClock())) { log in
            try await log.append(sampleEvent())
            expectAuditError(.invalidConfiguration) {
                try log.applyRetention(AuditRetentionPolicy(maxAge: .seconds(-1)))
            }
            expectAuditError(.invalidConfiguration) {
                try log.applyRetention(AuditRetentionPolicy(maxAge: .seconds(1), maxRecordsPerRun: 0))
            }
            #expect(log.health.lastSequence == 1)
        }
    }
}

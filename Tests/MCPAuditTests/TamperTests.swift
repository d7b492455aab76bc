import MCPAudit
import MCPCrypto
import Testing

/// Tampering done the way an intruder with the file would: through the sqlite3 command line.
@Suite("Tamper detection through sqlite3")
struct TamperTests {
    private let key: Ed25519.PrivateKey

    init() throws {
        key = try Ed25519.PrivateKey()
    }

    /// A closed log of 10 records (subjects user-1 ... user-10), checkpoints at 4, 8 and 10.
    private func makeLog() async throws -> TemporaryDirectory {
        let directory = try TemporaryDirectory()
        var configuration = logConfiguration(directory)
        configuration.signer = AuditSigner(keyID: "k", key: key)
        configuration.checkpointEveryRecords = 4
        try await AuditLog.withAuditLog(configuration: configuration) { log in
            for index in 1...10 {
                try await log.append(sampleEvent(index, subject: "user-\(index)"))
            }
        }
        #expect(try verify(directory).isValid)
        return directory
    }

    private func verify(_ directory: TemporaryDirectory) throws -> AuditVerificationReport {
        try AuditVerifier(keys: ["k": key.publicKey]).verify(path: directory.file("audit.sqlite"))
    }

    @Test("a changed field in a record's bytes is a hash mismatch at that record")
    func updateField() async throws {
        let directory = try await makeLog()
        try sqlite3(
            directory.file("audit.sqlite"),
            "UPDATE audit_records SET body = CAST(replace(CAST(body AS TEXT), 'user-5', 'user-X') AS BLOB), subject = 'user-X' WHERE seq = 5"
        )
        let problem = try verify(directory).firstProblem
        #expect(problem?.kind == .hashMismatch)
        #expect(problem?.sequence == 5)
    }

    @Test("a changed query column is a column mismatch at that record")
    func updateColumn() async throws {
        let directory = try await makeLog()
        try sqlite3(directory.file("audit.sqlite"), "UPDATE audit_records SET subject = 'someone-else' WHERE seq = 6")
        let problem = try verify(directory).firstProblem
        #expect(problem?.kind == .columnMismatch)
        #expect(problem?.sequence == 6)
    }

    @Test("a deleted row is a gap at its sequence number")
    func deleteRow() async throws {
        let directory = try await makeLog()
        try sqlite3(directory.file("audit.sqlite"), "DELETE FROM audit_records WHERE seq = 6")
        let problem = try verify(directory).firstProblem
        #expect(problem?.kind == .gap)
        #expect(problem?.sequence == 6)
    }

    @Test("two rows whose contents were swapped are reported as reordered at the first")
    func swapRows() async throws {
        let directory = try await makeLog()
        try sqlite3(
            directory.file("audit.sqlite"),
            """
            CREATE TEMP TABLE saved AS SELECT * FROM audit_records WHERE seq IN (3, 7);
            UPDATE audit_records SET (recorded_at, event_time, category, subject, organization, teams, client_id, method,
                upstream, target, status, body, hash) = (SELECT recorded_at, event_time, category, subject, organization,
                teams, client_id, method, upstream, target, status, body, hash FROM saved WHERE saved.seq = 10 - audit_records.seq)
            WHERE seq IN (3, 7);
            """)
        let report = try verify(directory)
        #expect(report.firstProblem?.kind == .reordered)
        #expect(report.firstProblem?.sequence == 3)
        #expect(report.problems.contains { $0.kind == .reordered && $0.sequence == 7 })
    }

    @Test("a truncated tail is reported at the first missing record")
    func truncateTail() async throws {
        let directory = try await makeLog()
        try sqlite3(directory.file("audit.sqlite"), "DELETE FROM audit_records WHERE seq > 7")
        let problem = try verify(directory).firstProblem
        #expect(problem?.kind == .truncated)
        #expect(problem?.sequence == 8)
    }

    @Test("records removed from the start without retention are a gap at record 1")
    func deleteHead() async throws {
        let directory = try await makeLog()
        try sqlite3(directory.file("audit.sqlite"), "DELETE FROM audit_records WHERE seq <= 4")
        let problem = try verify(directory).firstProblem
        #expect(problem?.kind == .gap)
        #expect(problem?.sequence == 1)
    }

    @Test("a changed checkpoint hash or signature is reported at the checkpoint")
    func checkpointTampering() async throws {
        let directory = try await makeLog()
        let path = directory.file("audit.sqlite")
        try sqlite3(path, "UPDATE audit_checkpoints SET signature = zeroblob(64) WHERE seq = 8")
        #expect(try verify(directory).firstProblem?.kind == .badSignature)
        #expect(try verify(directory).firstProblem?.sequence == 8)
        try sqlite3(path, "UPDATE audit_checkpoints SET hash = zeroblob(32) WHERE seq = 4")
        let problem = try verify(directory).firstProblem
        #expect(problem?.kind == .checkpointMismatch)
        #expect(problem?.sequence == 4)
    }

    @Test("a record whose bytes were erased without retention is an unaccounted removal")
    func fakeTombstone() async throws {
        let directory = try await makeLog()
        try sqlite3(directory.file("audit.sqlite"), "UPDATE audit_records SET body = NULL WHERE seq = 2")
        let problem = try verify(directory).firstProblem
        #expect(problem?.kind == .unaccountedRemoval)
        #expect(problem?.sequence == 2)
    }
}

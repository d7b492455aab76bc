import MCPAudit
import MCPCore
import MCPCrypto
import MCPStore
import Testing

@Suite("Chain and signatures")
struct ChainTests {
    @Test("appended records chain, checkpoints are signed with Ed25519, and the log verifies")
    func ed25519Chain() async throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519.PrivateKey()
        var configuration = logConfiguration(directory)
        configuration.signer = AuditSigner(keyID: "k1", key: key)
        configuration.checkpointEveryRecords = 4
        let sequences = try await AuditLog.withAuditLog(configuration: configuration) { log in
            var sequences: [Int64] = []
            for index in 0..<10 {
                sequences.append(try await log.append(sampleEvent(index))!)
            }
            let report = try AuditVerifier(keys: ["k1": key.publicKey]).verify(log)
            #expect(report.isValid, "\(report.problems)")
            #expect(report.checkpointCount == 2)
            return sequences
        }
        #expect(sequences == Array(1...10))
        let report = try AuditVerifier(keys: ["k1": key.publicKey]).verify(path: directory.file("audit.sqlite"))
        #expect(report.isValid, "\(report.problems)")
        #expect(report.recordCount == 10)
        #expect(report.lastCheckpointSequence == 10)  // the final checkpoint at shutdown
        #expect(report.uncheckpointedCount == 0)
        #expect(report.signaturesChecked)

        // Records hash as documented: SHA-256(previous hash || record bytes).
        let records = try AuditReader(path: directory.file("audit.sqlite")).records(matching: AuditQuery())
        var previous = [UInt8](repeating: 0, count: 32)
        for record in records {
            #expect(record.hash == SHA256.hash(previous + record.bytes))
            previous = record.hash
        }
    }

    @Test("P-256 signatures verify; a wrong or missing key is reported at the checkpoint")
    func p256AndWrongKeys() async throws {
        let directory = try TemporaryDirectory()
        let key = try P256.PrivateKey()
        var configuration = logConfiguration(directory)
        configuration.signer = AuditSigner(keyID: "p", key: key)
        configuration.checkpointEveryRecords = 3
        try await AuditLog.withAuditLog(configuration: configuration) { log in
            for index in 0..<5 { try await log.append(sampleEvent(index)) }
        }
        let path = directory.file("audit.sqlite")
        #expect(try AuditVerifier(keys: ["p": key.publicKey]).verify(path: path).isValid)
        let other = try P256.PrivateKey()
        let wrong = try AuditVerifier(keys: ["p": other.publicKey]).verify(path: path)
        #expect(wrong.firstProblem?.kind == .badSignature)
        #expect(wrong.firstProblem?.sequence == 3)
        let unknown = try AuditVerifier(keys: ["q": key.publicKey]).verify(path: path)
        #expect(unknown.firstProblem?.kind == .unknownKey)
        // Without keys, the chain alone is checked.
        let chainOnly = try AuditVerifier().verify(path: path)
        #expect(chainOnly.isValid)
        #expect(!chainOnly.signaturesChecked)
    }

    @Test("an unsigned log fails a verifier that requires signatures")
    func unsignedCheckpoints() async throws {
        let directory = try TemporaryDirectory()
        try await AuditLog.withAuditLog(configuration: logConfiguration(directory)) { log in
            try await log.append(sampleEvent())
        }
        let key = try Ed25519.PrivateKey()
        let report = try AuditVerifier(keys: ["k": key.publicKey]).verify(path: directory.file("audit.sqlite"))
        #expect(report.firstProblem?.kind == .unsignedCheckpoint)
    }

    @Test("a checkpoint is written after the interval passes on the log's clock")
    func timedCheckpoint() async throws {
        let directory = try TemporaryDirectory()
        let clock = FakeClock()
        var configuration = logConfiguration(directory, clock: clock)
        configuration.checkpointEveryRecords = 0
        configuration.checkpointInterval = .seconds(10)
        // Only appends look at the interval here: a wall-clock tick between the clock's
        // advance and the next append would checkpoint the earlier records instead.
        configuration.tickInterval = .seconds(3600)
        try await AuditLog.withAuditLog(configuration: configuration) { log in
            try await log.append(sampleEvent(1))
            try await log.append(sampleEvent(2))
            #expect(try checkpointSequences(directory) == [])
            clock.advance(by: .seconds(11))
            try await log.append(sampleEvent(3))
            #expect(try checkpointSequences(directory) == [3])
            try await log.append(sampleEvent(4))
            #expect(try checkpointSequences(directory) == [3])
        }
        #expect(try checkpointSequences(directory) == [3, 4])
    }

    @Test("a reopened log continues the chain where it ended")
    func reopen() async throws {
        let directory = try TemporaryDirectory()
        for round in 0..<3 {
            try await AuditLog.withAuditLog(configuration: logConfiguration(directory)) { log in
                let sequence = try await log.append(sampleEvent(round))
                #expect(sequence == Int64(round + 1))
            }
        }
        let report = try AuditVerifier().verify(path: directory.file("audit.sqlite"))
        #expect(report.isValid)
        #expect(report.recordCount == 3)
    }
}

func checkpointSequences(_ directory: TemporaryDirectory) throws -> [Int64] {
    let database = try Database(
        configuration: DatabaseConfiguration(.file(directory.file("audit.sqlite")), isReadOnly: true))
    return try database.read { db in
        try db.query(sql: "SELECT seq FROM audit_checkpoints ORDER BY seq").map { try $0.value(at: 0, as: Int64.self) }
    }
}

/// A key whose backend is away: every signature fails.
struct UnavailableKey: SigningKey {
    let inner: Ed25519.PrivateKey
    var algorithm: SignatureAlgorithm { inner.algorithm }
    var publicKey: Ed25519.PublicKey { inner.publicKey }
    func signature(for message: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
        throw CryptoError(.internalFailure, message: "the key service is unreachable")
    }
}

@Suite("Signing failures")
struct SigningFailureTests {
    @Test("a signer that fails does not fail appends; checkpoints are simply missing")
    func unavailableSigner() async throws {
        let directory = try TemporaryDirectory()
        let key = try Ed25519.PrivateKey()
        var configuration = logConfiguration(directory)
        configuration.signer = AuditSigner(keyID: "remote", key: UnavailableKey(inner: key))
        configuration.checkpointEveryRecords = 1
        try await AuditLog.withAuditLog(configuration: configuration) { log in
            for index in 0..<3 {
                let sequence = try await log.append(sampleEvent(index))
                #expect(sequence == Int64(index + 1))
            }
            expectAuditError(.signingFailed) { try log.checkpoint() }
        }
        #expect(try checkpointSequences(directory) == [])
        let report = try AuditVerifier().verify(path: directory.file("audit.sqlite"))
        #expect(report.isValid)
        #expect(report.uncheckpointedCount == 3)
    }
}

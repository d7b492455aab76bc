import Foundation
import MCPAudit
import MCPStore
import MCPTestSupport
import Synchronization
import Testing

/// The sequence numbers acknowledged by the child, shared with the thread that reads them.
final class AckList: Sendable {
    let values = Mutex<[Int64]>([])
}

@Suite("Crash safety")
struct CrashTests {
    /// Reads lines from a descriptor until end of file, keeping the "ack <n>" ones.
    private static func collectAcks(_ descriptor: Int32, into acks: AckList) {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            pending += buffer[0..<count]
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if line.hasPrefix("ack "), let sequence = Int64(line.dropFirst(4)) {
                    acks.values.withLock { $0.append(sequence) }
                }
            }
        }
    }

    /// Writes event lines until `limit` or until the reader is gone.
    private static func feed(_ descriptor: Int32, round: Int, limit: Int) {
        var index = 0
        while index < limit {
            var chunk = ""
            for _ in 0..<50 {
                chunk +=
                    #"{"requestId":"r\#(round)-\#(index)","actor":{"subject":"crash","organization":"o"},"action":{"method":"tools/call"}}"#
                chunk += "\n"
                index += 1
            }
            let bytes = Array(chunk.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// The highest sequence number in the database, after SQLite recovered it.
    private static func lastSequence(_ path: String) throws -> Int64 {
        let database = try Database(configuration: DatabaseConfiguration(.file(path)))
        return try database.read { db in try db.scalar(sql: "SELECT max(seq) FROM audit_records", as: Int64.self) } ?? 0
    }

    @Test("SIGKILL at random moments loses no acknowledged event, and the chain verifies after restarts")
    func killAndRestart() throws {
        signal(SIGPIPE, SIG_IGN)
        let directory = try TemporaryDirectory()
        let path = directory.file("audit.sqlite")
        let binary = TestPeers.binary("mcp-audit-log")
        var random = SplitMix64(seed: 0x5EED_C4A5)
        var expected: [Int64: String] = [:]
        var base: Int64 = 0
        for round in 0..<4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["append", "--db", path, "--mode", "acknowledged", "--checkpoint-every", "100"]
            let input = Pipe()
            let output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let acks = AckList()
            let done = DispatchGroup()
            let outputDescriptor = output.fileHandleForReading.fileDescriptor
            let inputDescriptor = input.fileHandleForWriting.fileDescriptor
            done.enter()
            Thread.detachNewThread {
                Self.collectAcks(outputDescriptor, into: acks)
                done.leave()
            }
            done.enter()
            Thread.detachNewThread {
                Self.feed(inputDescriptor, round: round, limit: 50_000)
                done.leave()
            }
            // Once it acknowledges (a slow start, under a sanitizer say, is not a crash
            // moment), let it work under load, then kill it without warning.
            for _ in 0..<3000 where acks.values.withLock({ $0.isEmpty }) {
                usleep(10_000)
            }
            usleep(UInt32.random(in: 20_000...300_000, using: &random))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(done.wait(timeout: .now() + 10) == .success)
            let acknowledged = acks.values.withLock { $0 }
            #expect(!acknowledged.isEmpty, "round \(round) acknowledged nothing")
            #expect(acknowledged == acknowledged.sorted())
            // The log numbers one run's lines in order, after what the file held.
            for sequence in acknowledged {
                expected[sequence] = "r\(round)-\(sequence - base - 1)"
            }
            base = try Self.lastSequence(path)
            #expect(base >= acknowledged.last ?? 0)
        }
        let records = try AuditReader(path: path).records(matching: AuditQuery(limit: 1_000_000))
        let bySequence = Dictionary(uniqueKeysWithValues: records.map { ($0.sequence, $0.event.requestID) })
        var missing = 0
        for (sequence, requestID) in expected where bySequence[sequence] != .some(requestID) {
            missing += 1
        }
        #expect(missing == 0, "\(missing) of \(expected.count) acknowledged events are not where their ack said")
        let report = try AuditVerifier().verify(path: path)
        #expect(report.isValid, "\(report.problems)")
        #expect(report.recordCount == records.count)
    }
}

import Foundation
import MCPAudit
import MCPStore

/// The audit log's group commit: sustained appends per second in acknowledged mode with
/// 64 concurrent appenders, and the latency one append adds, against a plain SQLite
/// insert loop (one transaction per insert, WAL, the same `synchronous = FULL`) in the
/// same run, on the same disk.
enum AuditBenchmark {
    static let duration = Duration.seconds(2)

    static func event(_ index: Int) -> AuditEvent {
        AuditEvent(
            time: AuditTime(microsecondsSinceEpoch: 1_764_000_000_000_000 + Int64(index)),
            actor: .init(
                subject: "user-\(index % 97)", organization: "acme", teams: ["payments", "ops"],
                clientID: "claude-desktop", upstreamCredential: "vault:github:user-\(index % 97)"),
            action: .init(
                method: "tools/call", upstream: "github", target: "create_issue",
                argumentsDigest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
            decision: .init(effect: "allow", ruleIDs: ["github-write", "business-hours"]),
            findings: [.init(detector: "secrets.aws", action: "redact", fingerprint: "f1e2d3c4")],
            outcome: .init(status: "ok", bytesIn: 412, bytesOut: 1830, durationMicroseconds: 5400),
            requestID: "req-\(index)", traceID: "4bf92f3577b34da6a3ce929d0e0e4736")
    }

    static func run() {
        let directory = NSTemporaryDirectory() + "mcp-bench-audit-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let body = event(0).canonicalBytes
        print(
            "Audit: acknowledged appends of \(body.count)-byte events (WAL), against plain inserts (1 transaction each)"
        )
        for synchronous in [DatabaseConfiguration.Synchronous.full, .normal] {
            let plain = runPlain(
                directory + "/plain-\(synchronous.rawValue).sqlite", synchronous: synchronous, body: body)
            var measurements = [plain.measurement]
            var lines: [String] = []
            for appenders in [1, 64, 256] {
                let path = directory + "/audit-\(synchronous.rawValue)-\(appenders).sqlite"
                let (measurement, rate) = runLog(path, synchronous: synchronous, appenders: appenders)
                measurements.append(measurement)
                lines.append(
                    String(
                        format:
                            "  %@, %d appender(s): %.0f events/s = %.1fx plain inserts (%.0f/s); added latency p50 %@, p99 %@",
                        synchronous.rawValue, appenders, rate, rate / plain.rate, plain.rate,
                        added(measurement.median, plain.measurement.median),
                        added(measurement.p99, plain.measurement.median)))
                if synchronous == .full && appenders == 64 {
                    let clock = ContinuousClock()
                    let verifyStart = clock.now
                    let verification = try! AuditVerifier().verify(path: path)
                    let verifyRate = Double(verification.recordCount) / seconds(clock.now - verifyStart)
                    lines.append(
                        String(
                            format: "  verify: %.0f records/s (%d records, valid: %@)", verifyRate,
                            verification.recordCount, verification.isValid ? "yes" : "no"))
                }
            }
            report(measurements)
            lines.forEach { print($0) }
        }
        print("  (target: 20,000 events/s; added latency = append latency minus one plain insert's)\n")
    }

    static func runPlain(_ path: String, synchronous: DatabaseConfiguration.Synchronous, body: [UInt8]) -> (
        measurement: Measurement, rate: Double
    ) {
        let database = try! Database(configuration: DatabaseConfiguration(.file(path), synchronous: synchronous))
        try! database.write { db in
            try db.execute(sql: "CREATE TABLE t (seq INTEGER PRIMARY KEY, body BLOB NOT NULL, hash BLOB NOT NULL)")
        }
        let clock = ContinuousClock()
        var latencies: [Double] = []
        let start = clock.now
        while clock.now - start < duration {
            let begin = clock.now
            try! database.write { db in
                try db.execute(
                    sql: "INSERT INTO t (body, hash) VALUES (?, ?)",
                    arguments: [body, [UInt8](repeating: 7, count: 32)])
            }
            latencies.append(nanoseconds(clock.now - begin))
        }
        let rate = Double(latencies.count) / seconds(clock.now - start)
        return (Measurement(name: "plain insert, \(synchronous.rawValue)", nanosecondsPerOperation: latencies), rate)
    }

    static func runLog(_ path: String, synchronous: DatabaseConfiguration.Synchronous, appenders: Int) -> (
        Measurement, Double
    ) {
        let configuration = AuditLogConfiguration(
            database: DatabaseConfiguration(.file(path), synchronous: synchronous))
        let clock = ContinuousClock()
        let semaphore = DispatchSemaphore(value: 0)
        let results = ResultsBox()
        Task {
            try! await AuditLog.withAuditLog(configuration: configuration) { log in
                let start = clock.now
                let latencies = await withTaskGroup(of: [Double].self) { group in
                    for appender in 0..<appenders {
                        group.addTask {
                            var mine: [Double] = []
                            var index = appender
                            while clock.now - start < duration {
                                let begin = clock.now
                                _ = try! await log.append(event(index))
                                mine.append(nanoseconds(clock.now - begin))
                                index += appenders
                            }
                            return mine
                        }
                    }
                    var all: [Double] = []
                    for await part in group { all += part }
                    return all
                }
                results.set(latencies, elapsed: seconds(clock.now - start))
            }
            semaphore.signal()
        }
        semaphore.wait()
        let (latencies, elapsed) = results.get()
        return (
            Measurement(
                name: "AuditLog.append, \(synchronous.rawValue), \(appenders) appenders",
                nanosecondsPerOperation: latencies),
            Double(latencies.count) / elapsed
        )
    }

    /// The latency above one plain insert's median, or a note when the append was faster
    /// (group commit shares one sync among many appends; a plain insert waits for its own).
    static func added(_ latency: Double, _ baseline: Double) -> String {
        latency > baseline
            ? format(latency - baseline).trimmingCharacters(in: .whitespaces) : "none (below a plain insert)"
    }

    static func nanoseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1e9 + Double(attoseconds) / 1e9
    }

    static func seconds(_ duration: Duration) -> Double { nanoseconds(duration) / 1e9 }
}

/// Carries the measured latencies out of the task.
final class ResultsBox: @unchecked Sendable {
    // Safe: written once by the task before it signals the semaphore, read after the wait.
    private var latencies: [Double] = []
    private var elapsed = 0.0

    func set(_ latencies: [Double], elapsed: Double) {
        self.latencies = latencies
        self.elapsed = elapsed
    }

    func get() -> ([Double], Double) { (latencies, elapsed) }
}

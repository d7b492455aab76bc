import Foundation
import MCPAudit
import MCPCore
import MCPStore
import Synchronization
import Testing

/// A directory under the system's temporary directory, removed with everything in it when
/// released.
final class TemporaryDirectory: Sendable {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/mcpaudit-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}

/// A clock the test moves by hand.
final class FakeClock: AuditClock {
    private let time: Mutex<AuditTime>

    init(_ start: AuditTime = .seconds(1_764_000_000)) {
        time = Mutex(start)
    }

    var now: AuditTime { time.withLock { $0 } }

    func advance(by duration: Duration) {
        time.withLock { $0 = $0.advanced(by: duration) }
    }
}

/// SplitMix64: a small seeded generator, so that property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A typical call event.
func sampleEvent(
    _ index: Int = 0, subject: String = "alice", organization: String = "acme", teams: [String] = ["payments"],
    upstream: String = "github", tool: String = "create_issue", status: String = "ok", time: AuditTime? = nil
) -> AuditEvent {
    AuditEvent(
        time: time ?? .seconds(1_764_000_000 + Int64(index)),
        actor: .init(
            subject: subject, organization: organization, teams: teams, clientID: "claude-desktop",
            upstreamCredential: "vault:github:\(subject)"),
        action: .init(method: "tools/call", upstream: upstream, target: tool, argumentsDigest: "ab12"),
        decision: .init(effect: "allow", ruleIDs: ["rule-1"]),
        findings: [.init(detector: "secrets", action: "redact", fingerprint: "fp-\(index)")],
        outcome: .init(status: status, bytesIn: 100, bytesOut: 200, durationMicroseconds: 1500),
        requestID: "req-\(index)", traceID: "trace-\(index)")
}

/// A configuration for a log file in `directory`, on a fake clock when given.
func logConfiguration(
    _ directory: TemporaryDirectory, name: String = "audit.sqlite", clock: (any AuditClock)? = nil,
    durability: AuditDurability = .acknowledged
) -> AuditLogConfiguration {
    var configuration = AuditLogConfiguration(
        database: DatabaseConfiguration(.file(directory.file(name)), busyTimeout: .seconds(2)))
    configuration.durability = durability
    // Checkpoints by count only, unless a test sets an interval: on a loaded machine a test
    // can outlast the default interval of wall-clock time and get one more checkpoint.
    configuration.checkpointInterval = .seconds(86_400 * 365)
    if let clock { configuration.clock = clock }
    return configuration
}

/// Checks that `body` throws an ``AuditError`` with `code` (a plain function: the
/// `#expect(throws:)` macro misbehaves inside nested closures with this compiler).
@discardableResult
func expectAuditError<Result>(
    _ code: AuditError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Result
) -> AuditError? {
    do {
        _ = try body()
        Issue.record("expected AuditError \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as AuditError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected AuditError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// The async form of ``expectAuditError(_:sourceLocation:_:)``.
@discardableResult
func expectAuditErrorAsync<Result>(
    _ code: AuditError.Code, sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Result
) async -> AuditError? {
    do {
        _ = try await body()
        Issue.record("expected AuditError \(code), nothing was thrown", sourceLocation: sourceLocation)
    } catch let error as AuditError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        return error
    } catch {
        Issue.record("expected AuditError \(code), got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}

/// Runs a command to completion and returns its standard output and status.
func runTool(_ executable: String, _ arguments: [String], input: String? = nil) throws -> (
    output: String, status: Int32
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    try process.run()
    if let input {
        inputPipe.fileHandleForWriting.write(Data(input.utf8))
    }
    try inputPipe.fileHandleForWriting.close()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

/// Runs SQL through the sqlite3 command line, as someone tampering with the file would.
func sqlite3(_ path: String, _ sql: String) throws {
    let result = try runTool("/usr/bin/sqlite3", [path, sql])
    #expect(result.status == 0, "sqlite3 failed: \(sql)")
}

import Foundation
import MCPTestSupport
@testable import MCPTransport
import Synchronization
import Testing

/// `gatewayd serve` run as a child process for as long as a test body runs, with the log
/// lines it has written so far.
final class GatewaydProcess: Sendable {
    /// The running process (its `pid` takes signals such as SIGHUP).
    let process: ChildProcess
    private let lines: LogLines

    private final class LogLines: Sendable {
        let lines = Mutex<[String]>([])
    }

    private init(process: ChildProcess, lines: LogLines) {
        self.process = process
        self.lines = lines
    }

    /// The log lines written so far.
    var log: [String] { lines.lines.withLock { $0 } }

    /// Whether some log line written so far contains `text`.
    func logged(_ text: String) -> Bool {
        lines.lines.withLock { $0.contains { $0.contains(text) } }
    }

    /// Waits (at most 15 seconds) until some log line contains `text`.
    ///
    /// - Returns: whether one did.
    func waitForLog(_ text: String) async throws -> Bool {
        for _ in 0..<150 {
            if logged(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Starts `gatewayd serve --config <configuration>`, waits until it listens, runs
    /// `body`, then stops it with SIGTERM and expects a clean exit. When `body` throws,
    /// the process is terminated and the error rethrown.
    static func serving<Result>(
        configuration: String, on loop: EventLoop, _ body: (GatewaydProcess) async throws -> Result
    ) async throws -> Result {
        let lines = LogLines()
        let process = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.binary("gatewayd"), arguments: ["serve", "--config", configuration]),
            on: loop
        ) { line in lines.lines.withLock { $0.append(line) } }
        let gatewayd = GatewaydProcess(process: process, lines: lines)
        let result: Result
        do {
            try #require(try await gatewayd.waitForLog("gateway.listening"), "\(gatewayd.log)")
            result = try await body(gatewayd)
        } catch {
            _ = await process.terminate(gracePeriod: .seconds(1))
            throw error
        }
        kill(process.pid, SIGTERM)
        #expect(await process.wait(timeout: .seconds(10)) == .exited(0))
        return result
    }
}

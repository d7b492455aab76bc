import Foundation
import Synchronization
import MCPTestSupport
import Testing

@testable import MCPTransport

@Suite("Child processes")
struct ChildProcessTests {
    private static func withLoop<Result>(_ body: (EventLoop) async throws -> Result) async throws -> Result {
        let loop = try EventLoop.start(name: "child-test")
        defer { loop.stop() }
        return try await body(loop)
    }

    private static func readAll(_ process: ChildProcess) async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await process.output.next() { bytes += chunk }
        return bytes
    }

    /// Processes of a group that are not zombies, from /proc.
    private static func liveMembers(ofGroup group: Int32) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Int32? in
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 2, Int32(fields[2]) == group, fields[0] != "Z" else { return nil }
            return pid
        }
    }

    @Test func echoesThroughCatAndExitsCleanly() async throws {
        try await Self.withLoop { loop in
            let process = try await ChildProcess.spawn(ChildProcessConfiguration(executable: "cat"), on: loop)
            let message = Array(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8) + [0x0A]
            try await process.write(message)
            try await process.write(message)
            await process.closeInput()
            #expect(try await Self.readAll(process) == message + message)
            #expect(await process.wait() == .exited(0))
        }
    }

    @Test func reportsExitStatusArgumentsEnvironmentAndDirectory() async throws {
        try await Self.withLoop { loop in
            let configuration = ChildProcessConfiguration(
                executable: "/bin/sh", arguments: ["-c", "pwd; echo \"$GATEWAY_TEST\"; exit 3"],
                environment: ["GATEWAY_TEST": "a b", "PATH": "/usr/bin:/bin"], workingDirectory: "/tmp")
            let process = try await ChildProcess.spawn(configuration, on: loop)
            #expect(String(decoding: try await Self.readAll(process), as: UTF8.self) == "/tmp\na b\n")
            #expect(await process.wait() == .exited(3))
        }
    }

    @Test func capturesStandardErrorLinesWithABound() async throws {
        try await Self.withLoop { loop in
            let lines = Mutex<[String]>([])
            let configuration = ChildProcessConfiguration(
                executable: "/bin/sh",
                arguments: ["-c", "echo first >&2; printf '%0200d\\n' 0 >&2; printf 'no newline' >&2"],
                maxErrorLineBytes: 16)
            let process = try await ChildProcess.spawn(configuration, on: loop) { line in
                lines.withLock { $0.append(line) }
            }
            #expect(await process.wait() == .exited(0))
            let recent = await process.recentErrorLines()
            #expect(recent == ["first", String(repeating: "0", count: 16) + " [truncated]", "no newline"])
            #expect(lines.withLock { $0 } == recent)
        }
    }

    @Test func aMissingExecutableIsAnError() async throws {
        _ = try await Self.withLoop { loop in
            await #expect(throws: SystemCallError.self) {
                try await ChildProcess.spawn(ChildProcessConfiguration(executable: "no-such-mcp-server-xyz"), on: loop)
            }
        }
    }

    @Test func terminateSendsSIGTERMFirst() async throws {
        try await Self.withLoop { loop in
            let process = try await ChildProcess.spawn(
                ChildProcessConfiguration(executable: "sleep", arguments: ["30"]), on: loop)
            #expect(await process.terminate(gracePeriod: .seconds(5)) == .signaled(SIGTERM))
        }
    }

    @Test func terminateEscalatesToSIGKILLAndReachesTheWholeGroup() async throws {
        try await Self.withLoop { loop in
            // The shell ignores SIGTERM; its own child (sleep) is in the same group.
            let process = try await ChildProcess.spawn(
                ChildProcessConfiguration(
                    executable: "/bin/sh", arguments: ["-c", "trap '' TERM; sleep 30 & wait; sleep 30"]),
                on: loop)
            try await Task.sleep(for: .milliseconds(100))
            let start = ContinuousClock.now
            #expect(await process.terminate(gracePeriod: .milliseconds(200)) == .signaled(SIGKILL))
            #expect(ContinuousClock.now - start < .seconds(10))
            // No process of the group is left running (an orphan may linger as a zombie
            // until the system's init reaps it; a killed one may take a moment to go).
            var live = Self.liveMembers(ofGroup: process.pid)
            for _ in 0..<100 where !live.isEmpty {
                try await Task.sleep(for: .milliseconds(20))
                live = Self.liveMembers(ofGroup: process.pid)
            }
            #expect(live.isEmpty)
        }
    }

    @Test func leavesNoZombieAndNoDescriptor() async throws {
        try await Self.withLoop { loop in
            for _ in 0..<5 {
                let process = try await ChildProcess.spawn(
                    ChildProcessConfiguration(executable: "/bin/sh", arguments: ["-c", "echo out; echo err >&2"]), on: loop)
                _ = try await Self.readAll(process)
                #expect(await process.wait() == .exited(0))
                // Already reaped: waitpid has nothing left to collect.
                var status: CInt = 0
                #expect(waitpid(process.pid, &status, WNOHANG) == -1)
                #expect(errno == ECHILD)
                // Every pipe and the process descriptor are closed once the streams end.
                var open = -1
                for _ in 0..<100 {
                    open = await process.openDescriptorCount()
                    if open == 0 { break }
                    try await Task.sleep(for: .milliseconds(10))
                }
                #expect(open == 0)
            }
        }
    }

    @Test func theChildInheritsOnlyItsStandardDescriptors() async throws {
        try await Self.withLoop { loop in
            // The gateway has sockets, pipes and an epoll descriptor open; none may leak.
            let process = try await ChildProcess.spawn(
                ChildProcessConfiguration(executable: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"]), on: loop)
            let listing = String(decoding: try await Self.readAll(process), as: UTF8.self)
            let descriptors = Set(listing.split(separator: "\n").map(String.init))
            // 0, 1, 2 and the one ls itself opens to read the directory listing.
            #expect(descriptors.isSubset(of: ["0", "1", "2", "3"]), "\(descriptors.sorted())")
            #expect(await process.wait() == .exited(0))
        }
    }

    @Test func writingToAnExitedChildFails() async throws {
        try await Self.withLoop { loop in
            let process = try await ChildProcess.spawn(
                ChildProcessConfiguration(executable: "/bin/sh", arguments: ["-c", "exit 0"]), on: loop)
            #expect(await process.wait() == .exited(0))
            await #expect(throws: SystemCallError.self) {
                for _ in 0..<100 { try await process.write([UInt8](repeating: 0x61, count: 65536)) }
            }
        }
    }

    @Test func aSlowReaderBoundsBufferedOutput() async throws {
        try await Self.withLoop { loop in
            let limit = 64 * 1024
            let process = try await ChildProcess.spawn(
                ChildProcessConfiguration(
                    executable: "head", arguments: ["-c", "20000000", "/dev/zero"], outputBufferLimit: limit),
                on: loop)
            var total = 0
            var peak = 0
            while let chunk = try await process.output.next() {
                total += chunk.count
                peak = max(peak, process.output.bufferedBytes)
                if total < 2_000_000 { try await Task.sleep(for: .microseconds(200)) }
            }
            #expect(total == 20_000_000)
            // At most the bound plus one read of the pipe.
            #expect(peak <= limit + 64 * 1024)
            #expect(await process.wait() == .exited(0))
        }
    }
}

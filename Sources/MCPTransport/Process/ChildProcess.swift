internal import CLinux
internal import Glibc
import Synchronization

/// A child process with pipes to its standard input, output and error, driven by an
/// event loop.
///
/// Its exit is observed through a process descriptor (`pidfd`), so it is reaped as soon as
/// it ends and never lingers as a zombie; every descriptor is close-on-exec and closed
/// when the process and its pipes are done. The child runs in a process group of its own,
/// so ``terminate(gracePeriod:)`` reaches the helpers it started too.
package final class ChildProcess: Sendable {
    /// The process id.
    package let pid: Int32
    /// The loop that owns the pipes.
    package let loop: EventLoop
    /// Standard output, in chunks as they arrive.
    package let output: ByteStreamQueue
    private let io: LoopBound<ChildProcessIO>

    private init(pid: Int32, loop: EventLoop, output: ByteStreamQueue, io: LoopBound<ChildProcessIO>) {
        self.pid = pid
        self.loop = loop
        self.output = output
        self.io = io
    }

    /// Starts a child process.
    ///
    /// - Parameters:
    ///   - configuration: what to run.
    ///   - loop: the loop that will own its pipes.
    ///   - errorLine: called on the loop's thread with each standard error line, cut to
    ///     the configured length; for logging.
    /// - Returns: the running process.
    /// - Throws: ``SystemCallError`` when the process cannot be started (for example a
    ///   missing executable).
    package static func spawn(
        _ configuration: ChildProcessConfiguration,
        on loop: EventLoop,
        errorLine: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> ChildProcess {
        try await loop.submit {
            let pipes = try ChildProcessPipes()
            let pid = try Self.posixSpawn(configuration, pipes: pipes)
            pipes.closeChildEnds()
            let pidDescriptor = try systemCall("pidfd_open") { clinux_pidfd_open(pid) }
            let box = LoopBound<ChildProcessIO?>(nil, loop: loop)
            let output = ByteStreamQueue(limit: configuration.outputBufferLimit) {
                loop.execute { box.value?.resumeReading() }
            }
            let io = ChildProcessIO(
                pid: pid, loop: loop, pipes: pipes, pidDescriptor: pidDescriptor, output: output,
                configuration: configuration, errorLine: errorLine)
            try io.register()
            box.value = io
            return ChildProcess(pid: pid, loop: loop, output: output, io: LoopBound(io, loop: loop))
        }
    }

    /// Writes bytes to the child's standard input, waiting until the pipe has taken them.
    ///
    /// - Throws: ``SystemCallError`` (EPIPE) when the child no longer reads its input.
    package func write(_ bytes: [UInt8]) async throws {
        let io = self.io
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            loop.execute { io.value.write(bytes, completion: continuation) }
        }
    }

    /// Closes the child's standard input after what was written; the child reads end of file.
    package func closeInput() async {
        let io = self.io
        _ = try? await loop.submit { io.value.closeInputWhenFlushed() }
    }

    /// Waits for the child to end.
    ///
    /// - Returns: how it ended.
    package func wait() async -> ChildProcessExit {
        let io = self.io
        let exit = await withCheckedContinuation { continuation in
            loop.execute { io.value.onExit(continuation) }
        }
        return exit!
    }

    /// Waits for the child to end, up to a time limit.
    ///
    /// - Parameter timeout: how long to wait.
    /// - Returns: how it ended, or `nil` if it is still running.
    package func wait(timeout: Duration) async -> ChildProcessExit? {
        let io = self.io
        return await withCheckedContinuation { continuation in
            loop.execute { io.value.onExit(continuation, deadline: .now + timeout) }
        }
    }

    /// Sends a signal to the child's process group.
    package func signal(_ signal: CInt) {
        _ = kill(-pid, signal)
    }

    /// Ends the child: SIGTERM to its process group, then SIGKILL if it has not ended
    /// within the grace period.
    ///
    /// - Parameter gracePeriod: how long to wait after SIGTERM.
    /// - Returns: how it ended.
    package func terminate(gracePeriod: Duration) async -> ChildProcessExit {
        let io = self.io
        let pid = self.pid
        let exit = await withCheckedContinuation { continuation in
            loop.execute {
                let process = io.value
                process.onExit(continuation)
                guard process.exit == nil else { return }
                _ = kill(-pid, SIGTERM)
                io.loop.scheduleTimer(at: .now + gracePeriod) {
                    if process.exit == nil { _ = kill(-pid, SIGKILL) }
                }
            }
        }
        return exit!
    }

    /// How many of the child's pipes and its process descriptor are still open on the
    /// gateway's side; 0 once it has ended and its output has been read.
    package func openDescriptorCount() async -> Int {
        let io = self.io
        return (try? await loop.submit { io.value.openDescriptorCount }) ?? -1
    }

    /// The most recent standard error lines, oldest first.
    package func recentErrorLines() async -> [String] {
        let io = self.io
        return (try? await loop.submit { io.value.recentErrorLines }) ?? []
    }

    private static func posixSpawn(_ configuration: ChildProcessConfiguration, pipes: ChildProcessPipes) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipes.input.read, 0)
        posix_spawn_file_actions_adddup2(&actions, pipes.output.write, 1)
        posix_spawn_file_actions_adddup2(&actions, pipes.error.write, 2)
        posix_spawn_file_actions_addclosefrom_np(&actions, 3)
        if let directory = configuration.workingDirectory {
            let result = posix_spawn_file_actions_addchdir_np(&actions, directory)
            if result != 0 { throw SystemCallError("posix_spawn_file_actions_addchdir_np", errno: result) }
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGHUP)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = [configuration.executable] + configuration.arguments
        let environment = configuration.environment.map { $0.map { "\($0.key)=\($0.value)" }.sorted() }
        var pid = pid_t()
        let result = withCStrings(argv) { argvPointers in
            withOptionalCStrings(environment) { environmentPointers in
                let envp = environmentPointers ?? UnsafePointer(environ)
                if configuration.executable.contains("/") {
                    return posix_spawn(&pid, configuration.executable, &actions, &attributes, argvPointers, envp)
                }
                return posix_spawnp(&pid, configuration.executable, &actions, &attributes, argvPointers, envp)
            }
        }
        guard result == 0 else { throw SystemCallError("posix_spawn(\(configuration.executable))", errno: result) }
        return pid
    }
}

private func withCStrings<Result>(_ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result) -> Result {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}

private func withOptionalCStrings<Result>(_ strings: [String]?, _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> Result) -> Result {
    guard let strings else { return body(nil) }
    return withCStrings(strings) { body($0) }
}

internal import CLinux
internal import Glibc

/// The loop-confined side of a ``ChildProcess``: its pipes, its process descriptor, the
/// bytes waiting to be written and the tasks waiting for its exit.
final class ChildProcessIO {
    let pid: pid_t
    let loop: EventLoop
    private let pipes: ChildProcessPipes
    private var pidDescriptor: CInt
    private let output: ByteStreamQueue
    private let configuration: ChildProcessConfiguration
    private let errorLine: @Sendable (String) -> Void

    private var inputToken: UInt64?
    private var outputReader: PipeReader?
    private var errorToken: UInt64?
    private var pidToken: UInt64?

    private var pendingWrites: [(bytes: [UInt8], offset: Int, completion: CheckedContinuation<Void, any Error>)] = []
    private var closeInputAfterFlush = false
    private var errorBuffer: [UInt8] = []
    private var errorLineTruncated = false
    private(set) var recentErrorLines: [String] = []
    private(set) var exit: ChildProcessExit?
    private var exitWaiters: [UInt64: CheckedContinuation<ChildProcessExit?, Never>] = [:]
    private var nextWaiterID: UInt64 = 0

    private static let readSize = 64 * 1024

    init(
        pid: pid_t, loop: EventLoop, pipes: ChildProcessPipes, pidDescriptor: CInt, output: ByteStreamQueue,
        configuration: ChildProcessConfiguration, errorLine: @escaping @Sendable (String) -> Void
    ) {
        self.pid = pid
        self.loop = loop
        self.pipes = pipes
        self.pidDescriptor = pidDescriptor
        self.output = output
        self.configuration = configuration
        self.errorLine = errorLine
    }

    deinit {
        if pidDescriptor >= 0 { close(pidDescriptor) }
    }

    func register() throws(SystemCallError) {
        let inputEvents = UInt32(0)
        inputToken = try loop.register(
            descriptor: pipes.input.write, events: inputEvents,
            handler: EventCallback { [unowned self] events in self.inputReady(events) })
        let outputReader = PipeReader(
            descriptor: pipes.output.read, loop: loop, queue: output, name: "read(stdout)"
        ) { [pipes] in pipes.closeOutput() }
        try outputReader.start()
        self.outputReader = outputReader
        errorToken = try loop.register(
            descriptor: pipes.error.read, events: EPOLLIN.rawValue,
            handler: EventCallback { [unowned self] _ in self.readError() })
        pidToken = try loop.register(
            descriptor: pidDescriptor, events: EPOLLIN.rawValue,
            handler: EventCallback { [unowned self] _ in self.reap() })
    }

    // MARK: Standard input

    func write(_ bytes: [UInt8], completion: CheckedContinuation<Void, any Error>) {
        guard pipes.input.write >= 0, !closeInputAfterFlush else {
            completion.resume(throwing: SystemCallError("write(stdin)", errno: EPIPE))
            return
        }
        pendingWrites.append((bytes, 0, completion))
        flushInput()
    }

    func closeInputWhenFlushed() {
        closeInputAfterFlush = true
        if pendingWrites.isEmpty { closeInput() }
    }

    private func inputReady(_ events: UInt32) {
        flushInput()
    }

    private func flushInput() {
        while let first = pendingWrites.first {
            let remaining = first.bytes.count - first.offset
            let written: Int?
            do {
                written = try first.bytes.withUnsafeBytes { buffer throws(SystemCallError) in
                    try nonBlockingCall("write(stdin)") {
                        Glibc.write(pipes.input.write, buffer.baseAddress! + first.offset, remaining)
                    }
                }
            } catch {
                failPendingWrites(error)
                closeInput()
                return
            }
            guard let written else {
                setInputInterest(EPOLLOUT.rawValue)
                return
            }
            if written == remaining {
                pendingWrites.removeFirst().completion.resume()
            } else {
                pendingWrites[0].offset += written
            }
        }
        setInputInterest(0)
        if closeInputAfterFlush { closeInput() }
    }

    private func setInputInterest(_ events: UInt32) {
        guard let inputToken, pipes.input.write >= 0 else { return }
        try? loop.modify(inputToken, descriptor: pipes.input.write, events: events)
    }

    private func failPendingWrites(_ error: any Error) {
        let writes = pendingWrites
        pendingWrites = []
        for write in writes { write.completion.resume(throwing: error) }
    }

    private func closeInput() {
        if let inputToken { loop.deregister(inputToken, descriptor: pipes.input.write) }
        inputToken = nil
        pipes.closeInput()
    }

    // MARK: Standard output

    func resumeReading() {
        outputReader?.resume()
    }

    // MARK: Standard error

    private func readError() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while pipes.error.read >= 0 {
            let count: Int?
            do {
                count = try buffer.withUnsafeMutableBufferPointer { raw throws(SystemCallError) in
                    try nonBlockingCall("read(stderr)") { Glibc.read(pipes.error.read, raw.baseAddress, raw.count) }
                }
            } catch {
                count = 0  // an unreadable error pipe is treated as closed
            }
            guard let count else { return }
            if count == 0 {
                if !errorBuffer.isEmpty { emitErrorLine() }
                if let errorToken { loop.deregister(errorToken, descriptor: pipes.error.read) }
                errorToken = nil
                pipes.closeError()
                return
            }
            for byte in buffer[0..<count] {
                if byte == UInt8(ascii: "\n") {
                    emitErrorLine()
                } else if errorBuffer.count < configuration.maxErrorLineBytes {
                    errorBuffer.append(byte)
                } else {
                    errorLineTruncated = true
                }
            }
        }
    }

    private func emitErrorLine() {
        var line = String(decoding: errorBuffer, as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        if errorLineTruncated { line += " [truncated]" }
        errorBuffer.removeAll(keepingCapacity: true)
        errorLineTruncated = false
        recentErrorLines.append(line)
        if recentErrorLines.count > configuration.retainedErrorLines { recentErrorLines.removeFirst() }
        errorLine(line)
    }

    var openDescriptorCount: Int {
        pipes.openCount + (pidDescriptor >= 0 ? 1 : 0)
    }

    // MARK: Exit

    /// Resumes `continuation` with the exit once the child has ended, or with `nil` at
    /// `deadline` if it has not.
    func onExit(_ continuation: CheckedContinuation<ChildProcessExit?, Never>, deadline: ContinuousClock.Instant? = nil)
    {
        if let exit {
            continuation.resume(returning: exit)
            return
        }
        let id = nextWaiterID
        nextWaiterID += 1
        exitWaiters[id] = continuation
        if let deadline {
            loop.scheduleTimer(at: deadline) { [weak self] in
                self?.exitWaiters.removeValue(forKey: id)?.resume(returning: nil)
            }
        }
    }

    private func reap() {
        var status: CInt = 0
        let result = waitpid(pid, &status, WNOHANG)
        guard result == pid else { return }
        let exit: ChildProcessExit =
            (status & 0x7F) == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
        self.exit = exit
        if let pidToken { loop.deregister(pidToken, descriptor: pidDescriptor) }
        pidToken = nil
        close(pidDescriptor)
        pidDescriptor = -1
        // What the child wrote before it ended is still in the pipes: drain it.
        readError()
        outputReader?.readAvailable()
        if inputToken != nil {
            failPendingWrites(SystemCallError("write(stdin)", errno: EPIPE))
            closeInput()
        }
        let waiters = exitWaiters.values
        exitWaiters = [:]
        for waiter in waiters { waiter.resume(returning: exit) }
    }
}

import MCPCore
internal import Glibc
import Synchronization

/// The server side of the MCP stdio transport: newline-delimited JSON-RPC messages read
/// from the process's standard input and written to its standard output.
///
/// When standard input is a pipe or a socket (as when a client starts the server), it is
/// read without blocking on an event loop of the transport's own, whose thread can also run
/// the server's tasks (``executor``), so that reading a request, handling it and writing
/// the answer need no hand-off between threads. A file or a terminal is read by a thread of
/// its own with blocking reads. Either way reading is bounded by a buffer: a peer that
/// writes faster than the server handles makes the reader wait. Writes are serialized, one
/// whole line at a time, so messages from concurrent handlers never interleave.
public final class StdioServerTransport: Sendable {
    /// What the client sent.
    public typealias Inbound = StdioClientTransport.Inbound

    private let input: ByteStreamQueue
    private let reader: LineMessageReader
    private let writeLock = Mutex(())
    private let outputDescriptor: CInt
    private let loop: EventLoop?
    /// The reader of a pipe or socket, kept here: the loop's registration refers to it
    /// without owning it.
    private let pipeReader: LoopBound<PipeReader?>?

    /// The executor of the thread that reads standard input when it is a pipe or a socket:
    /// a server that runs its handling with this preference
    /// (`withTaskExecutorPreference(transport.executor) { ... }`) keeps each request on
    /// one thread. `nil` when standard input is read by a blocking thread.
    public var executor: (any TaskExecutor)? { loop }

    /// Starts reading standard input.
    ///
    /// - Parameters:
    ///   - inputDescriptor: the descriptor to read (default 0, standard input).
    ///   - outputDescriptor: the descriptor to write (default 1, standard output).
    ///   - maxMessageBytes: the largest message accepted (default 4 MiB).
    public init(inputDescriptor: CInt = 0, outputDescriptor: CInt = 1, maxMessageBytes: Int = 4 << 20) {
        self.outputDescriptor = outputDescriptor
        self.reader = LineMessageReader(maxMessageBytes: maxMessageBytes)
        if Self.isPollable(inputDescriptor), let loop = try? EventLoop.start(name: "stdio") {
            let reader = LoopBound<PipeReader?>(nil, loop: loop)
            // Weak: the reader holds the queue.
            let queue = ByteStreamQueue(limit: 256 << 10) { [weak reader] in
                guard let reader else { return }
                loop.execute { reader.value?.resume() }
            }
            self.input = queue
            self.loop = loop
            self.pipeReader = reader
            loop.execute {
                _ = fcntl(inputDescriptor, F_SETFL, fcntl(inputDescriptor, F_GETFL) | O_NONBLOCK)
                let pipe = PipeReader(descriptor: inputDescriptor, loop: loop, queue: queue, name: "read(stdin)")
                reader.value = pipe
                do {
                    try pipe.start()
                } catch {
                    queue.finish(throwing: error)
                }
            }
        } else {
            let gate = ReadGate()
            let queue = ByteStreamQueue(limit: 256 << 10) { gate.open() }
            self.input = queue
            self.loop = nil
            self.pipeReader = nil
            Self.startReader(descriptor: inputDescriptor, queue: queue, gate: gate)
        }
    }

    deinit {
        // The reader is taken off the loop on the loop's thread, where it could still be
        // called (the closure keeps it alive until then); then the loop's thread ends.
        guard let loop, let pipeReader else { return }
        loop.execute { pipeReader.value?.stop() }
        loop.stop()
    }

    /// Whether the descriptor is a pipe or a socket, which epoll can watch.
    private static func isPollable(_ descriptor: CInt) -> Bool {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { return false }
        let kind = status.st_mode & S_IFMT
        return kind == S_IFIFO || kind == S_IFSOCK
    }

    /// Opens and closes around the reader thread: closed while the queue is full.
    private final class ReadGate: Sendable {
        private let state = Mutex(true)
        private let condition = ConditionBox()

        func open() {
            state.withLock { $0 = true }
            condition.signal()
        }

        func close() { state.withLock { $0 = false } }

        func waitUntilOpen() {
            while !state.withLock({ $0 }) { condition.wait(timeoutMilliseconds: 50) }
        }
    }

    /// A condition variable for the reader thread.
    private final class ConditionBox: @unchecked Sendable {
        // @unchecked Sendable: the pthread mutex and condition are used only through their
        // own thread-safe calls.
        private var mutex = pthread_mutex_t()
        private var condition = pthread_cond_t()

        init() {
            pthread_mutex_init(&mutex, nil)
            pthread_cond_init(&condition, nil)
        }

        deinit {
            pthread_cond_destroy(&condition)
            pthread_mutex_destroy(&mutex)
        }

        func signal() {
            pthread_mutex_lock(&mutex)
            pthread_cond_signal(&condition)
            pthread_mutex_unlock(&mutex)
        }

        func wait(timeoutMilliseconds: Int) {
            var now = timespec()
            clock_gettime(CLOCK_REALTIME, &now)
            var deadline = now
            deadline.tv_nsec += timeoutMilliseconds * 1_000_000
            if deadline.tv_nsec >= 1_000_000_000 {
                deadline.tv_sec += 1
                deadline.tv_nsec -= 1_000_000_000
            }
            pthread_mutex_lock(&mutex)
            pthread_cond_timedwait(&condition, &mutex, &deadline)
            pthread_mutex_unlock(&mutex)
        }
    }

    private final class ReaderContext {
        let descriptor: CInt
        let queue: ByteStreamQueue
        let gate: ReadGate
        init(descriptor: CInt, queue: ByteStreamQueue, gate: ReadGate) {
            self.descriptor = descriptor
            self.queue = queue
            self.gate = gate
        }
    }

    private static func startReader(descriptor: CInt, queue: ByteStreamQueue, gate: ReadGate) {
        let context = Unmanaged.passRetained(ReaderContext(descriptor: descriptor, queue: queue, gate: gate))
        var thread = pthread_t()
        let result = pthread_create(
            &thread, nil,
            { argument in
                let context = Unmanaged<ReaderContext>.fromOpaque(argument!).takeRetainedValue()
                var buffer = [UInt8](repeating: 0, count: 64 * 1024)
                while true {
                    context.gate.waitUntilOpen()
                    let count = buffer.withUnsafeMutableBytes { read(context.descriptor, $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    guard count > 0 else {
                        context.queue.finish()
                        return nil
                    }
                    if !context.queue.push(Array(buffer[0..<count])) { context.gate.close() }
                }
            }, context.toOpaque())
        if result == 0 {
            pthread_detach(thread)
        } else {
            context.release()
            queue.finish(throwing: SystemCallError("pthread_create", errno: result))
        }
    }

    /// The next message from the client, or `nil` once its input has ended.
    ///
    /// Call from one task at a time.
    public func receive() async throws -> Inbound? {
        try await reader.next { try await input.next() }
    }

    /// Writes one message as one line.
    ///
    /// - Parameter message: the JSON-RPC message bytes.
    /// - Throws: ``SystemCallError`` when standard output is closed.
    public func send(_ message: some Collection<UInt8>) throws {
        let line = LineFramer.frame(message)
        try writeLock.withLock { _ in
            var offset = 0
            while offset < line.count {
                let written = line[offset...].withUnsafeBytes { write(outputDescriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw SystemCallError("write(stdout)", errno: errno)
                }
                offset += written
            }
        }
    }
}

internal import CLinux
internal import Glibc
import Synchronization

/// Something registered with an ``EventLoop`` that reacts to readiness of a descriptor.
///
/// Called on the loop's thread only.
package protocol EventLoopHandler: AnyObject {
    /// The descriptor is ready.
    ///
    /// - Parameter events: the `EPOLL*` bits that epoll reported.
    func handleEvents(_ events: UInt32)
}

/// One thread running `epoll_wait`, the descriptors registered with it, its timers, and
/// the Swift tasks that prefer it as their executor.
///
/// A task that runs with an event loop as its executor preference runs on the same thread
/// that reads its socket, so a request goes from bytes to handler and back to bytes with
/// no thread hop. Work from other threads arrives through a queue and an `eventfd` wake-up.
package final class EventLoop: TaskExecutor, @unchecked Sendable {
    // @unchecked Sendable: `registrations`, `timers` and `nextToken` are touched only on the
    // loop thread (asserted by `preconditionInEventLoop`); everything shared across threads
    // is behind `pending`, a Mutex; `epoll`, `wake` and `threadID` are set once.

    private struct Pending {
        var jobs: [UnownedJob] = []
        var closures: [@Sendable () -> Void] = []
        var wakeScheduled = false
        var stopping = false
    }

    private let epoll: CInt
    private let wake: CInt
    private let pending = Mutex(Pending())
    private let threadID = Mutex<pthread_t?>(nil)
    private var registrations: [UInt64: any EventLoopHandler] = [:]
    private var timers = TimerQueue()
    private var nextToken: UInt64 = 1
    private let name: String

    /// A buffer for reads on this loop's thread: every reader copies what it needs out of
    /// it before the next read, so one buffer serves all connections of the loop.
    package let readBuffer: UnsafeMutableRawBufferPointer

    private static let wakeToken: UInt64 = 0

    /// Creates a loop; call ``run()`` on a thread of its own, or use ``start(name:)``.
    package init(name: String) throws(SystemCallError) {
        self.name = name
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        do {
            epoll = try systemCall("epoll_create1") { epoll_create1(CInt(EPOLL_CLOEXEC)) }
        } catch {
            readBuffer.deallocate()
            throw error
        }
        do {
            wake = try systemCall("eventfd") { eventfd(0, CInt(EFD_NONBLOCK | EFD_CLOEXEC)) }
        } catch {
            close(epoll)
            readBuffer.deallocate()
            throw error
        }
        var event = epoll_event()
        clinux_epoll_event_set(&event, EPOLLIN.rawValue, Self.wakeToken)
        _ = try? systemCall("epoll_ctl") { epoll_ctl(epoll, EPOLL_CTL_ADD, wake, &event) }
    }

    deinit {
        close(wake)
        close(epoll)
        readBuffer.deallocate()
    }

    /// Starts a loop on a new thread.
    ///
    /// - Parameter name: the thread's name, for debuggers and logs.
    /// - Returns: the running loop.
    package static func start(name: String) throws(SystemCallError) -> EventLoop {
        let loop = try EventLoop(name: name)
        let ready = Mutex(false)
        let box = Unmanaged.passRetained(loop)
        var thread = pthread_t()
        let result = pthread_create(&thread, nil, { argument in
            let loop = Unmanaged<EventLoop>.fromOpaque(argument!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        guard result == 0 else {
            box.release()
            throw SystemCallError("pthread_create", errno: result)
        }
        loop.threadID.withLock { $0 = thread }
        _ = ready
        return loop
    }

    /// Whether the caller runs on this loop's thread.
    package var inEventLoop: Bool {
        guard let thread = threadID.withLock({ $0 }) else { return false }
        return pthread_equal(thread, pthread_self()) != 0
    }

    package func preconditionInEventLoop(file: StaticString = #fileID, line: UInt = #line) {
        precondition(inEventLoop, "must run on event loop \(name)", file: file, line: line)
    }

    // MARK: Work from anywhere

    /// Runs a job of a Swift task on this loop (the `TaskExecutor` requirement).
    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let needsWake = pending.withLock { pending -> Bool in
            pending.jobs.append(job)
            return scheduleWake(&pending)
        }
        if needsWake { signal() }
    }

    /// Runs a closure on this loop's thread, soon.
    ///
    /// - Parameter work: the closure.
    package func execute(_ work: @escaping @Sendable () -> Void) {
        let needsWake = pending.withLock { pending -> Bool in
            pending.closures.append(work)
            return scheduleWake(&pending)
        }
        if needsWake { signal() }
    }

    private func scheduleWake(_ pending: inout Pending) -> Bool {
        guard !pending.wakeScheduled else { return false }
        pending.wakeScheduled = true
        return !inEventLoop
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(wake, &one, MemoryLayout<UInt64>.size)
    }

    /// Asks the loop to stop after the work already queued; returns at once.
    package func stop() {
        pending.withLock { $0.stopping = true }
        signal()
    }

    // MARK: Registrations (loop thread only)

    /// Registers a descriptor.
    ///
    /// - Parameters:
    ///   - descriptor: a non-blocking descriptor.
    ///   - events: the `EPOLL*` bits of interest (edge- or level-triggered).
    ///   - handler: called with the ready bits on this loop's thread.
    /// - Returns: a token for ``modify(_:descriptor:events:)`` and ``deregister(_:descriptor:)``.
    package func register(descriptor: CInt, events: UInt32, handler: any EventLoopHandler) throws(SystemCallError) -> UInt64 {
        preconditionInEventLoop()
        let token = nextToken
        nextToken += 1
        var event = epoll_event()
        clinux_epoll_event_set(&event, events, token)
        _ = try systemCall("epoll_ctl(ADD)") { epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) }
        registrations[token] = handler
        return token
    }

    /// Changes the events of interest of a registered descriptor.
    package func modify(_ token: UInt64, descriptor: CInt, events: UInt32) throws(SystemCallError) {
        preconditionInEventLoop()
        var event = epoll_event()
        clinux_epoll_event_set(&event, events, token)
        _ = try systemCall("epoll_ctl(MOD)") { epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event) }
    }

    /// Removes a descriptor; call before closing it.
    package func deregister(_ token: UInt64, descriptor: CInt) {
        preconditionInEventLoop()
        var event = epoll_event()
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, &event)
        registrations[token] = nil
    }

    // MARK: Timers (loop thread only)

    /// Runs `work` on this loop at `deadline` unless cancelled first.
    ///
    /// - Returns: an id for ``cancelTimer(_:)``.
    @discardableResult
    package func scheduleTimer(at deadline: ContinuousClock.Instant, _ work: @escaping () -> Void) -> UInt64 {
        preconditionInEventLoop()
        return timers.schedule(at: deadline, work)
    }

    /// Cancels a timer that has not fired; does nothing otherwise.
    package func cancelTimer(_ id: UInt64) {
        preconditionInEventLoop()
        timers.cancel(id)
    }

    // MARK: The loop

    /// Runs the loop on the calling thread until ``stop()``.
    package func run() {
        threadID.withLock { $0 = pthread_self() }
        _ = pthread_setname_np(pthread_self(), String(name.prefix(15)))
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while true {
            let timeout = pollTimeout()
            let count = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epoll, buffer.baseAddress, CInt(buffer.count), timeout)
            }
            if count > 0 {
                for index in 0..<Int(count) {
                    let token = withUnsafePointer(to: &events[index]) { clinux_epoll_event_token($0) }
                    if token == Self.wakeToken {
                        var value: UInt64 = 0
                        _ = read(wake, &value, MemoryLayout<UInt64>.size)
                    } else if let handler = registrations[token] {
                        handler.handleEvents(events[index].events)
                    }
                }
            }
            // Taken out first: a timer's work may schedule or cancel other timers.
            for work in timers.takeDue(now: .now) { work() }
            if runPending() { break }
        }
    }

    /// Runs the queued jobs and closures; returns whether the loop should stop.
    private func runPending() -> Bool {
        // Bounded rounds, so that a task that keeps re-enqueuing itself cannot starve I/O.
        for _ in 0..<16 {
            let (jobs, closures, stopping) = pending.withLock { pending in
                defer {
                    pending.jobs.removeAll(keepingCapacity: true)
                    pending.closures.removeAll(keepingCapacity: true)
                    pending.wakeScheduled = false
                }
                return (pending.jobs, pending.closures, pending.stopping)
            }
            if jobs.isEmpty && closures.isEmpty { return stopping }
            for closure in closures { closure() }
            let executor = asUnownedTaskExecutor()
            for job in jobs { job.runSynchronously(on: executor) }
        }
        return false
    }

    private func pollTimeout() -> CInt {
        let hasWork = pending.withLock { !$0.jobs.isEmpty || !$0.closures.isEmpty || $0.stopping }
        if hasWork { return 0 }
        guard let next = timers.nextDeadline else { return -1 }
        let remaining = ContinuousClock.now.duration(to: next)
        if remaining <= .zero { return 0 }
        let (seconds, attoseconds) = remaining.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return CInt(clamping: milliseconds)
    }
}

/// An ``EventLoopHandler`` that calls a closure.
package final class EventCallback: EventLoopHandler {
    private let callback: (UInt32) -> Void

    package init(_ callback: @escaping (UInt32) -> Void) {
        self.callback = callback
    }

    package func handleEvents(_ events: UInt32) {
        callback(events)
    }
}

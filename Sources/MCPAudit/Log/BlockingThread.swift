#if canImport(Glibc)
    import Glibc
#endif

/// Runs blocking work (SQLite commits that wait for the disk, sockets that wait for a
/// collector) on a thread of its own, so that no thread of Swift's small cooperative pool
/// is held; the calling task awaits the thread's end, which keeps the work structured.
enum BlockingThread {
    private final class Work {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    /// Runs `body` on a new thread and returns when it has finished. When no thread can
    /// be created, `body` runs on the calling thread.
    static func run(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let work = Work {
                body()
                continuation.resume()
            }
            let context = Unmanaged.passRetained(work).toOpaque()
            var thread = pthread_t()
            let result = pthread_create(
                &thread, nil,
                { context in
                    let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
                    work.body()
                    return nil
                }, context)
            if result == 0 {
                pthread_detach(thread)
            } else {
                Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body()
            }
        }
    }
}

/// A wake-up call for a thread that sleeps until there is work or a timeout passes: a
/// POSIX semaphore (extra posts only cause an extra, harmless, look at the queue).
final class WakeSignal: @unchecked Sendable {
    // Safe: the semaphore is only used through sem_post and sem_timedwait, which are
    // thread-safe; it lives at a fixed address until deinit.
    private let semaphore: UnsafeMutablePointer<sem_t>

    init() {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, 0)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Wakes the sleeper (or makes its next wait return at once).
    func signal() {
        sem_post(semaphore)
    }

    /// Sleeps until signalled or until `timeout` passed.
    func wait(timeout: Duration) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let (seconds, attoseconds) = timeout.components
        var nanoseconds = Int(now.tv_nsec) + Int(attoseconds / 1_000_000_000)
        var deadline = timespec(tv_sec: now.tv_sec + Int(seconds) + nanoseconds / 1_000_000_000, tv_nsec: 0)
        nanoseconds %= 1_000_000_000
        deadline.tv_nsec = nanoseconds
        while sem_timedwait(semaphore, &deadline) != 0 && errno == EINTR {}
    }
}

internal import CLinux
internal import Glibc

/// Reads a non-blocking pipe or socket on an event loop into a ``ByteStreamQueue`` until
/// its input ends or fails, either of which ends the queue.
///
/// While the queue is full the descriptor is taken off the loop, not merely left without
/// events of interest: a pipe whose writer has gone reports its hang-up at every turn,
/// whatever events were asked for. ``resume()``, called once the consumer has drained the
/// queue, puts it back.
///
/// Loop-confined: every method runs on the loop's thread.
final class PipeReader {
    let descriptor: CInt
    private let loop: EventLoop
    private let queue: ByteStreamQueue
    private let name: String
    private let onEnd: () -> Void
    private var token: UInt64?
    private var paused = false
    private var ended = false

    /// Creates a reader; ``start()`` registers it.
    ///
    /// - Parameters:
    ///   - descriptor: a non-blocking pipe or socket.
    ///   - loop: the loop that reads it.
    ///   - queue: where the bytes go; its resume callback should call ``resume()`` on
    ///     the loop.
    ///   - name: the read's name in errors, such as `read(stdout)`.
    ///   - onEnd: called once when the input ends or fails, before the queue ends (to
    ///     close the descriptor, say).
    init(
        descriptor: CInt, loop: EventLoop, queue: ByteStreamQueue, name: String, onEnd: @escaping () -> Void = {}
    ) {
        self.descriptor = descriptor
        self.loop = loop
        self.queue = queue
        self.name = name
        self.onEnd = onEnd
    }

    /// Registers the descriptor with the loop; bytes are read as they become ready.
    func start() throws(SystemCallError) {
        token = try loop.register(
            descriptor: descriptor, events: EPOLLIN.rawValue,
            handler: EventCallback { [unowned self] _ in self.readAvailable() })
    }

    /// Puts a reader paused by a full queue back on the loop and reads what is waiting.
    func resume() {
        guard paused, !ended else { return }
        paused = false
        do {
            try start()
        } catch {
            end(error)
            return
        }
        readAvailable()
    }

    /// Reads until the descriptor has nothing more for now, the queue is full, or the
    /// input ends.
    func readAvailable() {
        guard !paused, !ended else { return }
        let buffer = loop.readBuffer
        while true {
            let count: Int?
            do {
                count = try nonBlockingCall(name) { read(descriptor, buffer.baseAddress, buffer.count) }
            } catch {
                end(error)
                return
            }
            guard let count else { return }
            if count == 0 {
                end(nil)
                return
            }
            if !queue.push(Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))) {
                paused = true
                deregister()
                return
            }
            // A short read drained the descriptor; the registration reports what comes next.
            if count < buffer.count { return }
        }
    }

    /// Stops reading: takes the descriptor off the loop and ends the queue.
    func stop() {
        end(nil)
    }

    private func deregister() {
        if let token { loop.deregister(token, descriptor: descriptor) }
        token = nil
    }

    private func end(_ error: (any Error)?) {
        guard !ended else { return }
        ended = true
        deregister()
        onEnd()
        queue.finish(throwing: error)
    }
}

import Synchronization

/// Chunks of bytes from an event loop to one consuming task, bounded in bytes.
///
/// The producer (on the loop) pushes chunks and learns from the result whether to keep
/// reading; once the consumer drains the queue below half the bound, the `resume`
/// callback asks the producer to read again. Memory per stream stays under the bound plus
/// one read.
package final class ByteStreamQueue: Sendable {
    private struct State {
        var chunks: [[UInt8]] = []
        var head = 0
        var buffered = 0
        var finished = false
        var failure: (any Error)?
        var waiter: CheckedContinuation<[UInt8]?, any Error>?
        var producerPaused = false
    }

    private let state = Mutex(State())
    private let limit: Int
    private let resume: @Sendable () -> Void

    /// Creates a queue.
    ///
    /// - Parameters:
    ///   - limit: the bytes buffered before the producer is told to pause.
    ///   - resume: called (from the consumer's thread) when a paused producer may read again.
    package init(limit: Int, resume: @escaping @Sendable () -> Void) {
        self.limit = limit
        self.resume = resume
    }

    /// Adds a chunk.
    ///
    /// - Returns: whether the producer may keep reading; `false` means pause until `resume`.
    @discardableResult
    package func push(_ chunk: [UInt8]) -> Bool {
        guard !chunk.isEmpty else { return true }
        let (waiter, keepReading) = state.withLock { state -> (CheckedContinuation<[UInt8]?, any Error>?, Bool) in
            guard !state.finished else { return (nil, false) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, true)
            }
            state.chunks.append(chunk)
            state.buffered += chunk.count
            if state.buffered >= limit {
                state.producerPaused = true
                return (nil, false)
            }
            return (nil, true)
        }
        waiter?.resume(returning: chunk)
        return keepReading
    }

    /// Ends the stream, after the chunks already queued, with an error or normally.
    package func finish(throwing error: (any Error)? = nil) {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, any Error>? in
            guard !state.finished else { return nil }
            state.finished = true
            state.failure = error
            defer { state.waiter = nil }
            return state.chunks.count > state.head ? nil : state.waiter
        }
        if let waiter {
            if let error { waiter.resume(throwing: error) } else { waiter.resume(returning: nil) }
        }
    }

    /// The next chunk, or `nil` at the end of the stream.
    ///
    /// - Throws: the error the stream ended with, or `CancellationError` when the waiting
    ///   task is cancelled.
    package func next() async throws -> [UInt8]? {
        if let ready = try poll(register: nil) { return ready.chunk }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[UInt8]?, any Error>) in
                do {
                    if let ready = try poll(register: continuation) { continuation.resume(returning: ready.chunk) }
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// What `poll` found: a chunk, or `nil` for the end of the stream.
    private struct Ready {
        var chunk: [UInt8]?
    }

    /// Takes a ready chunk or the end of the stream; otherwise registers `waiter` (when
    /// given) and returns `nil`.
    private func poll(register waiter: CheckedContinuation<[UInt8]?, any Error>?) throws -> Ready? {
        let (result, shouldResume) = state.withLock { state -> (Result<Ready?, any Error>, Bool) in
            if state.chunks.count > state.head {
                let chunk = state.chunks[state.head]
                state.chunks[state.head] = []
                state.head += 1
                state.buffered -= chunk.count
                if state.head == state.chunks.count {
                    state.chunks.removeAll(keepingCapacity: true)
                    state.head = 0
                }
                let shouldResume = state.producerPaused && state.buffered <= limit / 2 && !state.finished
                if shouldResume { state.producerPaused = false }
                return (.success(Ready(chunk: chunk)), shouldResume)
            }
            if state.finished {
                if let failure = state.failure { return (.failure(failure), false) }
                return (.success(Ready(chunk: nil)), false)
            }
            if let waiter {
                if Task.isCancelled { return (.failure(CancellationError()), false) }
                state.waiter = waiter
            }
            return (.success(nil), false)
        }
        if shouldResume { resume() }
        return try result.get()
    }

    /// The bytes waiting for the consumer.
    package var bufferedBytes: Int { state.withLock { $0.buffered } }
}

import Synchronization

/// The body of an ``HTTPClientResponse``, streaming as it arrives.
///
/// Reading is bounded: when the reader falls behind by the request's buffer size, the
/// transfer pauses until it catches up. Dropping the last reference to a body that has not
/// ended aborts its transfer.
public final class HTTPClientResponseBody: Sendable {
    let queue: ByteStreamQueue
    private let cancelTransfer: @Sendable () -> Void

    init(queue: ByteStreamQueue, cancel: @escaping @Sendable () -> Void) {
        self.queue = queue
        self.cancelTransfer = cancel
    }

    deinit {
        cancelTransfer()
    }

    /// The next chunk, or `nil` at the end of the body.
    ///
    /// - Throws: ``HTTPClientError`` when the transfer fails, or `CancellationError`.
    public func next() async throws -> [UInt8]? {
        try await queue.next()
    }

    /// Aborts the transfer; later reads end with ``HTTPClientError/Code/cancelled``.
    public func cancel() {
        cancelTransfer()
    }
}

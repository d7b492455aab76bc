extension EventLoop {
    /// Runs `body` on this loop's thread and returns its result to the caller.
    ///
    /// - Parameter body: the work; it may touch loop-confined state.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws.
    @discardableResult
    package func submit<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        if inEventLoop { return try body() }
        return try await withCheckedThrowingContinuation { continuation in
            execute {
                continuation.resume(with: Swift.Result { try body() })
            }
        }
    }
}

/// A reference whose value is touched only on one event loop's thread.
///
/// It lets a value that is not `Sendable` travel inside `@Sendable` closures that are
/// guaranteed to run on the loop; every access asserts that guarantee in debug builds.
package final class LoopBound<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is read and written only on `loop`'s thread, which
    // `assertInLoop` checks on every access.
    private var storage: Value
    package let loop: EventLoop

    package init(_ value: Value, loop: EventLoop) {
        self.storage = value
        self.loop = loop
    }

    package var value: Value {
        get {
            assert(loop.inEventLoop)
            return storage
        }
        _modify {
            assert(loop.inEventLoop)
            yield &storage
        }
    }
}

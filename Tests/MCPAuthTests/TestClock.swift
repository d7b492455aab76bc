import MCPAuth
import Synchronization

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let seconds: Mutex<Int64>

    init(_ start: Int64 = 1_800_000_000) { seconds = Mutex(start) }

    var clock: AuthClock { AuthClock { [self] in self.seconds.withLock { $0 } } }

    func advance(by delta: Int64) { seconds.withLock { $0 += delta } }

    var now: Int64 { seconds.withLock { $0 } }
}

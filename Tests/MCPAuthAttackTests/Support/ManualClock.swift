import MCPAuth
import Synchronization

/// A clock for the authorization server that only moves when a test moves it, so code,
/// access token and registration windows can be crossed without waiting.
final class ManualClock: Sendable {
    private let seconds: Mutex<Int64>

    /// Starts at the current wall-clock second.
    init() {
        seconds = Mutex(AuthClock.system.now())
    }

    /// The current time, in seconds since 1970.
    var now: Int64 { seconds.withLock { $0 } }

    /// Moves the clock forward.
    func advance(by interval: Int64) {
        seconds.withLock { $0 += interval }
    }

    /// The clock as the authorization server reads it.
    var authClock: AuthClock {
        AuthClock { self.now }
    }
}

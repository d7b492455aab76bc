import Synchronization

/// Failed sign-ins counted per username and per client address over a window: past the
/// limit, further attempts are refused without checking a password (so guessing is slow
/// and costs the server nothing), until the window ends.
final class SignInThrottle: Sendable {
    private struct Count {
        var failures: Int
        var windowStart: Int64
    }

    private let counts = Mutex<[String: Count]>([:])
    private let clock: AuthClock
    /// The window, in seconds.
    let window: Int64
    /// Failures allowed per username in a window.
    let perUsername: Int
    /// Failures allowed per client address in a window.
    let perAddress: Int

    init(clock: AuthClock, window: Int64 = 900, perUsername: Int = 10, perAddress: Int = 30) {
        self.clock = clock
        self.window = window
        self.perUsername = perUsername
        self.perAddress = perAddress
    }

    /// Seconds until attempts for this username or from this address are accepted again,
    /// or `nil` when they are now.
    func blocked(username: String, address: String) -> Int64? {
        let now = clock.now()
        return counts.withLock { counts in
            var wait: Int64?
            for (key, limit) in [("u:" + username, perUsername), ("a:" + address, perAddress)] {
                guard let count = counts[key], now - count.windowStart < window, count.failures >= limit else {
                    continue
                }
                wait = max(wait ?? 0, count.windowStart + window - now)
            }
            return wait
        }
    }

    /// Counts a failed attempt.
    func failed(username: String, address: String) {
        let now = clock.now()
        counts.withLock { counts in
            if counts.count >= 100_000 { counts = counts.filter { now - $0.value.windowStart < window } }
            for key in ["u:" + username, "a:" + address] {
                var count = counts[key] ?? Count(failures: 0, windowStart: now)
                if now - count.windowStart >= window { count = Count(failures: 0, windowStart: now) }
                count.failures += 1
                counts[key] = count
            }
        }
    }

    /// Forgets a username's failures after it signed in.
    func succeeded(username: String) {
        _ = counts.withLock { $0.removeValue(forKey: "u:" + username) }
    }
}

/// When to restart a child process that exited, as a state machine free of clocks and I/O.
///
/// Each unexpected exit is an event; the policy answers with an action: restart after a
/// delay that doubles with every exit in a row (with jitter, up to a ceiling), or give up
/// once too many exits fall within a window, so a server that crashes at start does not
/// spin. A child that stayed up long enough resets the delay. Time is passed in, so the
/// machine is tested with a fake clock.
public struct RestartPolicy: Sendable, Hashable {
    /// The tuning of the policy.
    public struct Configuration: Sendable, Hashable {
        /// The delay after the first exit.
        public var initialDelay: Duration
        /// The longest delay.
        public var maximumDelay: Duration
        /// The factor applied to the delay after each exit in a row.
        public var multiplier: Double
        /// The fraction of the delay added or removed at random (0 for none).
        public var jitter: Double
        /// An uptime after which the child counts as healthy and the delay starts over.
        public var stableUptime: Duration
        /// The most exits within ``window`` before the policy gives up.
        public var maximumExits: Int
        /// The window for ``maximumExits``.
        public var window: Duration

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - initialDelay: default 250 ms.
        ///   - maximumDelay: default 30 s.
        ///   - multiplier: default 2.
        ///   - jitter: default 0.2.
        ///   - stableUptime: default 60 s.
        ///   - maximumExits: default 10.
        ///   - window: default 5 minutes.
        public init(
            initialDelay: Duration = .milliseconds(250),
            maximumDelay: Duration = .seconds(30),
            multiplier: Double = 2,
            jitter: Double = 0.2,
            stableUptime: Duration = .seconds(60),
            maximumExits: Int = 10,
            window: Duration = .seconds(300)
        ) {
            self.initialDelay = initialDelay
            self.maximumDelay = maximumDelay
            self.multiplier = multiplier
            self.jitter = jitter
            self.stableUptime = stableUptime
            self.maximumExits = maximumExits
            self.window = window
        }
    }

    /// What to do after an exit.
    public enum Action: Sendable, Hashable {
        /// Start the child again after this delay.
        case restart(after: Duration)
        /// Stop trying: the child exited too often within the window.
        case giveUp(exits: Int)
    }

    /// The tuning.
    public let configuration: Configuration
    private var consecutiveExits = 0
    private var recentExits: [Duration] = []
    private var startedAt: Duration?

    /// Creates a policy.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The child started.
    ///
    /// - Parameter now: the time, as a duration since any fixed origin.
    public mutating func started(at now: Duration) {
        startedAt = now
    }

    /// The child exited without being asked to.
    ///
    /// - Parameters:
    ///   - now: the time, on the clock given to ``started(at:)``.
    ///   - random: a value in `0..<1` for the jitter.
    /// - Returns: what to do.
    public mutating func exited(at now: Duration, random: Double) -> Action {
        if let startedAt, now - startedAt >= configuration.stableUptime { consecutiveExits = 0 }
        startedAt = nil
        recentExits.append(now)
        recentExits.removeAll { now - $0 > configuration.window }
        if recentExits.count > configuration.maximumExits { return .giveUp(exits: recentExits.count) }

        var delay = configuration.initialDelay
        for _ in 0..<consecutiveExits {
            delay = delay * configuration.multiplier
            if delay >= configuration.maximumDelay {
                delay = configuration.maximumDelay
                break
            }
        }
        consecutiveExits += 1
        let spread = configuration.jitter * (2 * min(max(random, 0), 1) - 1)
        delay = delay + delay * spread
        return .restart(after: min(max(delay, .zero), configuration.maximumDelay))
    }

    /// Forgets past exits, for a restart an operator asked for.
    public mutating func reset() {
        consecutiveExits = 0
        recentExits = []
        startedAt = nil
    }
}

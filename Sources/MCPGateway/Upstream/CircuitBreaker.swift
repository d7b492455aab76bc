/// A per-upstream circuit breaker, as a state machine free of clocks: time is passed in.
///
/// Closed, it lets calls through and counts failures in a row (timeouts, an unavailable
/// upstream; not JSON-RPC errors, which are answers). At `failureThreshold` it opens and
/// refuses calls at once for `openDuration`, so a dead upstream costs clients nothing and
/// gets no retry storm. Then it is half-open: one probe call goes through; its success
/// closes the breaker, its failure opens it again for twice as long (up to
/// `maximumOpenDuration`).
struct CircuitBreaker: Sendable {
    /// The tuning.
    struct Configuration: Sendable, Hashable {
        var failureThreshold = 5
        var openDuration: Duration = .seconds(5)
        var maximumOpenDuration: Duration = .seconds(60)
    }

    enum State: Sendable, Hashable {
        case closed(failures: Int)
        case open(until: Duration, length: Duration)
        case halfOpen(probing: Bool, length: Duration)
    }

    /// Whether a call may go.
    enum Admission: Sendable, Hashable {
        case allowed
        /// A probe: its outcome decides the breaker's next state.
        case probe
        case refused(retryAfter: Duration)
    }

    let configuration: Configuration
    private(set) var state: State = .closed(failures: 0)

    init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// The state's name, for metrics: `closed`, `open` or `half_open`.
    var stateName: String {
        switch state {
        case .closed: "closed"
        case .open: "open"
        case .halfOpen: "half_open"
        }
    }

    /// Asks to make a call at time `now`.
    mutating func admit(at now: Duration) -> Admission {
        switch state {
        case .closed:
            return .allowed
        case .open(let until, let length):
            guard now >= until else { return .refused(retryAfter: until - now) }
            state = .halfOpen(probing: true, length: length)
            return .probe
        case .halfOpen(let probing, let length):
            guard !probing else { return .refused(retryAfter: .milliseconds(100)) }
            state = .halfOpen(probing: true, length: length)
            return .probe
        }
    }

    /// Records a call that got an answer.
    mutating func succeeded() {
        state = .closed(failures: 0)
    }

    /// Records a call that failed at time `now` (timed out, upstream unavailable).
    mutating func failed(at now: Duration) {
        switch state {
        case .closed(let failures):
            if failures + 1 >= configuration.failureThreshold {
                state = .open(until: now + configuration.openDuration, length: configuration.openDuration)
            } else {
                state = .closed(failures: failures + 1)
            }
        case .halfOpen(_, let length):
            let longer = min(length * 2, configuration.maximumOpenDuration)
            state = .open(until: now + longer, length: longer)
        case .open:
            break
        }
    }

    /// Records that a probe ended without telling anything (the client went away).
    mutating func probeAbandoned() {
        if case .halfOpen(_, let length) = state { state = .halfOpen(probing: false, length: length) }
    }
}

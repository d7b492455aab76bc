import Testing

@testable import MCPGateway

/// The circuit breaker as a state machine, with time passed in.
@Suite("Circuit breaker")
struct CircuitBreakerTests {
    let configuration = CircuitBreaker.Configuration(
        failureThreshold: 3, openDuration: .seconds(5), maximumOpenDuration: .seconds(15))

    @Test func opensAfterFailuresInARowAndRefusesUntilItsTimeIsUp() {
        var breaker = CircuitBreaker(configuration: configuration)
        breaker.failed(at: .seconds(1))
        breaker.failed(at: .seconds(2))
        #expect(breaker.admit(at: .seconds(2)) == .allowed)
        breaker.succeeded()  // a success in between starts the count over
        breaker.failed(at: .seconds(3))
        breaker.failed(at: .seconds(3))
        #expect(breaker.stateName == "closed")
        breaker.failed(at: .seconds(4))
        #expect(breaker.stateName == "open")
        #expect(breaker.admit(at: .seconds(6)) == .refused(retryAfter: .seconds(3)))
        #expect(breaker.admit(at: .milliseconds(8999)) == .refused(retryAfter: .milliseconds(1)))
    }

    @Test func letsOneProbeThroughWhenHalfOpen() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.failed(at: .zero) }
        #expect(breaker.admit(at: .seconds(5)) == .probe)
        #expect(breaker.stateName == "half_open")
        // Only one probe at a time: every other call is refused meanwhile.
        if case .refused = breaker.admit(at: .seconds(5)) {
        } else {
            Issue.record("a second call went through while probing")
        }
        breaker.succeeded()
        #expect(breaker.stateName == "closed")
        #expect(breaker.admit(at: .seconds(5)) == .allowed)
    }

    @Test func aFailedProbeOpensItForLongerUpToTheMaximum() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.failed(at: .zero) }
        #expect(breaker.admit(at: .seconds(5)) == .probe)
        breaker.failed(at: .seconds(5))
        #expect(breaker.admit(at: .seconds(14)) == .refused(retryAfter: .seconds(1)), "open for 10 s now")
        #expect(breaker.admit(at: .seconds(15)) == .probe)
        breaker.failed(at: .seconds(15))
        #expect(breaker.admit(at: .seconds(29)) == .refused(retryAfter: .seconds(1)), "capped at 15 s")
        #expect(breaker.admit(at: .seconds(30)) == .probe)
    }

    @Test func anAbandonedProbeLetsTheNextCallProbe() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { breaker.failed(at: .zero) }
        #expect(breaker.admit(at: .seconds(5)) == .probe)
        breaker.probeAbandoned()
        #expect(breaker.admit(at: .seconds(5)) == .probe)
    }
}

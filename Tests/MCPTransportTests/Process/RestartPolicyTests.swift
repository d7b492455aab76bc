import Testing

@testable import MCPTransport

@Suite("Restart policy")
struct RestartPolicyTests {
    private let noJitter = RestartPolicy.Configuration(
        initialDelay: .milliseconds(100), maximumDelay: .seconds(2), jitter: 0, stableUptime: .seconds(10),
        maximumExits: 5, window: .seconds(60))

    @Test func delaysDoubleUpToTheCeiling() {
        var policy = RestartPolicy(configuration: RestartPolicy.Configuration(
            initialDelay: .milliseconds(100), maximumDelay: .seconds(2), jitter: 0, maximumExits: 100, window: .seconds(60)))
        var now = Duration.zero
        var delays: [Duration] = []
        for _ in 0..<8 {
            policy.started(at: now)
            now += .milliseconds(10)
            guard case .restart(let delay) = policy.exited(at: now, random: 0.5) else {
                Issue.record("gave up too early")
                return
            }
            delays.append(delay)
            now += delay
        }
        #expect(delays == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600), .seconds(2), .seconds(2), .seconds(2)])
    }

    @Test func aStableRunResetsTheDelay() {
        var policy = RestartPolicy(configuration: noJitter)
        policy.started(at: .zero)
        _ = policy.exited(at: .seconds(1), random: 0.5)
        policy.started(at: .seconds(2))
        #expect(policy.exited(at: .seconds(3), random: 0.5) == .restart(after: .milliseconds(200)))
        policy.started(at: .seconds(4))
        #expect(policy.exited(at: .seconds(20), random: 0.5) == .restart(after: .milliseconds(100)))
    }

    @Test func givesUpAfterTooManyExitsInTheWindowButNotSpreadOut() {
        var policy = RestartPolicy(configuration: noJitter)
        var actions: [RestartPolicy.Action] = []
        for second in 0..<6 {
            policy.started(at: .seconds(second))
            actions.append(policy.exited(at: .seconds(second) + .milliseconds(500), random: 0.5))
        }
        #expect(actions.last == .giveUp(exits: 6))
        #expect(actions.dropLast().allSatisfy { if case .restart = $0 { true } else { false } })

        var spread = RestartPolicy(configuration: noJitter)
        for minute in 0..<20 {
            spread.started(at: .seconds(minute * 61))
            let action = spread.exited(at: .seconds(minute * 61 + 1), random: 0.5)
            #expect(action != .giveUp(exits: 1) && { if case .giveUp = action { false } else { true } }())
        }
    }

    @Test func jitterStaysWithinItsFraction() {
        let configuration = RestartPolicy.Configuration(initialDelay: .seconds(1), jitter: 0.2)
        for random in stride(from: 0.0, to: 1.0, by: 0.05) {
            var policy = RestartPolicy(configuration: configuration)
            policy.started(at: .zero)
            guard case .restart(let delay) = policy.exited(at: .seconds(1), random: random) else {
                Issue.record("gave up")
                return
            }
            #expect(delay >= .milliseconds(800) && delay <= .milliseconds(1200))
        }
    }
}

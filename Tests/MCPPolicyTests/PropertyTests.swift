import MCPCore
import MCPPolicy
import Testing

@Suite("Properties on random policies")
struct PropertyTests {
    static let rounds = 300
    static let requestsPerRound = 40
    let now = wednesdayNoon

    func build(_ documents: [GenDocument]) throws -> PolicyEngine {
        try PolicyEngine(documents: documents.map { try PolicyDocument(parsing: $0.json) })
    }

    func summary(_ decision: PolicyDecision) -> ReferenceEvaluator.Result {
        ReferenceEvaluator.Result(
            outcome: decision.outcome, deciding: decision.decidingRule?.description,
            matched: decision.matchedRules.map(\.description), shadowOutcome: decision.shadow?.outcome,
            shadowMatched: decision.shadow?.matchedRules.map(\.description) ?? [])
    }

    @Test("the indexed engine decides exactly as the naive reference evaluator")
    func matchesReference() throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: 0x5EED_0001))
        var compared = 0
        for _ in 0..<Self.rounds {
            let documents = generator.documents()
            let policy = try build(documents)
            let reference = ReferenceEvaluator(documents: documents)
            for _ in 0..<Self.requestsPerRound {
                let request = generator.request()
                let expected = reference.evaluate(request)
                let actual = summary(policy.evaluate(request, now: now))
                #expect(actual == expected, "\(request) with \(documents.map(\.json))")
                if actual != expected { return }
                compared += 1
            }
        }
        #expect(compared == Self.rounds * Self.requestsPerRound)
    }

    @Test("an explicit deny always wins, whatever else matches")
    func denyWins() throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: 0x5EED_0002))
        var denials = 0
        for _ in 0..<Self.rounds {
            let documents = generator.documents()
            let policy = try build(documents)
            let reference = ReferenceEvaluator(documents: documents)
            for _ in 0..<Self.requestsPerRound {
                let request = generator.request()
                guard reference.explicitDeny(request) else { continue }
                denials += 1
                let decision = policy.decide(request, now: now)
                #expect(decision.outcome == .deny)
                #expect(decision.decidingRule?.effect == .deny)
            }
        }
        #expect(denials > 500)
    }

    @Test("a rule of organization A never affects a principal of organization B")
    func organizationIsolation() throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: 0x5EED_0003))
        for _ in 0..<Self.rounds {
            let documents = generator.documents()
            let full = try build(documents)
            var alone: [String: PolicyEngine] = [:]
            for organization in Universe.organizations {
                alone[organization] = try build(documents.filter { $0.organization == organization })
            }
            for _ in 0..<Self.requestsPerRound {
                let request = generator.request()
                let alone = alone[request.principal.organization]!
                let decision = summary(full.evaluate(request, now: now))
                #expect(decision == summary(alone.evaluate(request, now: now)))
                for rule in decision.matched + decision.shadowMatched where !rule.hasPrefix("request/") {
                    #expect(rule.hasPrefix(request.principal.organization + "-"))
                }
            }
        }
    }

    @Test("read-only mode never lets through a tool the policy does not declare read-only")
    func readOnlyMode() throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: 0x5EED_0004))
        var checked = 0
        for _ in 0..<Self.rounds {
            var documents = generator.documents()
            // Put every principal of the first organization document in read-only mode.
            if let first = documents.firstIndex(where: { $0.layer == .organization && !$0.shadow }) {
                let document = documents[first]
                documents[first] = GenDocument(
                    id: document.id, organization: document.organization, layer: document.layer, owner: document.owner,
                    defaultEffect: document.defaultEffect, shadow: false, declarations: document.declarations,
                    rules: document.rules + [
                        GenRule(id: "everyone-read-only", kind: .readOnly, shadow: false, when: GenConditions())
                    ])
            }
            let policy = try build(documents)
            let reference = ReferenceEvaluator(documents: documents)
            for _ in 0..<Self.requestsPerRound {
                var request = generator.request()
                request.kind = .toolCall
                if request.name.isEmpty { request.name = "merge" }
                let inMode =
                    request.readOnly
                    || documents.contains {
                        $0.organization == request.principal.organization
                            && $0.rules.contains { $0.id == "everyone-read-only" }
                    }
                guard inMode else { continue }
                checked += 1
                let decision = policy.decide(request, now: now)
                if decision.outcome != .deny {
                    #expect(reference.provenReadOnly(request), "\(request.name) ran in read-only mode")
                }
                if !reference.provenReadOnly(request) {
                    #expect(!policy.isVisible(request, now: now))
                }
            }
        }
        #expect(checked > 1000)
    }

    @Test("listing and call enforcement agree")
    func listingAgrees() throws {
        var generator = PolicyGenerator(random: SplitMix64(seed: 0x5EED_0005))
        var hidden = 0
        for round in 0..<Self.rounds {
            generator.withArguments = round % 2 == 0
            let documents = generator.documents()
            let policy = try build(documents)
            for _ in 0..<Self.requestsPerRound {
                var request = generator.request()
                request.kind = generator.random.pick([.toolCall, .resourceRead, .promptGet])
                if request.name.isEmpty { request.name = "search" }
                let visible = policy.isVisible(request, now: now)
                if !visible {
                    hidden += 1
                    // Hidden: every call is denied, whatever its arguments.
                    for arguments: JSONValue in [
                        .null, ["env": "prod"], ["env": "dev", "force": true], ["path": "/etc/x"],
                    ] {
                        var probe = request
                        probe.arguments = arguments
                        #expect(policy.evaluate(probe, now: now).outcome == .deny)
                    }
                }
                if !generator.withArguments {
                    // Without argument conditions: listed iff the call is not denied.
                    #expect(visible == (policy.evaluate(request, now: now).outcome != .deny))
                }
            }
        }
        #expect(hidden > 500)
    }
}

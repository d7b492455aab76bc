import MCPCore
import MCPPolicy
import Testing

/// Rate limits, loop detection and approvals, driven by a fake clock (times passed in).
@Suite("Rate limits, loops and approvals")
struct StateTests {
    let start = wednesdayNoon

    static let limited = allowAll(
        #"""
        {"id":"per-user-tool","effect":"rateLimit","when":{"names":["search"]},"rateLimit":{"capacity":3,"refillPerSecond":1,"key":["principal","tool"]}},
        {"id":"upstream-wide","effect":"rateLimit","when":{"upstreams":["slow"]},"rateLimit":{"capacity":2,"refillPerSecond":0.5,"key":["upstream"]}}
        """#)

    @Test("a token bucket admits its capacity, then refuses with the time until the next token, then refills")
    func tokenBucket() throws {
        let policy = try engine(Self.limited)
        for _ in 0..<3 { #expect(policy.decide(call("search"), now: start).outcome == .allow) }
        let refused = policy.decide(call("search"), now: start)
        #expect(refused.outcome == .rateLimited)
        #expect(refused.retryAfterMilliseconds == 1000)
        #expect(refused.decidingRule?.ruleID == "per-user-tool")
        #expect(policy.decide(call("search"), now: start.adding(milliseconds: 999)).outcome == .rateLimited)
        #expect(policy.decide(call("search"), now: start.adding(milliseconds: 1000)).outcome == .allow)
        #expect(policy.decide(call("search"), now: start.adding(milliseconds: 1000)).outcome == .rateLimited)
        // Three seconds refill the bucket, but never above its capacity.
        let later = start.adding(seconds: 60)
        for _ in 0..<3 { #expect(policy.decide(call("search"), now: later).outcome == .allow) }
        #expect(policy.decide(call("search"), now: later).outcome == .rateLimited)
    }

    @Test("buckets are keyed by the parts the rule names")
    func bucketKeys() throws {
        let policy = try engine(Self.limited)
        for _ in 0..<3 { _ = policy.decide(call("search"), now: start) }
        #expect(policy.decide(call("search"), now: start).outcome == .rateLimited)
        #expect(policy.decide(call("search", as: principal("bob")), now: start).outcome == .allow)
        #expect(policy.decide(call("search", upstream: "jira"), now: start).outcome == .rateLimited)
        // Keyed by upstream only: alice and bob share it.
        #expect(policy.decide(call("a", upstream: "slow"), now: start).outcome == .allow)
        #expect(policy.decide(call("b", upstream: "slow", as: principal("bob")), now: start).outcome == .allow)
        let third = policy.decide(call("c", upstream: "slow", as: principal("carol")), now: start)
        #expect(third.outcome == .rateLimited)
        #expect(third.retryAfterMilliseconds == 2000)
    }

    @Test("a refused call takes no token from any bucket, and a denied call none at all")
    func refusalsTakeNothing() throws {
        let policy = try engine(
            allowAll(
                #"""
                {"id":"wide","effect":"rateLimit","rateLimit":{"capacity":2,"refillPerSecond":0.001}},
                {"id":"narrow","effect":"rateLimit","when":{"names":["x"]},"rateLimit":{"capacity":1,"refillPerSecond":0.001}},
                {"id":"no-y","effect":"deny","when":{"names":["y"]}}
                """#))
        #expect(policy.decide(call("x"), now: start).outcome == .allow)  // wide 1 left, narrow 0
        #expect(policy.decide(call("x"), now: start).outcome == .rateLimited)  // takes nothing from wide
        for _ in 0..<5 { #expect(policy.decide(call("y"), now: start).outcome == .deny) }
        #expect(policy.decide(call("z"), now: start).outcome == .allow)  // wide's last token
        #expect(policy.decide(call("z"), now: start).decidingRule?.ruleID == "wide")
    }

    @Test("the limiter keeps at most its key capacity, forgetting the least recently used")
    func boundedBuckets() throws {
        let limiter = RateLimiter(maxKeys: 4)
        let policy = try PolicyEngine(
            documents: [
                try document(
                    allowAll(
                        #"{"id":"l","effect":"rateLimit","rateLimit":{"capacity":1,"refillPerSecond":0.001,"key":["principal"]}}"#
                    ))
            ],
            rateLimiter: limiter)
        for index in 0..<50 { _ = policy.decide(call("t", as: principal("user-\(index)")), now: start) }
        #expect(limiter.count == 4)
        #expect(policy.decide(call("t", as: principal("user-49")), now: start).outcome == .rateLimited)
        #expect(policy.decide(call("t", as: principal("user-0")), now: start).outcome == .allow)
    }

    @Test("a reloaded engine keeps the buckets of the engine it replaces")
    func reloadKeepsState() throws {
        let first = try engine(Self.limited)
        for _ in 0..<3 { _ = first.decide(call("search"), now: start) }
        let second = try first.reloading([try document(Self.limited)])
        #expect(second.decide(call("search"), now: start).outcome == .rateLimited)
    }

    static let loops = allowAll("", extra: #","loopDetection":{"threshold":3,"windowSeconds":10}"#)

    @Test("the same call with the same arguments repeated within the window is denied with a reason")
    func loopDenied() throws {
        let policy = try engine(Self.loops)
        let arguments: JSONValue = ["q": "x", "page": 1]
        let reordered: JSONValue = ["page": 1, "q": "x"]
        #expect(policy.decide(call("search", arguments: arguments), now: start).outcome == .allow)
        #expect(policy.decide(call("search", arguments: reordered), now: start.adding(seconds: 1)).outcome == .allow)
        let third = policy.decide(call("search", arguments: arguments), now: start.adding(seconds: 2))
        #expect(third.outcome == .deny)
        #expect(third.reason == "the same call to search with the same arguments was made 3 times within 10 seconds")
        // Other arguments, another principal, or a call after the window are not loops.
        #expect(policy.decide(call("search", arguments: ["q": "y"]), now: start.adding(seconds: 2)).outcome == .allow)
        #expect(policy.decide(call("search", as: principal("bob"), arguments: arguments), now: start).outcome == .allow)
        #expect(policy.decide(call("search", arguments: arguments), now: start.adding(seconds: 30)).outcome == .allow)
    }

    @Test("loop detection can throttle instead of deny")
    func loopThrottled() throws {
        let policy = try engine(
            allowAll("", extra: #","loopDetection":{"threshold":2,"windowSeconds":5,"action":"throttle"}"#))
        _ = policy.decide(call("ping"), now: start)
        let second = policy.decide(call("ping"), now: start)
        #expect(second.outcome == .rateLimited)
        #expect(second.retryAfterMilliseconds == 5000)
    }

    static let approvals = allowAll(
        #"{"id":"merge","effect":"requireApproval","reason":"merges need a reviewer","when":{"names":["merge"]}}"#)

    @Test("an approval request is opened once per call and resolves the retried call once")
    func approvalOnce() throws {
        let policy = try engine(Self.approvals)
        let request = call("merge", arguments: ["pr": 7])
        let first = policy.decide(request, now: start)
        #expect(first.outcome == .requireApproval)
        #expect(first.reason == "merges need a reviewer")
        let id = try #require(first.approvalID)
        #expect(id.rawValue.hasPrefix("apr_") && id.rawValue.utf8.count == 36)
        #expect(policy.decide(request, now: start.adding(seconds: 1)).approvalID == id)
        let record = try policy.approvals.record(id, outcome: .approved, by: "carol", now: start.adding(seconds: 5))
        #expect(record.outcome == .approved && record.decidedBy == "carol" && record.singleUse)
        let retried = policy.decide(request, now: start.adding(seconds: 6))
        #expect(retried.outcome == .allow)
        #expect(retried.reason == "approved by carol")
        #expect(retried.approvalID == id)
        let again = policy.decide(request, now: start.adding(seconds: 7))
        #expect(again.outcome == .requireApproval)
        #expect(again.approvalID != id)
    }

    @Test("an outcome its caller applied itself is consumed and covers no other call; a remembered one stays")
    func approvalConsumed() throws {
        let policy = try engine(Self.approvals)
        let request = call("merge", arguments: ["pr": 9])
        let id = try #require(policy.decide(request, now: start).approvalID)
        try policy.approvals.record(id, outcome: .approved, by: "carol", now: start)
        policy.approvals.consume(id)
        #expect(policy.decide(request, now: start.adding(seconds: 1)).outcome == .requireApproval)

        let remembered = try #require(policy.decide(call("merge", arguments: ["pr": 10]), now: start).approvalID)
        try policy.approvals.record(remembered, outcome: .approved, by: "carol", rememberForSeconds: 60, now: start)
        policy.approvals.consume(remembered)
        #expect(policy.decide(call("merge", arguments: ["pr": 10]), now: start.adding(seconds: 2)).outcome == .allow)
        policy.approvals.consume(ApprovalID("apr_unknown"))  // an unknown id changes nothing
    }

    @Test("a remembered approval covers repeated calls until it expires, with or without the same arguments")
    func approvalMemory() throws {
        let policy = try engine(Self.approvals)
        let id = try #require(policy.decide(call("merge", arguments: ["pr": 1]), now: start).approvalID)
        try policy.approvals.record(id, outcome: .approved, by: "carol", rememberForSeconds: 60, now: start)
        for offset in [1, 30, 59] as [Int64] {
            #expect(
                policy.decide(call("merge", arguments: ["pr": 1]), now: start.adding(seconds: offset)).outcome == .allow
            )
        }
        #expect(policy.decide(call("merge", arguments: ["pr": 2]), now: start).outcome == .requireApproval)
        #expect(
            policy.decide(call("merge", arguments: ["pr": 1]), now: start.adding(seconds: 60)).outcome
                == .requireApproval)
        #expect(
            policy.decide(call("merge", as: principal("bob"), arguments: ["pr": 1]), now: start).outcome
                == .requireApproval)

        let any = try #require(policy.decide(call("merge", arguments: ["pr": 3]), now: start).approvalID)
        try policy.approvals.record(
            any, outcome: .approved, by: "dave", rememberForSeconds: 600, matchingArguments: false, now: start)
        #expect(policy.decide(call("merge", arguments: ["pr": 99]), now: start.adding(seconds: 100)).outcome == .allow)
        #expect(
            policy.decide(call("merge", upstream: "gitlab", arguments: ["pr": 99]), now: start).outcome
                == .requireApproval)
    }

    @Test("a remembered refusal denies, and ledger misuse gets typed errors")
    func approvalRefusalAndErrors() throws {
        let policy = try engine(Self.approvals)
        let id = try #require(policy.decide(call("merge"), now: start).approvalID)
        try policy.approvals.record(id, outcome: .denied, by: "carol", rememberForSeconds: 60, now: start)
        let decision = policy.decide(call("merge"), now: start.adding(seconds: 1))
        #expect(decision.outcome == .deny)
        #expect(decision.reason == "refused by carol")
        #expect(throws: PolicyError(.approvalAlreadyDecided, at: "", "")) {
            try policy.approvals.record(id, outcome: .approved, by: "mallory", now: start)
        }
        #expect(throws: PolicyError(.unknownApproval, at: "", "")) {
            try policy.approvals.record(ApprovalID("apr_nope"), outcome: .approved, by: "x", now: start)
        }
        #expect(policy.approvals.request(id)?.decidedBy == "carol")
    }

    @Test("an unanswered approval request expires")
    func approvalExpiry() throws {
        let ledger = ApprovalLedger(requestLifetimeSeconds: 60)
        let policy = try PolicyEngine(documents: [try document(Self.approvals)], approvals: ledger)
        let id = try #require(policy.decide(call("merge"), now: start).approvalID)
        #expect(throws: PolicyError(.unknownApproval, at: "", "")) {
            try ledger.record(id, outcome: .approved, by: "carol", now: start.adding(seconds: 61))
        }
        #expect(policy.decide(call("merge"), now: start.adding(seconds: 61)).approvalID != id)
    }
}

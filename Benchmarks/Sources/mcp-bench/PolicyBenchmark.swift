import MCPCore
import MCPPolicy

/// Decision latency of the policy engine with 10, 1,000 and 10,000 rules: a realistic mix
/// of exact tool names, globs, argument conditions, team and subject rules, rate limits
/// and denies over several organizations and upstreams. Reports p50/p99 of single
/// decisions and the growth against the 10-rule engine measured in the same run.
enum PolicyBenchmark {
    struct Generator {
        var state: UInt64
        mutating func next(_ bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(bound))
        }
    }

    static let verbs = ["get", "list", "create", "update", "delete", "search", "merge", "close", "sync", "export"]
    static let nouns = (0..<50).map { "object\($0)" }
    static let upstreams = (0..<10).map { "upstream\($0)" }

    static func documents(rules: Int, organizations: Int, seed: UInt64) -> [String] {
        var random = Generator(state: seed)
        var documents: [String] = []
        let perOrganization = max(1, rules / organizations)
        for organization in 0..<organizations {
            var entries: [String] = []
            for index in 0..<perOrganization {
                let verb = verbs[random.next(verbs.count)]
                let name = "\(verb)_\(nouns[random.next(nouns.count)])"
                let upstream = upstreams[random.next(upstreams.count)]
                let id = "r\(index)"
                switch random.next(10) {
                case 0, 1, 2, 3:
                    entries.append(
                        #"{"id":"\#(id)","effect":"allow","when":{"upstreams":["\#(upstream)"],"names":["\#(name)"]}}"#)
                case 4, 5:
                    entries.append(
                        #"{"id":"\#(id)","effect":"allow","when":{"upstreams":["\#(upstream)"],"names":["\#(verb)_object\#(random.next(5))*"]}}"#
                    )
                case 6:
                    entries.append(
                        #"{"id":"\#(id)","effect":"deny","reason":"protected","when":{"names":["\#(name)"],"arguments":[{"path":"repo","op":"prefix","value":"prod-"},{"path":"count","op":"range","max":100}]}}"#
                    )
                case 7:
                    entries.append(
                        #"{"id":"\#(id)","effect":"deny","when":{"upstreams":["\#(upstream)"],"names":["\#(name)"],"arguments":[{"path":"query","op":"regex","value":"(?:drop|truncate)\\s+table"}]}}"#
                    )
                case 8:
                    entries.append(
                        #"{"id":"\#(id)","effect":"allow","when":{"teams":["team\#(random.next(20))"],"names":["\#(name)"]}}"#
                    )
                default:
                    entries.append(
                        #"{"id":"\#(id)","effect":"rateLimit","when":{"names":["\#(name)"]},"rateLimit":{"capacity":1000000000,"refillPerSecond":1000000,"key":["principal","tool"]}}"#
                    )
                }
            }
            documents.append(
                #"{"id":"org\#(organization)","organization":"org\#(organization)","defaultEffect":"deny","rules":[\#(entries.joined(separator: ","))]}"#
            )
        }
        return documents
    }

    static func requests(organizations: Int, count: Int, seed: UInt64) -> [PolicyRequest] {
        var random = Generator(state: seed)
        return (0..<count).map { index in
            let principal = PolicyPrincipal(
                subject: "user\(random.next(100))", organization: "org\(random.next(organizations))",
                teams: ["team\(random.next(20))"], agent: "agent", scopes: ["read"])
            let arguments: JSONValue = [
                "repo": .string(random.next(2) == 0 ? "prod-api" : "dev-api"),
                "count": .number(JSONNumber(random.next(200))),
                "query": "select * from users where id = 42",
            ]
            return PolicyRequest(
                principal: principal, connection: "c\(index % 7)", upstream: upstreams[random.next(upstreams.count)],
                kind: .toolCall, name: "\(verbs[random.next(verbs.count)])_\(nouns[random.next(nouns.count)])",
                arguments: arguments)
        }
    }

    static func run() {
        print("Policy: one decision (decide, with rate-limit buckets) against 10, 1,000 and 10,000 rules")
        let now = PolicyTime(unixSeconds: 1_795_608_000)
        var results: [(Int, Measurement, Measurement)] = []
        for (rules, organizations) in [(10, 1), (1_000, 10), (10_000, 10)] {
            let texts = documents(rules: rules, organizations: organizations, seed: 42)
            let engine = try! PolicyEngine(documents: texts.map { try! PolicyDocument(parsing: $0) })
            let requests = requests(organizations: organizations, count: 4096, seed: 7)
            var index = 0
            let decide = measure("decide, \(rules) rules", batch: 1) {
                blackHole(engine.decide(requests[index & 4095], now: now))
                index &+= 1
            }
            let evaluate = measure("evaluate (static), \(rules) rules", batch: 1) {
                blackHole(engine.evaluate(requests[index & 4095], now: now))
                index &+= 1
            }
            var outcomes: [PolicyOutcome: Int] = [:]
            for request in requests.prefix(1000) {
                outcomes[engine.evaluate(request, now: now).outcome, default: 0] += 1
            }
            print(
                "  \(rules) rules: outcomes of 1,000 requests \(outcomes.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", "))"
            )
            results.append((rules, decide, evaluate))
        }
        report(results.flatMap { [$0.1, $0.2] })
        let base = results[0]
        for result in results.dropFirst() {
            print(
                String(
                    format: "  growth %5d -> %5d rules: decide p50 x%.2f, p99 x%.2f; evaluate p50 x%.2f",
                    base.0, result.0, result.1.median / base.1.median, result.1.p99 / base.1.p99,
                    result.2.median / base.2.median))
        }
        print()
    }
}

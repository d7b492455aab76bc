import MCPCore
import MCPPolicy

/// Random policies for property tests, kept as plain values, rendered to JSON for the
/// engine and evaluated directly by ``ReferenceEvaluator`` (a naive scan of every rule).
enum Universe {
    static let organizations = ["acme", "globex"]
    static let subjects = ["alice", "bob", "carol"]
    static let teams = ["dev", "ops"]
    static let agents = ["cli", "ide"]
    static let connections = ["c1", "c2"]
    static let upstreams = ["github", "jira", "web"]
    static let names = ["get_issue", "get_repo", "list_issues", "delete_repo", "merge", "search", "file:///etc/hosts"]
    static let globs = ["get_*", "*_issue", "*", "*repo", "list_?ssues", "file:///*"]
    static let scopes = ["read", "write"]
    static let facts = ["untrusted-content", "private-data"]
    static let traits = ["readOnly", "destructive", "idempotent", "openWorld"]
    static let kinds = OperationKind.allCases
}

struct GenArgument {
    let json: String
    let holds: (JSONValue) -> Bool
}

struct GenConditions {
    var subjects: [String]?
    var teams: [String]?
    var agents: [String]?
    var connections: [String]?
    var scopes: [String]?
    var lacksScopes: [String]?
    var upstreams: [String]?
    var kinds: [OperationKind]?
    var names: [String]?
    var traits: [String]?
    var hints: [String]?
    var facts: [String]?
    var withoutFacts: [String]?
    var arguments: [GenArgument] = []

    var json: String {
        var parts: [String] = []
        func list(_ key: String, _ values: [String]?) {
            guard let values else { return }
            parts.append("\"\(key)\":[" + values.map { "\"\($0)\"" }.joined(separator: ",") + "]")
        }
        list("subjects", subjects)
        list("teams", teams)
        list("agents", agents)
        list("connections", connections)
        list("scopes", scopes)
        list("lacksScopes", lacksScopes)
        list("upstreams", upstreams)
        list("kinds", kinds?.map(\.rawValue))
        list("names", names)
        list("traits", traits)
        list("hints", hints)
        list("facts", facts)
        list("withoutFacts", withoutFacts)
        if !arguments.isEmpty { parts.append("\"arguments\":[" + arguments.map(\.json).joined(separator: ",") + "]") }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

struct GenRule {
    enum Kind { case rule(PolicyRuleEffect), readOnly, feature([OperationKind]) }
    let id: String
    let kind: Kind
    let shadow: Bool
    let when: GenConditions
}

struct GenDocument {
    let id: String
    let organization: String
    let layer: PolicyLayer
    let owner: String?
    let defaultEffect: DefaultEffect?
    let shadow: Bool
    let declarations: [(upstream: String?, names: [String], traits: [String])]
    let rules: [GenRule]

    /// In the order the document lists them: read-only entries, features, rules.
    var orderedRules: [GenRule] {
        rules.filter { if case .readOnly = $0.kind { true } else { false } }
            + rules.filter { if case .feature = $0.kind { true } else { false } }
            + rules.filter { if case .rule = $0.kind { true } else { false } }
    }

    var json: String {
        var parts = ["\"id\":\"\(id)\"", "\"organization\":\"\(organization)\"", "\"layer\":\"\(layer.rawValue)\""]
        switch layer {
        case .team: parts.append("\"team\":\"\(owner!)\"")
        case .user: parts.append("\"subject\":\"\(owner!)\"")
        case .organization: break
        }
        if let defaultEffect { parts.append("\"defaultEffect\":\"\(defaultEffect.rawValue)\"") }
        if shadow { parts.append("\"shadow\":true") }
        if !declarations.isEmpty {
            parts.append(
                "\"tools\":["
                    + declarations.map { declaration in
                        let upstream = declaration.upstream.map { "\"upstream\":\"\($0)\"," } ?? ""
                        return "{" + upstream + "\"names\":["
                            + declaration.names.map { "\"\($0)\"" }.joined(separator: ",")
                            + "],\"traits\":[" + declaration.traits.map { "\"\($0)\"" }.joined(separator: ",") + "]}"
                    }.joined(separator: ",") + "]")
        }
        var readOnly: [String] = []
        var features: [String] = []
        var rules: [String] = []
        for rule in self.rules {
            let shadowPart = rule.shadow ? ",\"shadow\":true" : ""
            switch rule.kind {
            case .readOnly:
                readOnly.append("{\"id\":\"\(rule.id)\",\"when\":\(rule.when.json)\(shadowPart)}")
            case .feature(let kinds):
                let disabled = kinds.map { kind -> String in
                    switch kind {
                    case .toolCall: "\"tools\""
                    case .resourceRead: "\"resources\""
                    case .promptGet: "\"prompts\""
                    case .sampling: "\"sampling\""
                    case .elicitation: "\"elicitation\""
                    }
                }
                features.append(
                    "{\"id\":\"\(rule.id)\",\"when\":\(rule.when.json),\"disable\":[\(disabled.joined(separator: ","))]\(shadowPart)}"
                )
            case .rule(let effect):
                let limit =
                    effect == .rateLimit ? ",\"rateLimit\":{\"capacity\":1000000,\"refillPerSecond\":1000}" : ""
                rules.append(
                    "{\"id\":\"\(rule.id)\",\"effect\":\"\(effect.rawValue)\",\"when\":\(rule.when.json)\(shadowPart)\(limit)}"
                )
            }
        }
        if !readOnly.isEmpty { parts.append("\"readOnlyMode\":[" + readOnly.joined(separator: ",") + "]") }
        if !features.isEmpty { parts.append("\"features\":[" + features.joined(separator: ",") + "]") }
        parts.append("\"rules\":[" + rules.joined(separator: ",") + "]")
        return "{" + parts.joined(separator: ",") + "}"
    }
}

/// Generates random documents and requests over ``Universe``.
struct PolicyGenerator {
    var random: SplitMix64
    var withArguments = true

    mutating func subset<T>(_ items: [T], percent: Int) -> [T]? {
        guard random.chance(percent) else { return nil }
        var chosen = items.filter { _ in random.chance(50) }
        if chosen.isEmpty { chosen = [random.pick(items)] }
        return chosen
    }

    mutating func conditions(scopeOnly: Bool) -> GenConditions {
        var when = GenConditions()
        when.subjects = subset(Universe.subjects, percent: 15)
        when.teams = subset(Universe.teams, percent: 15)
        when.agents = subset(Universe.agents, percent: 10)
        when.connections = subset(Universe.connections, percent: 8)
        when.scopes = subset(Universe.scopes, percent: 8)
        when.lacksScopes = subset(Universe.scopes, percent: 8)
        when.upstreams = subset(Universe.upstreams, percent: 40)
        when.facts = subset(Universe.facts, percent: 10)
        when.withoutFacts = subset(Universe.facts, percent: 8)
        guard !scopeOnly else { return when }
        when.kinds = subset(Universe.kinds, percent: 40)
        if random.chance(70) {
            var names = subset(Universe.names, percent: 100) ?? []
            if random.chance(40) { names = Array(names.prefix(2)) + [random.pick(Universe.globs)] }
            when.names = names
        }
        when.traits = subset(Universe.traits, percent: 8)
        when.hints = subset(Universe.traits, percent: 8)
        if withArguments, random.chance(25) {
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                let value = random.pick(["prod", "dev"])
                when.arguments.append(
                    GenArgument(json: #"{"path":"env","op":"equals","value":"\#(value)"}"#) {
                        $0["env"] == .string(value)
                    })
            case 1:
                when.arguments.append(
                    GenArgument(json: #"{"path":"path","op":"prefix","value":"/etc"}"#) {
                        $0["path"]?.stringValue?.hasPrefix("/etc") ?? false
                    })
            case 2:
                when.arguments.append(GenArgument(json: #"{"path":"force","op":"present"}"#) { $0["force"] != nil })
            default:
                when.arguments.append(GenArgument(json: #"{"path":"force","op":"absent"}"#) { $0["force"] == nil })
            }
        }
        return when
    }

    mutating func documents() -> [GenDocument] {
        var documents: [GenDocument] = []
        for organization in Universe.organizations where random.chance(90) {
            let count = Int.random(in: 1...4, using: &random)
            for index in 0..<count {
                let layer: PolicyLayer = index == 0 ? .organization : random.pick([.organization, .team, .user])
                let owner: String? =
                    switch layer {
                    case .organization: nil
                    case .team: random.pick(Universe.teams)
                    case .user: random.pick(Universe.subjects)
                    }
                let id = "\(organization)-\(index)"
                var rules: [GenRule] = []
                for number in 0..<Int.random(in: 0...8, using: &random) {
                    let roll = Int.random(in: 0..<100, using: &random)
                    let kind: GenRule.Kind =
                        roll < 8
                        ? .readOnly
                        : roll < 16
                            ? .feature(subset(Universe.kinds, percent: 100)!)
                            : .rule(random.pick([.allow, .allow, .deny, .requireApproval, .rateLimit]))
                    let scopeOnly: Bool
                    if case .rule = kind { scopeOnly = false } else { scopeOnly = true }
                    rules.append(
                        GenRule(
                            id: "r\(number)", kind: kind, shadow: random.chance(10),
                            when: conditions(scopeOnly: scopeOnly)))
                }
                var declarations: [(upstream: String?, names: [String], traits: [String])] = []
                if layer == .organization {
                    for _ in 0..<Int.random(in: 0...3, using: &random) {
                        let traits =
                            random.chance(70)
                            ? ["readOnly"] + (random.chance(30) ? ["idempotent"] : [])
                            : (subset(["destructive", "openWorld", "idempotent"], percent: 100) ?? ["destructive"])
                        declarations.append(
                            (
                                random.chance(50) ? random.pick(Universe.upstreams) : nil,
                                [random.chance(70) ? random.pick(Universe.names) : random.pick(Universe.globs)], traits
                            ))
                    }
                }
                documents.append(
                    GenDocument(
                        id: id, organization: organization, layer: layer, owner: owner,
                        defaultEffect: index == 0 ? random.pick([.allow, .deny, nil]) : nil,
                        shadow: index > 0 && random.chance(10), declarations: declarations, rules: rules))
            }
        }
        return documents
    }

    mutating func request() -> PolicyRequest {
        let kind = random.pick(Universe.kinds)
        let who = PolicyPrincipal(
            subject: random.pick(Universe.subjects), organization: random.pick(Universe.organizations),
            teams: subset(Universe.teams, percent: 60) ?? [],
            agent: random.chance(70) ? random.pick(Universe.agents) : nil,
            scopes: subset(Universe.scopes, percent: 70) ?? [])
        var arguments = JSONObject()
        if random.chance(60) { arguments["env"] = .string(random.pick(["prod", "dev", "test"])) }
        if random.chance(40) { arguments["path"] = .string(random.pick(["/etc/hosts", "/tmp/x"])) }
        if random.chance(30) { arguments["force"] = .bool(true) }
        return PolicyRequest(
            principal: who, connection: random.chance(70) ? random.pick(Universe.connections) : nil,
            upstream: random.pick(Universe.upstreams), kind: kind,
            name: kind == .sampling || kind == .elicitation ? "" : random.pick(Universe.names),
            annotations: ToolAnnotations(
                readOnlyHint: random.chance(50) ? random.chance(50) : nil,
                destructiveHint: random.chance(50) ? random.chance(50) : nil),
            arguments: .object(arguments), facts: Set(subset(Universe.facts, percent: 40) ?? []),
            readOnly: random.chance(10))
    }
}

/// The naive reference: every rule of every document is tested, in order, with the
/// precedence written out plainly.
struct ReferenceEvaluator {
    let documents: [GenDocument]

    struct Result: Equatable {
        var outcome: PolicyOutcome
        var deciding: String?
        var matched: [String]
        var shadowOutcome: PolicyOutcome?
        var shadowMatched: [String]
    }

    static func globMatches(_ pattern: String, _ name: String) -> Bool {
        let p = Array(pattern.unicodeScalars)
        let n = Array(name.unicodeScalars)
        func match(_ i: Int, _ j: Int) -> Bool {
            if i == p.count { return j == n.count }
            if p[i] == "*" { return (j...n.count).contains { match(i + 1, $0) } }
            guard j < n.count else { return false }
            return (p[i] == "?" || p[i] == n[j]) && match(i + 1, j + 1)
        }
        return match(0, 0)
    }

    func declaredTraits(_ request: PolicyRequest) -> Set<String>? {
        guard request.kind == .toolCall else { return nil }
        var traits: Set<String>?
        for document in documents
        where document.organization == request.principal.organization && document.layer == .organization
            && !document.shadow
        {
            for declaration in document.declarations {
                if let upstream = declaration.upstream, upstream != request.upstream { continue }
                guard declaration.names.contains(where: { Self.globMatches($0, request.name) }) else { continue }
                traits = (traits ?? []).union(declaration.traits)
            }
        }
        return traits
    }

    func provenReadOnly(_ request: PolicyRequest) -> Bool {
        guard let traits = declaredTraits(request) else { return false }
        return traits.contains("readOnly") && !traits.contains("destructive")
    }

    func holds(_ when: GenConditions, _ request: PolicyRequest, ignoringArguments: Bool = false) -> Bool {
        let who = request.principal
        if let subjects = when.subjects, !subjects.contains(who.subject) { return false }
        if let teams = when.teams, Set(teams).isDisjoint(with: who.teams) { return false }
        if let agents = when.agents, !agents.contains(who.agent ?? "\u{0}") { return false }
        if let connections = when.connections, !connections.contains(request.connection ?? "\u{0}") { return false }
        if let scopes = when.scopes, !Set(scopes).isSubset(of: who.scopes) { return false }
        if let lacks = when.lacksScopes, Set(lacks).isSubset(of: who.scopes) { return false }
        if let upstreams = when.upstreams, !upstreams.contains(request.upstream) { return false }
        if let kinds = when.kinds, !kinds.contains(request.kind) { return false }
        if let names = when.names, !names.contains(where: { Self.globMatches($0, request.name) }) { return false }
        if let facts = when.facts, !Set(facts).isSubset(of: request.facts) { return false }
        if let without = when.withoutFacts, !Set(without).isDisjoint(with: request.facts) { return false }
        if let traits = when.traits {
            guard let declared = declaredTraits(request), Set(traits).isSubset(of: declared) else { return false }
        }
        if let hints = when.hints {
            guard request.kind == .toolCall else { return false }
            let annotations = request.annotations
            var effective: Set<String> = []
            if let declared = declaredTraits(request) {
                effective = declared
            } else {
                if annotations.readOnlyHint ?? false { effective.insert("readOnly") }
                if annotations.destructiveHint ?? true { effective.insert("destructive") }
                if annotations.idempotentHint ?? false { effective.insert("idempotent") }
                if annotations.openWorldHint ?? true { effective.insert("openWorld") }
            }
            guard Set(hints).isSubset(of: effective) else { return false }
        }
        if !ignoringArguments {
            for argument in when.arguments where !argument.holds(request.arguments) { return false }
        }
        return true
    }

    func evaluate(_ request: PolicyRequest) -> Result {
        let who = request.principal
        let mine = documents.filter { $0.organization == who.organization }
        let readOnlyDeny = request.readOnly && request.kind == .toolCall && !provenReadOnly(request)
        guard !mine.isEmpty else {
            return Result(
                outcome: .deny, deciding: nil, matched: readOnlyDeny ? ["request/read-only-connection"] : [],
                shadowOutcome: nil, shadowMatched: [])
        }
        var enforced: [(layer: Int, order: Int, id: String, effect: PolicyRuleEffect)] = []
        var shadowed: [(layer: Int, order: Int, id: String, effect: PolicyRuleEffect)] = []
        var order = 0
        for document in mine {
            let applies =
                switch document.layer {
                case .organization: true
                case .team: who.teams.contains(document.owner!)
                case .user: who.subject == document.owner!
                }
            for rule in document.orderedRules {
                order += 1
                guard applies else { continue }
                let effect: PolicyRuleEffect
                switch rule.kind {
                case .rule(let ruleEffect):
                    effect = ruleEffect
                    guard holds(rule.when, request) else { continue }
                case .readOnly:
                    effect = .deny
                    guard request.kind == .toolCall, !provenReadOnly(request), holds(rule.when, request) else {
                        continue
                    }
                case .feature(let kinds):
                    effect = .deny
                    guard kinds.contains(request.kind), holds(rule.when, request) else { continue }
                }
                let entry = (
                    document.layer == .user ? 0 : document.layer == .team ? 1 : 2, order, "\(document.id)/\(rule.id)",
                    effect
                )
                if document.shadow || rule.shadow { shadowed.append(entry) } else { enforced.append(entry) }
            }
        }
        let defaultEffect =
            mine.first { $0.layer == .organization && !$0.shadow && $0.defaultEffect != nil }?.defaultEffect ?? .deny
        func resolve(_ matches: [(layer: Int, order: Int, id: String, effect: PolicyRuleEffect)]) -> (
            PolicyOutcome, String?, [String]
        ) {
            let sorted = matches.sorted { ($0.layer, $0.order) < ($1.layer, $1.order) }
            var ids = sorted.map(\.id)
            if readOnlyDeny {
                ids.insert("request/read-only-connection", at: 0)
                return (.deny, "request/read-only-connection", ids)
            }
            if let deny = sorted.first(where: { $0.effect == .deny }) { return (.deny, deny.id, ids) }
            if let approval = sorted.first(where: { $0.effect == .requireApproval }) {
                return (.requireApproval, approval.id, ids)
            }
            if let allow = sorted.first(where: { $0.effect == .allow }) { return (.allow, allow.id, ids) }
            return (defaultEffect == .allow ? .allow : .deny, nil, ids)
        }
        let (outcome, deciding, matched) = resolve(enforced)
        var result = Result(
            outcome: outcome, deciding: deciding, matched: matched, shadowOutcome: nil, shadowMatched: [])
        if !shadowed.isEmpty {
            result.shadowOutcome = resolve(enforced + shadowed).0
            result.shadowMatched = shadowed.sorted { ($0.layer, $0.order) < ($1.layer, $1.order) }.map(\.id)
        }
        return result
    }

    /// Whether any enforced deny rule (or read-only mode) matches.
    func explicitDeny(_ request: PolicyRequest) -> Bool {
        let result = evaluate(request)
        return result.outcome == .deny && result.deciding != nil
    }
}

/// A rule in an organization's index, with what it needs from its document. A class, so
/// that handing a candidate around costs one reference count, not a copy of every field.
final class CompiledRule: Sendable {
    /// The position among the organization's rules; decisions list matches in this order.
    let ordinal: Int32
    let rule: PolicyRule
    let documentID: String
    let layer: PolicyLayer
    /// Team documents: the team a principal must belong to.
    let team: String?
    /// User documents: the subject a principal must be.
    let subject: String?
    /// The rule or its document is in shadow mode.
    let shadow: Bool
    /// Orders matches: more specific layers first, then document order.
    let order: Int64
    let matched: MatchedRule

    init(
        ordinal: Int32, rule: PolicyRule, documentID: String, layer: PolicyLayer, team: String?, subject: String?,
        shadow: Bool
    ) {
        self.ordinal = ordinal
        self.rule = rule
        self.documentID = documentID
        self.layer = layer
        self.team = team
        self.subject = subject
        self.shadow = shadow
        order = Int64(2 - layer.specificity) << 32 | Int64(ordinal)
        let effect: PolicyRuleEffect =
            switch rule.effect {
            case .allow: .allow
            case .deny: .deny
            case .requireApproval: .requireApproval
            case .rateLimit: .rateLimit
            }
        matched = MatchedRule(
            documentID: documentID, ruleID: rule.id, layer: layer, effect: effect, shadow: shadow, reason: rule.reason)
    }

    var publicEffect: PolicyRuleEffect { matched.effect }

    /// Whether a rule that denies (or a read-only entry) would be weakened by ignoring
    /// its argument conditions; used to answer visibility without arguments.
    var restricts: Bool {
        if case .deny = rule.effect { return true }
        return false
    }
}

/// How argument conditions are treated.
enum ArgumentMode {
    /// Tested against the request's arguments.
    case exact
    /// For visibility: a deny rule with argument conditions does not match, an allowing
    /// rule with argument conditions does; the answer is "could some call be let through".
    case optimistic
}

/// What a decision knows about the tool beyond the request.
struct ToolFacts {
    /// The traits the organization's documents declare, nil when none declares the tool.
    let declared: ToolTraits?
    /// Declared traits when declared, otherwise the annotations' hints with MCP defaults.
    let effective: ToolTraits
    /// Declared read-only and not declared destructive.
    var provenReadOnly: Bool {
        guard let declared else { return false }
        return declared.contains(.readOnly) && !declared.contains(.destructive)
    }
}

extension CompiledRule {
    /// Whether the rule matches the request. Checks every condition, so the index only
    /// has to find a superset of the matching rules.
    func matches(_ request: PolicyRequest, tool: ToolFacts, now: PolicyTime, mode: ArgumentMode) -> Bool {
        let conditions = rule.conditions
        let principal = request.principal
        guard conditions.kinds & (1 << request.kind.index) != 0 else { return false }
        if let team, !principal.teams.contains(team) { return false }
        if let subject, principal.subject != subject { return false }
        if let upstreams = conditions.upstreams, !upstreams.contains(request.upstream) { return false }
        if let names = conditions.names, !names.matches(request.name) { return false }
        if let subjects = conditions.subjects, !subjects.contains(principal.subject) { return false }
        if let teams = conditions.teams, !principal.teams.contains(where: { teams.contains($0) }) { return false }
        if let agents = conditions.agents {
            guard let agent = principal.agent, agents.contains(agent) else { return false }
        }
        if let connections = conditions.connections {
            guard let connection = request.connection, connections.contains(connection) else { return false }
        }
        for scope in conditions.scopes where !principal.scopes.contains(scope) { return false }
        if !conditions.lacksScopes.isEmpty, conditions.lacksScopes.allSatisfy({ principal.scopes.contains($0) }) {
            return false
        }
        for fact in conditions.facts where !request.facts.contains(fact) { return false }
        for fact in conditions.withoutFacts where request.facts.contains(fact) { return false }
        if let traits = conditions.traits {
            guard request.kind == .toolCall, let declared = tool.declared, declared.isSuperset(of: traits) else {
                return false
            }
        }
        if let hints = conditions.hints {
            guard request.kind == .toolCall, tool.effective.isSuperset(of: hints) else { return false }
        }
        if rule.readOnlyGuard, request.kind != .toolCall || tool.provenReadOnly { return false }
        if let time = conditions.time, !time.contains(now) { return false }
        if !conditions.arguments.isEmpty {
            switch mode {
            case .exact:
                for condition in conditions.arguments where !condition.holds(in: request.arguments) { return false }
            case .optimistic:
                if restricts { return false }
            }
        }
        return true
    }
}

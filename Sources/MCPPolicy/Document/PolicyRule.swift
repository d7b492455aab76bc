import MCPCore

/// Which layer a document belongs to. Documents of every layer apply together; see
/// ``PolicyEngine`` for the precedence.
public enum PolicyLayer: String, Sendable, Hashable, CaseIterable {
    /// The whole organization; only this layer sets the default effect, declares tool
    /// traits and configures loop detection.
    case organization
    /// One team of the organization: applies to principals in that team.
    case team
    /// One subject of the organization: applies to that subject only.
    case user

    /// Higher is more specific (user 2, team 1, organization 0).
    var specificity: Int {
        switch self {
        case .organization: 0
        case .team: 1
        case .user: 2
        }
    }
}

/// What happens when no rule allows or denies a call.
public enum DefaultEffect: String, Sendable, Hashable {
    /// Calls no rule allows are allowed.
    case allow
    /// Calls no rule allows are denied (the default when an organization sets none).
    case deny
}

/// The parts of a call a rate limit's bucket is keyed by.
struct RateKeyParts: OptionSet, Sendable, Hashable {
    let rawValue: UInt8
    static let principal = RateKeyParts(rawValue: 1)
    static let upstream = RateKeyParts(rawValue: 2)
    static let tool = RateKeyParts(rawValue: 4)
}

/// Token-bucket parameters of a rate-limit rule.
struct RateLimitSpec: Sendable, Hashable {
    let capacity: Double
    let refillPerSecond: Double
    let key: RateKeyParts
}

/// What a rule does when it matches.
enum RuleEffect: Sendable {
    case allow
    case deny
    case requireApproval
    case rateLimit(RateLimitSpec)
}

/// A name condition: exact names and globs.
struct NameCondition: Sendable {
    let exact: Set<String>
    let globs: [Glob]

    func matches(_ name: String) -> Bool {
        if exact.contains(name) { return true }
        for glob in globs where glob.matches(name) { return true }
        return false
    }
}

/// Everything a rule tests. A missing condition always holds. Lists of identities
/// (subjects, teams, agents, connections, upstreams, kinds, names) hold when any element
/// matches; lists of properties (scopes, facts, traits, hints) hold when all are present;
/// `lacksScopes` holds when at least one is missing and `withoutFacts` when none is present.
struct RuleConditions: Sendable {
    var subjects: Set<String>?
    var teams: Set<String>?
    var agents: Set<String>?
    var connections: Set<String>?
    var scopes: [String] = []
    var lacksScopes: [String] = []
    var upstreams: Set<String>?
    /// Bit `kind.index` set for each kind; all bits when unconstrained.
    var kinds: UInt8 = 0x1F
    var names: NameCondition?
    var traits: ToolTraits?
    var hints: ToolTraits?
    var arguments: [ArgumentCondition] = []
    var time: TimeWindow?
    var facts: [String] = []
    var withoutFacts: [String] = []
}

/// One compiled rule of a document (features and read-only entries become rules too).
struct PolicyRule: Sendable {
    let id: String
    let effect: RuleEffect
    let reason: String?
    let shadow: Bool
    let conditions: RuleConditions
    /// A read-only-mode entry: matches only tool calls of tools not proven read-only.
    let readOnlyGuard: Bool
}

/// A trait declaration of an organization document.
struct ToolDeclaration: Sendable {
    let upstreams: Set<String>?
    let names: NameCondition
    let traits: ToolTraits
}

/// Loop detection of an organization: the same call repeated `threshold` times within
/// `window` is denied or throttled.
struct LoopDetectionSpec: Sendable, Hashable {
    let threshold: Int
    let windowMilliseconds: Int64
    let deny: Bool
}

import MCPCore
import MCPPolicy

/// A small deterministic generator (SplitMix64) for property tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &self) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}

/// 2026-11-25 was a Wednesday.
let wednesdayNoon = PolicyTime(rfc3339: "2026-11-25T12:00:00Z")!

func document(_ text: String) throws -> PolicyDocument {
    try PolicyDocument(parsing: text)
}

func engine(_ texts: String...) throws -> PolicyEngine {
    try PolicyEngine(documents: texts.map { try PolicyDocument(parsing: $0) })
}

func principal(
    _ subject: String = "alice", org: String = "acme", teams: [String] = [], agent: String? = nil, scopes: [String] = []
) -> PolicyPrincipal {
    PolicyPrincipal(subject: subject, organization: org, teams: teams, agent: agent, scopes: scopes)
}

func call(
    _ name: String, upstream: String = "github", kind: OperationKind = .toolCall, as who: PolicyPrincipal = principal(),
    arguments: JSONValue = .null, annotations: ToolAnnotations = ToolAnnotations(), facts: Set<String> = [],
    connection: String? = nil, readOnly: Bool = false
) -> PolicyRequest {
    PolicyRequest(
        principal: who, connection: connection, upstream: upstream, kind: kind, name: name, annotations: annotations,
        arguments: arguments, facts: facts, readOnly: readOnly)
}

/// An organization document that allows everything by default, with the given rules.
func allowAll(_ rules: String = "", org: String = "acme", extra: String = "") -> String {
    #"{"id":"\#(org)-base","organization":"\#(org)","defaultEffect":"allow"\#(extra),"rules":[\#(rules)]}"#
}

/// An organization document that denies by default, with the given rules.
func denyAll(_ rules: String = "", org: String = "acme", extra: String = "") -> String {
    #"{"id":"\#(org)-base","organization":"\#(org)","defaultEffect":"deny"\#(extra),"rules":[\#(rules)]}"#
}

import MCPCore

/// One policy document: the rules of one organization, or of one team or user in it.
///
/// A document is JSON. It is checked completely when it is read: a key the format does
/// not define, an unknown effect, operator, kind, trait or day, a bad glob, regular
/// expression or argument path, or a rule id used twice is refused with the key path of
/// the error (for example `rules[3].when.arguments[0].op`). The full format is in
/// `PolicyFormat.md` next to this file; in short:
///
/// ```json
/// {
///   "id": "acme-base",
///   "organization": "acme",
///   "layer": "organization",
///   "defaultEffect": "deny",
///   "tools": [{ "upstream": "github", "names": ["get_*", "list_*"], "traits": ["readOnly"] }],
///   "readOnlyMode": [{ "id": "contractors-read-only", "when": { "teams": ["contractors"] } }],
///   "features": [{ "id": "no-sampling", "disable": ["sampling"], "reason": "sampling is off" }],
///   "loopDetection": { "threshold": 5, "windowSeconds": 60, "action": "deny" },
///   "rules": [
///     { "id": "github-read", "effect": "allow", "when": { "upstreams": ["github"], "traits": ["readOnly"] } },
///     { "id": "no-prod-delete", "effect": "deny", "reason": "production repositories are protected",
///       "when": { "names": ["delete_*"], "arguments": [{ "path": "repo", "op": "prefix", "value": "prod-" }] } },
///     { "id": "merge-needs-approval", "effect": "requireApproval", "when": { "names": ["merge_pull_request"] } },
///     { "id": "search-limit", "effect": "rateLimit", "when": { "names": ["search_*"] },
///       "rateLimit": { "capacity": 10, "refillPerSecond": 0.5, "key": ["principal", "tool"] } }
///   ]
/// }
/// ```
public struct PolicyDocument: Sendable {
    /// The document id, unique among the documents of an engine.
    public let id: String
    /// The organization the document belongs to; it never affects another organization.
    public let organization: String
    /// The layer of the document.
    public let layer: PolicyLayer
    /// The team a team document applies to.
    public let team: String?
    /// The subject a user document applies to.
    public let subject: String?
    /// The effect when no rule allows or denies (organization documents only).
    public let defaultEffect: DefaultEffect?
    /// Whether the whole document is in shadow mode: its matches are reported, never
    /// enforced.
    public let shadow: Bool

    let rules: [PolicyRule]
    let declarations: [ToolDeclaration]
    let loopDetection: LoopDetectionSpec?

    /// The ids of the document's rules, including feature and read-only entries, in order.
    public var ruleIDs: [String] { rules.map(\.id) }

    /// Reads and checks a document.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 JSON text of the document.
    ///   - limits: bounds on the document's size and contents.
    /// - Throws: ``PolicyError`` with the key path of the first problem found; nothing is
    ///   kept of a refused document.
    public init(parsing bytes: [UInt8], limits: PolicyLimits = .default) throws(PolicyError) {
        let value: JSONValue
        do {
            value = try JSONParser(limits: limits.jsonLimits).parse(bytes)
        } catch {
            throw PolicyError(
                .invalidJSON, at: "", "the document is not valid JSON: \(error.code) at byte \(error.offset)")
        }
        var reader = DocumentParser(limits: limits)
        self = try reader.document(value)
    }

    /// Reads and checks a document given as text.
    ///
    /// - Parameters:
    ///   - text: the JSON text of the document.
    ///   - limits: bounds on the document's size and contents.
    /// - Throws: ``PolicyError`` with the key path of the first problem found.
    public init(parsing text: String, limits: PolicyLimits = .default) throws(PolicyError) {
        try self.init(parsing: Array(text.utf8), limits: limits)
    }

    init(
        id: String, organization: String, layer: PolicyLayer, team: String?, subject: String?,
        defaultEffect: DefaultEffect?, shadow: Bool, rules: [PolicyRule], declarations: [ToolDeclaration],
        loopDetection: LoopDetectionSpec?
    ) {
        self.id = id
        self.organization = organization
        self.layer = layer
        self.team = team
        self.subject = subject
        self.defaultEffect = defaultEffect
        self.shadow = shadow
        self.rules = rules
        self.declarations = declarations
        self.loopDetection = loopDetection
    }
}

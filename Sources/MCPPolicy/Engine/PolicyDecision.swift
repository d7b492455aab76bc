/// The effect of a rule, as reported in decisions.
public enum PolicyRuleEffect: String, Sendable, Hashable {
    /// The rule allows.
    case allow
    /// The rule denies.
    case deny
    /// The rule asks for a person's approval.
    case requireApproval
    /// The rule limits the rate of calls.
    case rateLimit
}

/// A rule that matched a request.
public struct MatchedRule: Sendable, Hashable, CustomStringConvertible {
    /// The id of the document the rule is in (`request` for the connection's read-only
    /// flag, which no document states).
    public let documentID: String
    /// The rule's id (a feature or read-only entry without an id is named by its key path,
    /// such as `features[0]`).
    public let ruleID: String
    /// The layer of the rule's document.
    public let layer: PolicyLayer
    /// What the rule does.
    public let effect: PolicyRuleEffect
    /// Whether the rule is in shadow mode (reported, not enforced).
    public let shadow: Bool
    /// The reason the rule gives, if any.
    public let reason: String?

    /// Creates a matched rule.
    ///
    /// - Parameters:
    ///   - documentID: the document id.
    ///   - ruleID: the rule id.
    ///   - layer: the document's layer.
    ///   - effect: the rule's effect.
    ///   - shadow: whether the rule is in shadow mode.
    ///   - reason: the rule's reason.
    public init(
        documentID: String, ruleID: String, layer: PolicyLayer, effect: PolicyRuleEffect, shadow: Bool, reason: String?
    ) {
        self.documentID = documentID
        self.ruleID = ruleID
        self.layer = layer
        self.effect = effect
        self.shadow = shadow
        self.reason = reason
    }

    /// `document/rule`.
    public var description: String { "\(documentID)/\(ruleID)" }
}

/// The outcome of a decision.
public enum PolicyOutcome: String, Sendable, Hashable {
    /// The call may proceed.
    case allow
    /// The call is refused; ``PolicyDecision/reason`` is shown to the client.
    case deny
    /// The call waits for a person's approval; ``PolicyDecision/approvalID`` names the
    /// request in the ``ApprovalLedger``.
    case requireApproval
    /// The call is refused for now; ``PolicyDecision/retryAfterMilliseconds`` says when
    /// to try again.
    case rateLimited
}

/// What the decision would have been had the shadow-mode rules that matched been enforced.
public struct ShadowOutcome: Sendable, Hashable {
    /// The outcome had the shadow rules been enforced.
    public let outcome: PolicyOutcome
    /// The shadow rules that matched.
    public let matchedRules: [MatchedRule]
    /// The reason the deciding shadow rule gives.
    public let reason: String
}

/// A decision with everything needed to explain and replay it.
public struct PolicyDecision: Sendable, Hashable {
    /// The outcome.
    public var outcome: PolicyOutcome
    /// Why: shown to the client for a refusal, recorded for every outcome.
    public var reason: String
    /// The rule that made the decision; nil when the organization's default did, or when
    /// loop detection did.
    public var decidingRule: MatchedRule?
    /// Every enforced rule that matched, by layer (user, team, organization) then in
    /// document order.
    public var matchedRules: [MatchedRule]
    /// What the decision would have been with the matching shadow-mode rules enforced;
    /// nil when no shadow rule matched. Compare its outcome with ``outcome`` to see what
    /// shadow mode would change.
    public var shadow: ShadowOutcome?
    /// The approval request to resolve, or the approval that allowed the call.
    public var approvalID: ApprovalID?
    /// For a rate-limited call, how long until it may succeed.
    public var retryAfterMilliseconds: Int64?

    /// Whether the call may proceed now.
    public var isAllowed: Bool { outcome == .allow }

    /// The ids (`document/rule`) of every matched rule, enforced and shadow.
    public var matchedRuleIDs: [String] {
        matchedRules.map(\.description) + (shadow?.matchedRules.map(\.description) ?? [])
    }
}

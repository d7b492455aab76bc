/// Decides requests against a set of policy documents.
///
/// The documents are compiled when the engine is made: each organization's rules are
/// indexed by kind, upstream and exact name (globs apart, bucketed by prefix), so a
/// decision looks only at rules that can match. An engine is immutable and `Sendable`;
/// to change the policy, make a new engine with ``reloading(_:)`` (or the initializer)
/// and keep the old one in force if that fails. Rate-limit buckets, loop counts and
/// approvals live in the ``RateLimiter``, ``LoopDetector`` and ``ApprovalLedger`` the
/// engine is given, which a reloaded engine shares.
///
/// ## Precedence
///
/// Only the documents of the principal's organization apply: organization documents to
/// everyone in it, team documents to the team's members, user documents to their subject.
/// A rule of one organization never affects a principal of another. Among the enforced
/// rules that match, in every layer:
///
/// 1. an explicit deny wins (deny rules, disabled features, read-only mode, a connection
///    another layer marked read-only);
/// 2. else `requireApproval` if any such rule matches;
/// 3. else `allow` if any allow rule matches;
/// 4. else the organization's default effect (deny when none is set, or when the
///    organization has no documents).
///
/// Among rules with the same effect, the deciding rule reported is the one of the most
/// specific layer (user, then team, then organization), then the first in document order.
/// Rate-limit rules never allow anything themselves: after an allow or approval, every
/// matching rate limit must have a token. Loop detection runs after a static allow or
/// approval; remembered approvals turn `requireApproval` into allow (or deny). Shadow
/// rules are resolved the same way, together with the enforced ones, and reported in
/// ``PolicyDecision/shadow`` only.
public struct PolicyEngine: Sendable {
    let organizations: [String: OrganizationIndex]
    /// The documents the engine was made from.
    public let documents: [PolicyDocument]
    /// The token buckets of rate-limit rules.
    public let rateLimiter: RateLimiter
    /// The repeat counts of loop detection.
    public let loopDetector: LoopDetector
    /// Approval requests and remembered outcomes.
    public let approvals: ApprovalLedger

    /// Compiles documents into an engine.
    ///
    /// - Parameters:
    ///   - documents: the documents of every organization, team and user.
    ///   - rateLimiter: the token buckets (shared with a reloaded engine).
    ///   - loopDetector: the repeat counts (shared with a reloaded engine).
    ///   - approvals: the approval ledger (shared with a reloaded engine).
    /// - Throws: ``PolicyError/Code/duplicateDocumentID`` when two documents share an id,
    ///   ``PolicyError/Code/conflictingDefault`` when two organization documents of one
    ///   organization set different defaults or loop detections; the key path is
    ///   `documents[n]`.
    public init(
        documents: [PolicyDocument], rateLimiter: RateLimiter = RateLimiter(),
        loopDetector: LoopDetector = LoopDetector(),
        approvals: ApprovalLedger = ApprovalLedger()
    ) throws(PolicyError) {
        var builders: [String: OrganizationIndex.Builder] = [:]
        var ids: Set<String> = []
        for (position, document) in documents.enumerated() {
            let path = "documents[\(position)]"
            guard ids.insert(document.id).inserted else {
                throw PolicyError(.duplicateDocumentID, at: path, "another document has the same id")
            }
            var index = builders[document.organization] ?? OrganizationIndex.Builder()
            if let effect = document.defaultEffect, !document.shadow {
                if let existing = index.defaultDocumentID, index.defaultEffect != effect {
                    throw PolicyError(
                        .conflictingDefault, at: "\(path).defaultEffect",
                        "the document \(existing) of this organization sets another default")
                }
                index.defaultEffect = effect
                index.defaultDocumentID = document.id
            }
            if let loop = document.loopDetection, !document.shadow {
                if let existing = index.loopDetection, existing != loop {
                    throw PolicyError(
                        .conflictingDefault, at: "\(path).loopDetection",
                        "another document of this organization configures loop detection differently")
                }
                index.loopDetection = loop
            }
            index.add(document)
            builders[document.organization] = index
        }
        self.organizations = builders.mapValues(OrganizationIndex.init)
        self.documents = documents
        self.rateLimiter = rateLimiter
        self.loopDetector = loopDetector
        self.approvals = approvals
    }

    /// A new engine for other documents that shares this engine's rate limiter, loop
    /// detector and approval ledger. This engine is unchanged, so a caller keeps it in
    /// force when the new documents are refused.
    ///
    /// - Parameter documents: the new documents.
    /// - Returns: the new engine.
    /// - Throws: as ``init(documents:rateLimiter:loopDetector:approvals:)``.
    public func reloading(_ documents: [PolicyDocument]) throws(PolicyError) -> PolicyEngine {
        try PolicyEngine(
            documents: documents, rateLimiter: rateLimiter, loopDetector: loopDetector, approvals: approvals)
    }

    /// The number of rules compiled, over every organization.
    public var ruleCount: Int { organizations.values.reduce(0) { $0 + $1.rules.count } }
}

extension PolicyEngine {
    /// The static part of a decision: which rules match and what they decide, without
    /// rate limits, loops or approvals.
    struct StaticResult {
        var decision: PolicyDecision
        var rateLimits: [CompiledRule]
        var organization: OrganizationIndex?
    }

    static let readOnlyConnectionRule = MatchedRule(
        documentID: "request", ruleID: "read-only-connection", layer: .organization, effect: .deny, shadow: false,
        reason: "read-only mode: only tools the policy declares read-only may run")

    func evaluateStatic(_ request: PolicyRequest, now: PolicyTime, mode: ArgumentMode) -> StaticResult {
        guard let organization = organizations[request.principal.organization] else {
            var decision = PolicyDecision(
                outcome: .deny, reason: "no policy applies to this organization", decidingRule: nil, matchedRules: [])
            if request.readOnly, request.kind == .toolCall { decision.matchedRules = [Self.readOnlyConnectionRule] }
            return StaticResult(decision: decision, rateLimits: [], organization: nil)
        }
        let tool = organization.toolFacts(for: request)
        var enforced: [CompiledRule] = []
        var shadowed: [CompiledRule] = []
        var rateLimits: [CompiledRule] = []
        for ordinal in organization.candidates(for: request) {
            let rule = organization.rules[Int(ordinal)]
            guard rule.matches(request, tool: tool, now: now, mode: mode) else { continue }
            if rule.shadow {
                shadowed.append(rule)
            } else {
                enforced.append(rule)
                if case .rateLimit = rule.rule.effect { rateLimits.append(rule) }
            }
        }
        let readOnlyDeny = request.readOnly && request.kind == .toolCall && !tool.provenReadOnly
        var decision = Self.resolve(enforced, readOnlyDeny: readOnlyDeny, organization: organization)
        if !shadowed.isEmpty {
            let combined = Self.resolve(enforced + shadowed, readOnlyDeny: readOnlyDeny, organization: organization)
            decision.shadow = ShadowOutcome(
                outcome: combined.outcome, matchedRules: Self.ordered(shadowed).map(\.matched), reason: combined.reason)
        }
        return StaticResult(decision: decision, rateLimits: rateLimits, organization: organization)
    }

    /// Rules by layer (user, team, organization), then in document order.
    static func ordered(_ rules: [CompiledRule]) -> [CompiledRule] {
        guard rules.count > 1 else { return rules }
        var sorted = rules
        // Few matches: an insertion sort on the precomputed order key.
        for index in 1..<sorted.count {
            let rule = sorted[index]
            var position = index
            while position > 0, sorted[position - 1].order > rule.order {
                sorted[position] = sorted[position - 1]
                position -= 1
            }
            sorted[position] = rule
        }
        return sorted
    }

    static func resolve(_ matches: [CompiledRule], readOnlyDeny: Bool, organization: OrganizationIndex)
        -> PolicyDecision
    {
        let ordered = ordered(matches)
        var matched = ordered.map(\.matched)
        if readOnlyDeny { matched.insert(readOnlyConnectionRule, at: 0) }
        func first(_ effect: PolicyRuleEffect) -> CompiledRule? {
            ordered.first { $0.publicEffect == effect }
        }
        if readOnlyDeny {
            return PolicyDecision(
                outcome: .deny, reason: readOnlyConnectionRule.reason!, decidingRule: readOnlyConnectionRule,
                matchedRules: matched)
        }
        if let rule = first(.deny) {
            return PolicyDecision(
                outcome: .deny, reason: rule.rule.reason ?? "denied by policy rule \(rule.rule.id)",
                decidingRule: rule.matched, matchedRules: matched)
        }
        if let rule = first(.requireApproval) {
            return PolicyDecision(
                outcome: .requireApproval,
                reason: rule.rule.reason ?? "this call needs approval (rule \(rule.rule.id))",
                decidingRule: rule.matched, matchedRules: matched)
        }
        if let rule = first(.allow) {
            return PolicyDecision(
                outcome: .allow, reason: rule.rule.reason ?? "allowed by policy rule \(rule.rule.id)",
                decidingRule: rule.matched, matchedRules: matched)
        }
        switch organization.defaultEffect {
        case .allow:
            return PolicyDecision(
                outcome: .allow, reason: "allowed by the organization's default", decidingRule: nil,
                matchedRules: matched)
        case .deny:
            return PolicyDecision(
                outcome: .deny, reason: "no policy rule allows this call", decidingRule: nil, matchedRules: matched)
        }
    }
}

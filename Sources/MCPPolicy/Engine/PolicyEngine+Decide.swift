extension PolicyEngine {
    /// Decides a request: static rules, then loop detection, rate limits and approvals.
    ///
    /// A refused call consumes no rate-limit token. A call that needs approval opens a
    /// request in ``approvals`` (or finds the open one for the same call), unless a
    /// remembered outcome covers it.
    ///
    /// - Parameters:
    ///   - request: the request.
    ///   - now: the current time (time windows, buckets, loops and approval memory).
    /// - Returns: the decision, with the rules that matched and the reason.
    public func decide(_ request: PolicyRequest, now: PolicyTime) -> PolicyDecision {
        let result = evaluateStatic(request, now: now, mode: .exact)
        var decision = result.decision
        guard decision.outcome != .deny, let organization = result.organization else { return decision }
        var argumentsHash: String?
        func hash() -> String {
            if let argumentsHash { return argumentsHash }
            let computed = ArgumentsHash.of(request.arguments)
            argumentsHash = computed
            return computed
        }

        if let loop = organization.loopDetection {
            let principal = request.principal
            let key = Self.key([
                principal.organization, principal.subject, request.connection ?? "", request.upstream,
                request.kind.rawValue, request.name, hash(),
            ])
            let count = loopDetector.record(key, now: now, spec: loop)
            if count >= loop.threshold {
                let seconds = loop.windowMilliseconds / 1000
                decision.reason =
                    "the same call to \(request.name.isEmpty ? request.kind.rawValue : request.name) with the same arguments was made \(count) times within \(seconds) seconds"
                decision.decidingRule = nil
                if loop.deny {
                    decision.outcome = .deny
                } else {
                    decision.outcome = .rateLimited
                    decision.retryAfterMilliseconds = loop.windowMilliseconds
                }
                return decision
            }
        }

        if !result.rateLimits.isEmpty {
            let buckets = result.rateLimits.map { rule -> (key: String, spec: RateLimitSpec) in
                guard case .rateLimit(let spec) = rule.rule.effect else { preconditionFailure("not a rate-limit rule") }
                var parts = [request.principal.organization, rule.documentID, rule.rule.id]
                if spec.key.contains(.principal) { parts.append(request.principal.subject) }
                if spec.key.contains(.upstream) { parts.append(request.upstream) }
                if spec.key.contains(.tool) { parts += [request.kind.rawValue, request.name] }
                return (Self.key(parts), spec)
            }
            if let refusal = rateLimiter.acquire(buckets, now: now) {
                let rule = result.rateLimits[refusal.index]
                decision.outcome = .rateLimited
                decision.decidingRule = rule.matched
                decision.retryAfterMilliseconds = refusal.retryAfter
                decision.reason = rule.rule.reason ?? "rate limit of policy rule \(rule.rule.id) reached"
                return decision
            }
        }

        if decision.outcome == .requireApproval, let rule = decision.decidingRule {
            let scope = ApprovalScope(
                organization: request.principal.organization, subject: request.principal.subject,
                upstream: request.upstream, kind: request.kind, name: request.name, argumentsHash: hash())
            if let record = approvals.remembered(scope, now: now) {
                decision.approvalID = record.id
                switch record.outcome {
                case .approved:
                    decision.outcome = .allow
                    decision.reason = "approved by \(record.decidedBy ?? "an approver")"
                case .denied:
                    decision.outcome = .deny
                    decision.reason = "refused by \(record.decidedBy ?? "an approver")"
                case nil:
                    break
                }
            } else {
                decision.approvalID = approvals.open(scope, rule: rule, now: now)
            }
        }
        return decision
    }

    /// Decides a request by its static rules only: no rate-limit token is taken, no loop
    /// counted, no approval opened (for `policy test` and explanations).
    ///
    /// - Parameters:
    ///   - request: the request.
    ///   - now: the time for time windows.
    /// - Returns: the decision the rules make.
    public func evaluate(_ request: PolicyRequest, now: PolicyTime) -> PolicyDecision {
        evaluateStatic(request, now: now, mode: .exact).decision
    }

    /// Whether the thing a request names (a tool, resource or prompt) should be listed to
    /// its principal: true iff some call to it would not be denied by a static rule.
    ///
    /// Arguments are ignored: a deny rule with argument conditions does not hide a thing
    /// and an allow rule with argument conditions does not hide it either. Rate limits and
    /// approvals never hide. So when this is false, every call to the thing is denied,
    /// and when no rule has argument conditions, this is true exactly when ``decide(_:now:)``
    /// does not deny by a rule or default.
    ///
    /// - Parameters:
    ///   - request: the request a call would make (its arguments are not read).
    ///   - now: the time for time windows.
    /// - Returns: whether to list the thing.
    public func isVisible(_ request: PolicyRequest, now: PolicyTime) -> Bool {
        evaluateStatic(request, now: now, mode: .optimistic).decision.outcome != .deny
    }

    /// Filters a listing: the names, in order, that ``isVisible(_:now:)`` accepts.
    ///
    /// - Parameters:
    ///   - names: the names (or URIs) a list result holds.
    ///   - request: the principal, upstream and kind of the listing; its name is replaced
    ///     by each name in turn.
    ///   - now: the time for time windows.
    /// - Returns: the visible names.
    public func visibleNames(_ names: [String], for request: PolicyRequest, now: PolicyTime) -> [String] {
        var probe = request
        probe.arguments = .null
        return names.filter { name in
            probe.name = name
            return isVisible(probe, now: now)
        }
    }

    /// Joins key parts unambiguously (each part prefixed by its length).
    static func key(_ parts: [String]) -> String {
        var key = ""
        for part in parts {
            key += String(part.utf8.count)
            key += ":"
            key += part
        }
        return key
    }
}

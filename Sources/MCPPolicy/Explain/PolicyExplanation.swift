public import MCPCore

/// A decision explained for people and for tools: which rules matched, which decided,
/// what shadow rules would have changed, and whether the thing is listed. Arguments are
/// never included (they may hold secrets).
public struct PolicyExplanation: Sendable {
    /// A few lines of plain text.
    public let text: String
    /// The same as a JSON object (see `PolicyFormat.md`, "Explanations").
    public let json: JSONValue

    /// Explains a decision.
    ///
    /// - Parameters:
    ///   - decision: the decision.
    ///   - request: the request it answered.
    ///   - visible: whether the thing is listed, if known.
    ///   - time: when the decision was made.
    public init(decision: PolicyDecision, request: PolicyRequest, visible: Bool?, time: PolicyTime) {
        func rule(_ rule: MatchedRule) -> JSONValue {
            var object: JSONObject = [
                "document": .string(rule.documentID), "rule": .string(rule.ruleID),
                "layer": .string(rule.layer.rawValue),
                "effect": .string(rule.effect.rawValue), "shadow": .bool(rule.shadow),
            ]
            if let reason = rule.reason { object["reason"] = .string(reason) }
            return .object(object)
        }
        func describe(_ rule: MatchedRule) -> String {
            "\(rule.documentID)/\(rule.ruleID) (\(rule.layer.rawValue), \(rule.effect.rawValue)\(rule.shadow ? ", shadow" : ""))"
        }
        let principal = request.principal
        var requestObject: JSONObject = [
            "organization": .string(principal.organization), "subject": .string(principal.subject),
            "upstream": .string(request.upstream), "kind": .string(request.kind.rawValue),
            "name": .string(request.name),
        ]
        if let connection = request.connection { requestObject["connection"] = .string(connection) }
        var object: JSONObject = [
            "outcome": .string(decision.outcome.rawValue), "reason": .string(decision.reason),
            "decidingRule": decision.decidingRule.map(rule) ?? .null,
            "matchedRules": .array(decision.matchedRules.map(rule)),
            "request": .object(requestObject), "time": .string(time.description),
        ]
        var lines = ["\(decision.outcome.rawValue): \(decision.reason)"]
        let target = request.name.isEmpty ? request.upstream : "\(request.upstream) \(request.name)"
        lines.append(
            "  request    \(principal.subject) of \(principal.organization), \(request.kind.rawValue) \(target), at \(time)"
        )
        lines.append("  decided by \(decision.decidingRule.map(describe) ?? "the organization's default")")
        if decision.matchedRules.isEmpty {
            lines.append("  matched    no rule")
        } else {
            for (index, matched) in decision.matchedRules.enumerated() {
                lines.append((index == 0 ? "  matched    " : "             ") + describe(matched))
            }
        }
        if let shadow = decision.shadow {
            object["shadow"] = .object([
                "outcome": .string(shadow.outcome.rawValue), "reason": .string(shadow.reason),
                "matchedRules": .array(shadow.matchedRules.map(rule)),
            ])
            lines.append("  shadow     would be \(shadow.outcome.rawValue): \(shadow.reason)")
            for matched in shadow.matchedRules { lines.append("             " + describe(matched)) }
        }
        if let approvalID = decision.approvalID { object["approvalID"] = .string(approvalID.rawValue) }
        if let retry = decision.retryAfterMilliseconds {
            object["retryAfterMilliseconds"] = .number(JSONNumber(retry))
            lines.append("  retry in   \(retry) ms")
        }
        if let visible {
            object["visible"] = .bool(visible)
            lines.append("  listed     \(visible ? "yes" : "no")")
        }
        text = lines.joined(separator: "\n")
        json = .object(object)
    }
}

extension PolicyEngine {
    /// Explains what the static rules decide for a request, and whether the thing is
    /// listed. Nothing is consumed or recorded (see ``evaluate(_:now:)``).
    ///
    /// - Parameters:
    ///   - request: the request.
    ///   - now: the time for time windows.
    /// - Returns: the explanation.
    public func explain(_ request: PolicyRequest, now: PolicyTime) -> PolicyExplanation {
        let visible: Bool? =
            [.toolCall, .resourceRead, .promptGet].contains(request.kind) ? isVisible(request, now: now) : nil
        return PolicyExplanation(decision: evaluate(request, now: now), request: request, visible: visible, time: now)
    }
}

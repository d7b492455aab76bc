public import MCPCore
public import MCPPolicy
import Synchronization

/// Puts an ``MCPPolicy/PolicyEngine`` in the pipeline: every tool call, resource read and
/// prompt get is decided before it reaches its upstream, and list results are filtered so
/// that a client never sees what it may not call.
///
/// - A denied tool call gets a tool result with `isError` and the reason, which the model
///   can read; any other denied request gets the JSON-RPC error ``deniedCode``.
/// - A rate-limited request gets ``rateLimitedCode`` with `retryAfterMs` in its data.
/// - A request that needs approval asks the user through elicitation when the client can
///   be asked (a legacy-era session that declared `elicitation`): approved, the call goes
///   on (and the approval is remembered for ``approvalMemorySeconds``); declined, it is
///   denied. Otherwise it gets ``approvalRequiredCode`` with the approval id, which an
///   administrator records in the engine's ``MCPPolicy/ApprovalLedger``; the call then
///   goes through when it is made again.
/// - Shadow decisions are logged, never enforced.
///
/// The decision is left in the request's notes under `policy` (outcome, reason, rule ids),
/// for the audit trail.
public final class PolicyInterceptor: GatewayInterceptor, GatewayServerRequestGate {
    /// The JSON-RPC error code of a request the policy denies.
    public static let deniedCode = JSONRPCErrorCode(-32030)
    /// The JSON-RPC error code of a request over its rate limit.
    public static let rateLimitedCode = JSONRPCErrorCode(-32031)
    /// The JSON-RPC error code of a request that needs an approval first.
    public static let approvalRequiredCode = JSONRPCErrorCode(-32032)

    private let engine: Mutex<PolicyEngine>
    private let anonymous: PolicyPrincipal?
    private let log: GatewayLogger
    /// How long an approval given through elicitation covers repeated calls of the same
    /// tool with the same arguments (0: this call only).
    public let approvalMemorySeconds: Int64
    /// How long the user has to answer an approval question.
    public let approvalTimeout: Duration
    /// Where administrators approve calls (the gateway's public URL; the approval's path
    /// is appended), shown in approval-required errors; `nil` shows only the id.
    public let approvalLinkBase: String?

    /// Creates the interceptor.
    ///
    /// - Parameters:
    ///   - engine: the policy in force.
    ///   - anonymousPrincipal: who a request without an authenticated principal is taken
    ///     to be; `nil` denies such requests.
    ///   - logSink: where shadow decisions are logged.
    ///   - approvalMemorySeconds: how long an approval given through elicitation covers
    ///     repeated calls with the same arguments; 0 for the one call.
    ///   - approvalTimeout: how long the user has to answer.
    ///   - approvalLinkBase: the gateway's public URL, for approval links.
    public init(
        engine: PolicyEngine, anonymousPrincipal: PolicyPrincipal? = nil, logSink: (any GatewayLogSink)? = nil,
        approvalMemorySeconds: Int64 = 0, approvalTimeout: Duration = .seconds(120), approvalLinkBase: String? = nil
    ) {
        self.approvalLinkBase = approvalLinkBase
        self.approvalMemorySeconds = approvalMemorySeconds
        self.approvalTimeout = approvalTimeout
        self.engine = Mutex(engine)
        self.anonymous = anonymousPrincipal
        self.log = GatewayLogger(sink: logSink)
    }

    /// Puts another engine in force (after a reload that succeeded).
    public func replace(engine next: PolicyEngine) {
        engine.withLock { $0 = next }
    }

    /// The engine in force.
    public var currentEngine: PolicyEngine { engine.withLock { $0 } }

    public func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
        if let listKind = OperationKind(listMethod: request.method) {
            return try await filterList(request, kind: listKind, next: next)
        }
        guard let kind = OperationKind(method: request.method), let target = request.target, let name = target.name
        else {
            return try await next(request)
        }
        guard let principal = principal(of: request) else {
            request.context.notes.set("policy", ["outcome": "deny", "reason": "no authenticated principal"])
            return refusal(
                request, code: Self.deniedCode, message: "Denied by policy: the request has no authenticated principal",
                data: nil)
        }
        let policyRequest = PolicyRequest(
            principal: principal, connection: request.context.sessionID, upstream: target.upstream, kind: kind,
            name: name,
            annotations: Self.annotations(of: target), arguments: request.message.decodeParams()?["arguments"] ?? .null,
            facts: Set(request.context.facts.keys))
        let decision = currentEngine.decide(policyRequest, now: .now)
        record(decision, in: request)
        switch decision.outcome {
        case .allow:
            return try await next(request)
        case .deny:
            let ruleIDs: JSONValue = .array(decision.matchedRuleIDs.map { .string($0) })
            return refusal(
                request, code: Self.deniedCode, message: "Denied by policy: \(decision.reason)",
                data: ["ruleIds": ruleIDs])
        case .rateLimited:
            let retry = decision.retryAfterMilliseconds ?? 1000
            return refusal(
                request, code: Self.rateLimitedCode, message: "Rate limited by policy: \(decision.reason)",
                data: ["retryAfterMs": .number(JSONNumber(retry))])
        case .requireApproval:
            if let approval = decision.approvalID, canAsk(request),
                let approved = await askForApproval(
                    request, approval: approval, principal: principal, policyRequest: policyRequest,
                    reason: decision.reason)
            {
                // The decision already passed loop detection and rate limits; the answer
                // settles this call.
                let ruleIDs: JSONValue = .array(decision.matchedRuleIDs.map { .string($0) })
                guard approved else {
                    request.context.notes.set(
                        "policy",
                        ["outcome": "deny", "reason": "the user did not approve the call", "ruleIds": ruleIDs])
                    return refusal(
                        request, code: Self.deniedCode, message: "Denied: the user did not approve the call", data: nil)
                }
                request.context.notes.set(
                    "policy", ["outcome": "allow", "reason": "approved by the user", "ruleIds": ruleIDs])
                return try await next(request)
            }
            let id = decision.approvalID?.rawValue ?? ""
            var data: JSONObject = ["approvalId": .string(id)]
            var message = "This call needs an approval (id \(id)); call again once it is approved. \(decision.reason)"
            if let base = approvalLinkBase {
                let link = base + ApprovalEndpoint.pathPrefix + id
                data["approvalUrl"] = .string(link)
                message =
                    "This call needs an administrator's approval at \(link); call again once it is approved. \(decision.reason)"
            }
            return refusal(request, code: Self.approvalRequiredCode, message: message, data: .object(data))
        }
    }

    /// Whether the user can be asked: a legacy-era session whose client declared
    /// elicitation (a 2026-07-28 client is asked through input requests, not yet bridged).
    private func canAsk(_ request: GatewayRequest) -> Bool {
        request.context.revision.isLegacyEra && request.context.clientCapabilities?["elicitation"] != nil
    }

    /// Asks the user to approve the call; records and returns the answer, or `nil` when
    /// none came (the call then gets the approval id for an administrator).
    private func askForApproval(
        _ request: GatewayRequest, approval: ApprovalID, principal: PolicyPrincipal, policyRequest: PolicyRequest,
        reason: String
    ) async -> Bool? {
        let what = "\(policyRequest.name) on \(policyRequest.upstream)"
        let params: JSONObject = [
            "message": .string("The gateway needs your approval to run \(what). \(reason)"),
            "requestedSchema": [
                "type": "object",
                "properties": ["approve": ["type": "boolean", "title": "Approve this call", "default": false]],
                "required": ["approve"],
            ],
        ]
        guard let answer = try? await request.askClient("elicitation/create", params, approvalTimeout),
            let result = answer.decodeResult()
        else { return nil }
        let approved = result["action"]?.stringValue == "accept" && result["content"]?["approve"]?.boolValue == true
        let engine = currentEngine
        _ = try? engine.approvals.record(
            approval, outcome: approved ? .approved : .denied, by: principal.subject,
            rememberForSeconds: approved ? approvalMemorySeconds : 0, now: .now)
        // This call is settled here; without a memory period the answer covers no other.
        engine.approvals.consume(approval)
        log.log(
            .info, "policy.approval",
            [
                "requestId": .string(request.context.requestID), "approvalId": .string(approval.rawValue),
                "approved": .bool(approved), "by": .string(principal.subject),
            ])
        return approved
    }

    /// Sampling and elicitation requests from an upstream are decided like calls (kinds
    /// `sampling` and `elicitation`), for the principal whose call caused them; a feature
    /// the policy turned off for that upstream never reaches the client.
    public func refusesServerRequest(_ method: String, upstream: String, origin: GatewayRequestContext?) -> String? {
        guard let kind = OperationKind(method: method), kind == .sampling || kind == .elicitation else { return nil }
        let principal: PolicyPrincipal?
        if let authenticated = origin?.principal {
            principal = authenticated.organization.map {
                PolicyPrincipal(
                    subject: authenticated.subject, organization: $0, teams: authenticated.teams,
                    agent: authenticated.clientID,
                    scopes: authenticated.scopes)
            }
        } else {
            principal = anonymous
        }
        guard let principal else { return "Denied by policy: the request has no authenticated principal" }
        let decision = currentEngine.evaluate(
            PolicyRequest(
                principal: principal, connection: origin?.sessionID, upstream: upstream, kind: kind, name: ""),
            now: .now)
        guard decision.outcome == .deny else { return nil }
        log.log(
            .info, "policy.server_request_denied",
            [
                "upstream": .string(upstream), "method": .string(method),
                "rules": .array(decision.matchedRuleIDs.map { .string($0) }),
            ])
        return "Denied by policy: \(decision.reason)"
    }

    /// Who the policy judges: the authenticated principal, else the anonymous one.
    private func principal(of request: GatewayRequest) -> PolicyPrincipal? {
        if let principal = request.context.principal {
            guard let organization = principal.organization ?? anonymous?.organization else { return nil }
            return PolicyPrincipal(
                subject: principal.subject, organization: organization, teams: principal.teams,
                agent: principal.clientID,
                scopes: principal.scopes)
        }
        return anonymous
    }

    private static func annotations(of target: GatewayTarget) -> ToolAnnotations {
        guard let value = target.definition?["annotations"],
            let annotations = try? JSONValueDecoder().decode(ToolAnnotations.self, from: value)
        else { return ToolAnnotations() }
        return annotations
    }

    private func record(_ decision: PolicyDecision, in request: GatewayRequest) {
        if request.context.principal == nil, let anonymous {
            // Who the call was attributed to, for the audit record.
            request.context.notes.set(
                "principal",
                [
                    "subject": .string(anonymous.subject), "organization": .string(anonymous.organization),
                    "teams": .array(anonymous.teams.map { .string($0) }),
                ])
        }
        var note: JSONObject = [
            "outcome": .string(decision.outcome.rawValue), "reason": .string(decision.reason),
            "ruleIds": .array(decision.matchedRuleIDs.map { .string($0) }),
        ]
        if let shadow = decision.shadow {
            note["shadowOutcome"] = .string(shadow.outcome.rawValue)
            log.log(
                .info, "policy.shadow",
                [
                    "requestId": .string(request.context.requestID), "outcome": .string(shadow.outcome.rawValue),
                    "rules": .array(shadow.matchedRules.map { .string($0.description) }),
                ])
        }
        request.context.notes.set("policy", .object(note))
    }

    /// A refusal: a tool result with `isError` for tool calls, a JSON-RPC error otherwise.
    private func refusal(_ request: GatewayRequest, code: JSONRPCErrorCode, message: String, data: JSONValue?)
        -> MessageEnvelope
    {
        if request.method == "tools/call", code == Self.deniedCode {
            return request.resultResponse(["content": [["type": "text", "text": .string(message)]], "isError": true])
        }
        return request.errorResponse(JSONRPCError(code: code, message: message, data: data))
    }

    /// A list result with only the items the principal may use.
    private func filterList(_ request: GatewayRequest, kind: OperationKind, next: GatewayNext) async throws
        -> MessageEnvelope
    {
        let response = try await next(request)
        guard response.kind == .response, var result = response.decodeResult()?.objectValue else { return response }
        let member: String
        let targetKind: GatewayTarget.Kind
        switch request.method {
        case "tools/list": (member, targetKind) = ("tools", .tool)
        case "prompts/list": (member, targetKind) = ("prompts", .prompt)
        case "resources/list": (member, targetKind) = ("resources", .resource)
        default: (member, targetKind) = ("resourceTemplates", .resource)
        }
        guard let items = result[member]?.arrayValue else { return response }
        guard let principal = principal(of: request) else {
            result[member] = []
            return request.resultResponse(result)
        }
        let engine = currentEngine
        let now = PolicyTime.now
        let key = targetKind == .resource ? (member == "resources" ? "uri" : "uriTemplate") : "name"
        let kept = items.filter { item in
            guard let exposed = item[key]?.stringValue, let target = request.resolve(targetKind, exposed) else {
                return false
            }
            let probe = PolicyRequest(
                principal: principal, connection: request.context.sessionID, upstream: target.upstream, kind: kind,
                name: target.name ?? exposed, annotations: Self.annotations(of: target),
                facts: Set(request.context.facts.keys))
            return engine.isVisible(probe, now: now)
        }
        guard kept.count != items.count else { return response }
        result[member] = .array(kept)
        return request.resultResponse(result)
    }
}

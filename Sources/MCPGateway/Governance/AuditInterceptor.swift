public import MCPAudit
public import MCPCore
import MCPCrypto

/// Records every client request in an ``MCPAudit/AuditLog``: who (the principal, its
/// organization, teams and agent), what (method, upstream, tool or URI, a SHA-256 digest of
/// the arguments), the policy decision and inspection findings left in the request's
/// notes by inner interceptors, and the outcome (status, error code, bytes, duration).
///
/// Place it before the policy and inspection interceptors, so that it also records the
/// calls they refuse. With the log in `acknowledged` or `failClosed` mode the response is
/// released only once its record is on disk; a record that cannot be written withholds
/// the response and the client gets an error. In `failClosed` mode an unhealthy log also
/// stops calls before they reach an upstream.
public struct AuditInterceptor: GatewayInterceptor {
    /// The JSON-RPC error code of a call refused because the audit log cannot record it.
    public static let auditUnavailableCode = JSONRPCErrorCode(-32033)

    private let log: AuditLog
    private let clock: any AuditClock
    private let recordArguments: Bool

    /// Creates the interceptor.
    ///
    /// - Parameters:
    ///   - log: the audit log (run by the caller: `run()` or `AuditLog.withAuditLog`).
    ///   - clock: the time source of the records.
    ///   - recordArguments: whether records carry the arguments themselves, besides their
    ///     digest; off by default, since arguments may hold personal data.
    public init(log: AuditLog, clock: any AuditClock = SystemAuditClock(), recordArguments: Bool = false) {
        self.log = log
        self.clock = clock
        self.recordArguments = recordArguments
    }

    public func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
        guard request.method != "ping" else { return try await next(request) }
        if log.configuration.durability == .failClosed, !log.health.isHealthy {
            return request.errorResponse(
                JSONRPCError(
                    code: Self.auditUnavailableCode, message: "The audit log cannot record calls; the call was not made"
                ))
        }
        let started = clock.now
        let start = ContinuousClock.now
        var response: MessageEnvelope
        var thrown: (any Error)?
        do {
            response = try await next(request)
        } catch {
            thrown = error
            response = request.errorResponse(JSONRPCError.from(error))
        }
        let event = makeEvent(request, response: response, time: started, duration: ContinuousClock.now - start)
        switch log.configuration.durability {
        case .async:
            try? log.submit(event, completion: nil)
        case .acknowledged, .failClosed:
            do {
                _ = try await log.append(event)
            } catch {
                return request.errorResponse(
                    JSONRPCError(
                        code: Self.auditUnavailableCode,
                        message: "The audit log could not record the call; its result is withheld"))
            }
        }
        if let thrown { throw thrown }
        return response
    }

    private func makeEvent(_ request: GatewayRequest, response: MessageEnvelope, time: AuditTime, duration: Duration)
        -> AuditEvent
    {
        let principal = request.context.principal
        var actor = AuditEvent.Actor(
            subject: principal?.subject, organization: principal?.organization, teams: principal?.teams ?? [],
            clientID: principal?.clientID)
        actor.upstreamCredential = request.context.notes["upstreamCredential"]?.stringValue
        if principal == nil, let attributed = request.context.notes["principal"] {
            // No authenticated principal: the one an inner interceptor attributed the call to.
            actor.subject = attributed["subject"]?.stringValue
            actor.organization = attributed["organization"]?.stringValue
            actor.teams = attributed["teams"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        let arguments = request.message.decodeParams()?["arguments"]
        let action = AuditEvent.Action(
            method: request.method, upstream: request.target?.upstream,
            target: request.target?.exposedName ?? request.message.name ?? request.message.uri,
            argumentsDigest: arguments.map { Self.digest($0) }, redactedArguments: recordArguments ? arguments : nil)
        var decision: AuditEvent.Decision?
        if let policy = request.context.notes["policy"], let effect = policy["outcome"]?.stringValue {
            decision = AuditEvent.Decision(
                effect: effect, ruleIDs: policy["ruleIds"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
        let findings = (request.context.notes["findings"]?.arrayValue ?? []).compactMap {
            finding -> AuditEvent.Finding? in
            guard let detector = finding["detector"]?.stringValue, let action = finding["action"]?.stringValue else {
                return nil
            }
            return AuditEvent.Finding(
                detector: detector, action: action, fingerprint: finding["fingerprint"]?.stringValue ?? "")
        }
        let (seconds, attoseconds) = duration.components
        let outcome = AuditEvent.Outcome(
            status: MetricsInterceptor.outcome(of: response),
            errorCode: response.kind == .errorResponse ? response.decodeError().map { Int64($0.code.rawValue) } : nil,
            bytesIn: Int64(request.message.bytes.count), bytesOut: Int64(response.bytes.count),
            durationMicroseconds: seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
        return AuditEvent(
            category: "call", time: time, actor: actor, action: action, decision: decision, findings: findings,
            outcome: outcome,
            requestID: request.context.requestID)
    }

    /// SHA-256 of the arguments' JSON with object keys sorted, so equal arguments written
    /// differently get the same digest.
    static func digest(_ value: JSONValue) -> String {
        Hexadecimal.encode(SHA256.hash(JSONSerializer(options: .sortedKeys).serialize(value)))
    }
}

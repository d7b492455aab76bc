public import MCPCore

/// One attributed event of the audit trail: who did what, under which decision, what
/// inspection found, and how it ended.
///
/// Every field is a plain value; identifiers, names and codes are opaque strings that the
/// log stores and hashes without interpreting. Arguments are recorded as a digest, and
/// optionally in a redacted JSON form the caller prepared: the log never sees raw
/// argument values unless the caller puts them there.
///
/// ```swift
/// let event = AuditEvent(
///     time: clock.now,
///     actor: .init(subject: "alice", organization: "acme", teams: ["payments"], clientID: "claude-desktop"),
///     action: .init(method: "tools/call", upstream: "github", target: "create_issue", argumentsDigest: digestHex),
///     decision: .init(effect: "allow", ruleIDs: ["github-write"]),
///     outcome: .init(status: "ok", bytesIn: 412, bytesOut: 1830, durationMicroseconds: 5400),
///     requestID: "42"
/// )
/// ```
///
/// The canonical byte form (``canonicalBytes``) is what the chain hashes; see
/// `AuditEvent+Canonical.swift` for its exact rules.
public struct AuditEvent: Hashable, Sendable {
    /// Who acted.
    public struct Actor: Hashable, Sendable {
        /// The authenticated principal's subject (a user or service id).
        public var subject: String?
        /// The principal's organization or tenant.
        public var organization: String?
        /// The principal's teams.
        public var teams: [String]
        /// The agent or MCP client that made the call.
        public var clientID: String?
        /// The identity of the upstream credential used on the principal's behalf (never
        /// the credential itself).
        public var upstreamCredential: String?

        /// Creates an actor.
        ///
        /// - Parameters:
        ///   - subject: the principal's subject.
        ///   - organization: the principal's organization.
        ///   - teams: the principal's teams.
        ///   - clientID: the agent or client id.
        ///   - upstreamCredential: the upstream credential's identity.
        public init(
            subject: String? = nil, organization: String? = nil, teams: [String] = [], clientID: String? = nil,
            upstreamCredential: String? = nil
        ) {
            self.subject = subject
            self.organization = organization
            self.teams = teams
            self.clientID = clientID
            self.upstreamCredential = upstreamCredential
        }
    }

    /// What was done.
    public struct Action: Hashable, Sendable {
        /// The MCP method, such as `tools/call`.
        public var method: String?
        /// The upstream server's name.
        public var upstream: String?
        /// The tool name, resource URI or prompt name the call addressed.
        public var target: String?
        /// A digest of the arguments, such as the hexadecimal SHA-256 of their bytes.
        public var argumentsDigest: String?
        /// The arguments after redaction, when the caller chose to record them.
        public var redactedArguments: JSONValue?

        /// Creates an action.
        ///
        /// - Parameters:
        ///   - method: the MCP method.
        ///   - upstream: the upstream's name.
        ///   - target: the tool, URI or prompt.
        ///   - argumentsDigest: a digest of the arguments.
        ///   - redactedArguments: the redacted arguments.
        public init(
            method: String? = nil, upstream: String? = nil, target: String? = nil, argumentsDigest: String? = nil,
            redactedArguments: JSONValue? = nil
        ) {
            self.method = method
            self.upstream = upstream
            self.target = target
            self.argumentsDigest = argumentsDigest
            self.redactedArguments = redactedArguments
        }
    }

    /// The policy decision that applied.
    public struct Decision: Hashable, Sendable {
        /// The effect, such as `allow`, `deny`, `require-approval`, `rate-limit`.
        public var effect: String
        /// The ids of the rules that made the decision.
        public var ruleIDs: [String]

        /// Creates a decision.
        ///
        /// - Parameters:
        ///   - effect: the effect.
        ///   - ruleIDs: the rules that made it.
        public init(effect: String, ruleIDs: [String] = []) {
            self.effect = effect
            self.ruleIDs = ruleIDs
        }
    }

    /// One inspection finding.
    public struct Finding: Hashable, Sendable {
        /// The detector that fired.
        public var detector: String
        /// What was done about it, such as `redact` or `block`.
        public var action: String
        /// An opaque fingerprint of what matched (never the matched text).
        public var fingerprint: String

        /// Creates a finding.
        ///
        /// - Parameters:
        ///   - detector: the detector.
        ///   - action: the action taken.
        ///   - fingerprint: an opaque fingerprint.
        public init(detector: String, action: String, fingerprint: String) {
            self.detector = detector
            self.action = action
            self.fingerprint = fingerprint
        }
    }

    /// How the call ended.
    public struct Outcome: Hashable, Sendable {
        /// The status, such as `ok`, `error`, `denied`.
        public var status: String
        /// The JSON-RPC or gateway error code, when the call failed.
        public var errorCode: Int64?
        /// Bytes received from the client.
        public var bytesIn: Int64
        /// Bytes sent to the client.
        public var bytesOut: Int64
        /// How long the call took, in microseconds.
        public var durationMicroseconds: Int64

        /// Creates an outcome.
        ///
        /// - Parameters:
        ///   - status: the status.
        ///   - errorCode: the error code, if any.
        ///   - bytesIn: bytes received.
        ///   - bytesOut: bytes sent.
        ///   - durationMicroseconds: the duration in microseconds.
        public init(
            status: String, errorCode: Int64? = nil, bytesIn: Int64 = 0, bytesOut: Int64 = 0,
            durationMicroseconds: Int64 = 0
        ) {
            self.status = status
            self.errorCode = errorCode
            self.bytesIn = bytesIn
            self.bytesOut = bytesOut
            self.durationMicroseconds = durationMicroseconds
        }
    }

    /// The kind of event: `call` for MCP traffic (the default), `retention` for the log's
    /// own removals, or any name an embedding program chooses.
    public var category: String
    /// When the event happened (for a call: when it started).
    public var time: AuditTime
    /// Who acted.
    public var actor: Actor
    /// What was done.
    public var action: Action
    /// The policy decision, if policy ran.
    public var decision: Decision?
    /// Inspection findings, in the order they were made.
    public var findings: [Finding]
    /// How it ended, if it has ended.
    public var outcome: Outcome?
    /// The JSON-RPC request id, as text.
    public var requestID: String?
    /// The distributed trace id.
    public var traceID: String?
    /// Further details of a non-call event (such as a removal's counts), as JSON.
    public var details: JSONValue?

    /// Creates an event.
    ///
    /// - Parameters:
    ///   - category: the kind of event; `call` by default.
    ///   - time: when it happened.
    ///   - actor: who acted.
    ///   - action: what was done.
    ///   - decision: the policy decision.
    ///   - findings: inspection findings.
    ///   - outcome: how it ended.
    ///   - requestID: the JSON-RPC request id.
    ///   - traceID: the trace id.
    ///   - details: further details as JSON.
    public init(
        category: String = "call", time: AuditTime, actor: Actor = Actor(), action: Action = Action(),
        decision: Decision? = nil, findings: [Finding] = [], outcome: Outcome? = nil, requestID: String? = nil,
        traceID: String? = nil, details: JSONValue? = nil
    ) {
        self.category = category
        self.time = time
        self.actor = actor
        self.action = action
        self.decision = decision
        self.findings = findings
        self.outcome = outcome
        self.requestID = requestID
        self.traceID = traceID
        self.details = details
    }
}

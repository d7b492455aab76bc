import MCPCrypto
import Synchronization

/// The id of an approval request, given to the client or an administrator to resolve.
public struct ApprovalID: Sendable, Hashable, CustomStringConvertible {
    /// The id's text, `apr_` followed by 32 hexadecimal digits.
    public let rawValue: String
    /// Wraps an id's text.
    ///
    /// - Parameter rawValue: the id's text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// The id's text.
    public var description: String { rawValue }

    static func random() -> ApprovalID {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return ApprovalID("apr_" + Hexadecimal.encode(bytes))
    }
}

/// What an approval covers: one principal calling one thing on one upstream, with these
/// arguments (by hash).
public struct ApprovalScope: Sendable, Hashable {
    /// The principal's organization.
    public let organization: String
    /// The principal's subject.
    public let subject: String
    /// The upstream.
    public let upstream: String
    /// The kind of operation.
    public let kind: OperationKind
    /// The tool or prompt name or resource URI.
    public let name: String
    /// The SHA-256 of the canonical arguments.
    public let argumentsHash: String

    func key(withArguments: Bool) -> String {
        let base =
            "\(organization.utf8.count):\(organization)\(subject.utf8.count):\(subject)\(upstream.utf8.count):\(upstream)\(kind.rawValue)|\(name.utf8.count):\(name)"
        return withArguments ? base + "#" + argumentsHash : base + "#*"
    }
}

/// The outcome a person gave to an approval request.
public enum ApprovalOutcome: String, Sendable, Hashable {
    /// The call may run.
    case approved
    /// The call must not run.
    case denied
}

/// One approval request and what became of it.
public struct ApprovalRecord: Sendable, Hashable {
    /// The request's id.
    public let id: ApprovalID
    /// What the request covers.
    public let scope: ApprovalScope
    /// The rule that asked for approval.
    public let rule: MatchedRule
    /// When the request was made.
    public let requestedAt: PolicyTime
    /// The outcome, once given.
    public internal(set) var outcome: ApprovalOutcome?
    /// Who gave the outcome.
    public internal(set) var decidedBy: String?
    /// When the outcome was given.
    public internal(set) var decidedAt: PolicyTime?
    /// Until when the outcome applies to repeated calls of the same scope (nil: this call only).
    public internal(set) var rememberedUntil: PolicyTime?
    /// Whether the remembered outcome applies only to calls with the same arguments.
    public internal(set) var remembersArguments: Bool
    /// Whether the outcome covers only the next call of the same scope (the retried call),
    /// as when no memory was asked for.
    public internal(set) var singleUse: Bool
}

/// Approval requests and their outcomes, with memory: an approval (or refusal) can be
/// remembered for a time, for one principal, upstream and name, and optionally only for
/// the same arguments, so that a repeated call within that time is decided without
/// asking again. The gateway shows the request to a person (elicitation or an admin link)
/// and records the answer here.
///
/// Memory is bounded: at most `maxRequests` requests and `maxRemembered` remembered
/// outcomes, the least recently used forgotten first; an unanswered request expires after
/// `requestLifetimeSeconds`. Time comes from the caller. Safe to share between threads
/// and between engines.
public final class ApprovalLedger: Sendable {
    struct State {
        var requests: LRUTable<ApprovalRecord>
        var pendingByScope: LRUTable<ApprovalID>
        var memory: LRUTable<ApprovalRecord>
    }

    private let state: Mutex<State>
    /// How long an unanswered request stays open, in milliseconds.
    let requestLifetime: Int64

    /// Creates a ledger.
    ///
    /// - Parameters:
    ///   - maxRequests: the most requests kept (default 10,000).
    ///   - maxRemembered: the most remembered outcomes kept (default 10,000).
    ///   - requestLifetimeSeconds: how long a request may wait for its outcome (default 1 hour).
    public init(maxRequests: Int = 10_000, maxRemembered: Int = 10_000, requestLifetimeSeconds: Int64 = 3600) {
        state = Mutex(
            State(
                requests: LRUTable(capacity: maxRequests), pendingByScope: LRUTable(capacity: maxRequests),
                memory: LRUTable(capacity: maxRemembered)))
        requestLifetime = max(1, requestLifetimeSeconds) * 1000
    }

    /// Opens a request for a call, or returns the open request for the same call.
    func open(_ scope: ApprovalScope, rule: MatchedRule, now: PolicyTime) -> ApprovalID {
        let key = scope.key(withArguments: true)
        return state.withLock { state in
            if let id = state.pendingByScope.value(for: key), let record = state.requests.peek(id.rawValue),
                record.outcome == nil, now.unixMilliseconds - record.requestedAt.unixMilliseconds < requestLifetime
            {
                return id
            }
            let id = ApprovalID.random()
            let record = ApprovalRecord(
                id: id, scope: scope, rule: rule, requestedAt: now, outcome: nil, decidedBy: nil, decidedAt: nil,
                rememberedUntil: nil, remembersArguments: true, singleUse: true)
            state.requests.set(record, for: id.rawValue)
            state.pendingByScope.set(id, for: key)
            return id
        }
    }

    /// Records the outcome of a request.
    ///
    /// - Parameters:
    ///   - id: the request's id.
    ///   - outcome: approved or denied.
    ///   - approver: who decided (a subject id).
    ///   - rememberForSeconds: how long the outcome applies to repeated calls of the same
    ///     scope; nil or 0 for the pending call only.
    ///   - matchingArguments: whether the remembered outcome needs the same arguments.
    ///   - now: the current time.
    /// - Returns: the updated record.
    /// - Throws: ``PolicyError/Code/unknownApproval`` for an id never issued, forgotten
    ///   or expired; ``PolicyError/Code/approvalAlreadyDecided`` when it has an outcome.
    @discardableResult
    public func record(
        _ id: ApprovalID, outcome: ApprovalOutcome, by approver: String, rememberForSeconds: Int64? = nil,
        matchingArguments: Bool = true, now: PolicyTime
    ) throws(PolicyError) -> ApprovalRecord {
        let lifetime = requestLifetime
        let result: Result<ApprovalRecord, PolicyError> = state.withLock { state in
            guard var record = state.requests.value(for: id.rawValue),
                record.outcome != nil || now.unixMilliseconds - record.requestedAt.unixMilliseconds < lifetime
            else {
                return .failure(PolicyError(.unknownApproval, at: "", "no open approval request has this id"))
            }
            guard record.outcome == nil else {
                return .failure(
                    PolicyError(.approvalAlreadyDecided, at: "", "this approval request already has an outcome"))
            }
            record.outcome = outcome
            record.decidedBy = approver
            record.decidedAt = now
            // Without memory the outcome still covers the retried call, once, within the
            // request's lifetime.
            let seconds = max(0, rememberForSeconds ?? 0)
            record.rememberedUntil = now.adding(milliseconds: seconds > 0 ? seconds * 1000 : lifetime)
            record.remembersArguments = seconds > 0 ? matchingArguments : true
            record.singleUse = seconds == 0
            state.requests.set(record, for: id.rawValue)
            state.pendingByScope.remove(record.scope.key(withArguments: true))
            state.memory.set(record, for: record.scope.key(withArguments: record.remembersArguments))
            return .success(record)
        }
        return try result.get()
    }

    /// Uses up the single-use outcome of a request whose caller applied it itself (the
    /// one call it covers goes ahead, or is refused, now), so that it covers no other
    /// call. Remembered outcomes (with a memory period) are left alone.
    ///
    /// - Parameter id: the request's id.
    public func consume(_ id: ApprovalID) {
        state.withLock { state in
            guard let record = state.requests.peek(id.rawValue), record.singleUse else { return }
            state.memory.remove(record.scope.key(withArguments: record.remembersArguments))
        }
    }

    /// The request with this id, if the ledger still holds it.
    ///
    /// - Parameter id: the request's id.
    /// - Returns: the record, or nil.
    public func request(_ id: ApprovalID) -> ApprovalRecord? {
        state.withLock { $0.requests.peek(id.rawValue) }
    }

    /// The remembered outcome that covers a call now, if any (same arguments first).
    func remembered(_ scope: ApprovalScope, now: PolicyTime) -> ApprovalRecord? {
        state.withLock { state in
            for key in [scope.key(withArguments: true), scope.key(withArguments: false)] {
                guard let record = state.memory.value(for: key) else { continue }
                if let until = record.rememberedUntil, now < until {
                    if record.singleUse { state.memory.remove(key) }
                    return record
                }
                state.memory.remove(key)
            }
            return nil
        }
    }
}

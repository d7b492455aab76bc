/// The toxic-flow state of one session: a session that has read private data and
/// ingested untrusted content may not call a tool that sends data out without approval.
///
/// A value type: the gateway keeps one per session, asks ``check(tool:server:)`` before
/// a call, and reports the call with ``record(tool:server:)`` and the taints of scan
/// findings with ``addTaint(_:)`` after. The state is exposed as plain string facts
/// (``facts``) for the policy layer.
public struct FlowTracker: Sendable, Hashable {
    /// The answer for one call.
    public enum Decision: Sendable, Hashable {
        /// The call may go ahead.
        case allow
        /// The call would complete a toxic flow; it needs an approval first.
        case requireApproval(reason: String)
    }

    /// The taint label that counts as having read private data.
    public static let privateDataTaint = "private-data"
    /// The taint label that counts as having ingested untrusted content.
    public static let untrustedContentTaint = "untrusted-content"
    /// The most distinct taints a session keeps; later ones are dropped.
    public static let maximumTaints = 64

    private let labels: ToolLabels
    private var seen: ToolCapabilities = []
    private var taints: [String] = []
    private var approvedTools: Set<String> = []

    /// Creates the state of a new session.
    ///
    /// - Parameter labels: The capabilities of labelled tools.
    public init(labels: ToolLabels) {
        self.labels = labels
    }

    /// Whether the session has read private data.
    public var hasReadPrivateData: Bool { seen.contains(.readsPrivateData) }
    /// Whether the session has ingested untrusted content.
    public var hasIngestedUntrustedContent: Bool { seen.contains(.ingestsUntrustedContent) }

    /// Decides whether a call may go ahead; records nothing.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - server: The server's name.
    /// - Returns: `.allow`, or `.requireApproval` when the tool sends data out after
    ///   the session read private data and ingested untrusted content.
    public func check(tool: String, server: String) -> Decision {
        let capabilities = labels.capabilities(tool: tool, server: server)
        guard capabilities.contains(.sendsDataOut), hasReadPrivateData, hasIngestedUntrustedContent,
            !approvedTools.contains("\(server)\u{0}\(tool)")
        else { return .allow }
        return .requireApproval(reason: "toxic-flow")
    }

    /// Records a call that was made.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - server: The server's name.
    public mutating func record(tool: String, server: String) {
        seen.formUnion(labels.capabilities(tool: tool, server: server).subtracting(.sendsDataOut))
    }

    /// Adds a taint label, such as one a finding with a `taint` action carries.
    ///
    /// `private-data` and `untrusted-content` count as the corresponding capabilities.
    ///
    /// - Parameter label: The label.
    public mutating func addTaint(_ label: String) {
        if label == Self.privateDataTaint { seen.insert(.readsPrivateData) }
        if label == Self.untrustedContentTaint { seen.insert(.ingestsUntrustedContent) }
        if !taints.contains(label), taints.count < Self.maximumTaints { taints.append(label) }
    }

    /// Adds the taints of findings (those whose action is `taint`).
    ///
    /// - Parameter findings: Findings of a scan.
    public mutating func addTaints(of findings: [Finding]) {
        for finding in findings {
            if case .taint(let label) = finding.action { addTaint(label) }
        }
    }

    /// Approves a tool for the rest of the session, after a person agreed.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - server: The server's name.
    public mutating func approve(tool: String, server: String) {
        approvedTools.insert("\(server)\u{0}\(tool)")
    }

    /// The session's state as facts for the policy layer: `flow:read-private-data`,
    /// `flow:ingested-untrusted-content` and `taint:<label>` for each taint, in that order.
    public var facts: [String] {
        var facts: [String] = []
        if hasReadPrivateData { facts.append("flow:read-private-data") }
        if hasIngestedUntrustedContent { facts.append("flow:ingested-untrusted-content") }
        facts += taints.map { "taint:\($0)" }
        return facts
    }
}

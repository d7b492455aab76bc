/// What a scanner releases after a chunk: the bytes that are safe to send on, with
/// redactions applied, and the findings made so far that were not reported before.
public struct ScanOutput: Sendable, Hashable {
    /// Bytes to send on now, in order; redacted spans already replaced.
    public var bytes: [UInt8]
    /// Findings made while scanning this chunk.
    public var findings: [Finding]

    /// Creates an output.
    ///
    /// - Parameters:
    ///   - bytes: The bytes to release.
    ///   - findings: The findings.
    public init(bytes: [UInt8] = [], findings: [Finding] = []) {
        self.bytes = bytes
        self.findings = findings
    }

    /// Whether a finding asks to block the message.
    public var blocksMessage: Bool { findings.contains { $0.action == .block } }

    /// The taint labels of the findings, in order, without repeats.
    public var taints: [String] {
        var labels: [String] = []
        for finding in findings {
            if case .taint(let label) = finding.action, !labels.contains(label) { labels.append(label) }
        }
        return labels
    }
}

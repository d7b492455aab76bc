/// A revision of the Model Context Protocol, named by its date.
///
/// The gateway speaks all five revisions in use on either side and bridges between them.
/// Revisions up to 2025-11-25 form the legacy era (`initialize`, sessions); 2026-07-28 is
/// the modern era (stateless, `server/discover`, multi-round-trip requests).
public enum ProtocolRevision: String, CaseIterable, Sendable, Hashable, Codable {
    /// 2024-11-05: HTTP+SSE transport.
    case v2024_11_05 = "2024-11-05"
    /// 2025-03-26: Streamable HTTP, sessions, JSON-RPC batches, tool annotations, audio.
    case v2025_03_26 = "2025-03-26"
    /// 2025-06-18: no batches, `MCP-Protocol-Version` header, structured tool output,
    /// elicitation, resource links.
    case v2025_06_18 = "2025-06-18"
    /// 2025-11-25: tasks, URL elicitation, icons, tool calls in sampling, SSE polling.
    case v2025_11_25 = "2025-11-25"
    /// 2026-07-28: stateless, `server/discover`, multi-round-trip requests,
    /// `subscriptions/listen`, routing headers.
    case v2026_07_28 = "2026-07-28"

    /// The newest revision.
    public static let latest = ProtocolRevision.v2026_07_28

    /// The revision a Streamable HTTP server assumes when a request carries no
    /// `MCP-Protocol-Version` header (2025-06-18 and later say 2025-03-26).
    public static let assumedWithoutHeader = ProtocolRevision.v2025_03_26
}

extension ProtocolRevision: Comparable {
    /// Revisions order by date.
    public static func < (lhs: ProtocolRevision, rhs: ProtocolRevision) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension ProtocolRevision: CustomStringConvertible {
    /// The revision's date, as it appears on the wire.
    public var description: String { rawValue }
}

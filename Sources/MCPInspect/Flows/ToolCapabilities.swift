/// What a tool can do, as the configuration labels it, for toxic-flow tracking.
public struct ToolCapabilities: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: UInt8

    /// Creates capabilities from raw bits.
    ///
    /// - Parameter rawValue: The bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The tool reads private data (mail, files, databases).
    public static let readsPrivateData = ToolCapabilities(rawValue: 1 << 0)
    /// The tool brings in content others control (web pages, issues, messages).
    public static let ingestsUntrustedContent = ToolCapabilities(rawValue: 1 << 1)
    /// The tool can send data out (mail, HTTP requests, posts, commits).
    public static let sendsDataOut = ToolCapabilities(rawValue: 1 << 2)

    /// The labels of the configuration file, by capability.
    public static let labels: [(String, ToolCapabilities)] = [
        ("reads-private-data", .readsPrivateData), ("ingests-untrusted-content", .ingestsUntrustedContent),
        ("sends-data-out", .sendsDataOut),
    ]

    /// The capability a configuration label names.
    ///
    /// - Parameter label: `reads-private-data`, `ingests-untrusted-content` or `sends-data-out`.
    public init?(label: String) {
        guard let found = Self.labels.first(where: { $0.0 == label }) else { return nil }
        self = found.1
    }
}

/// The capabilities of every labelled tool, by server and tool name.
public struct ToolLabels: Sendable, Hashable {
    private var capabilities: [String: ToolCapabilities] = [:]

    /// Creates an empty set of labels.
    public init() {}

    /// Labels a tool; a `*` server labels the tool name on every server.
    ///
    /// - Parameters:
    ///   - capabilities: What the tool can do.
    ///   - tool: The tool's name.
    ///   - server: The server's name, or `*`.
    public mutating func label(_ capabilities: ToolCapabilities, tool: String, server: String = "*") {
        self.capabilities["\(server)\u{0}\(tool)", default: []].formUnion(capabilities)
    }

    /// The capabilities of a tool: its own labels and those given for every server.
    ///
    /// - Parameters:
    ///   - tool: The tool's name.
    ///   - server: The server's name.
    /// - Returns: The union of the labels.
    public func capabilities(tool: String, server: String) -> ToolCapabilities {
        (capabilities["\(server)\u{0}\(tool)"] ?? []).union(capabilities["*\u{0}\(tool)"] ?? [])
    }
}

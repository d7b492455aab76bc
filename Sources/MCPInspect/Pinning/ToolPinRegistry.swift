public import MCPCore

/// Pins each server's tools to their fingerprints and reports rug pulls (a pinned tool
/// that changed) and shadowing (one tool name on several servers).
///
/// A tool is pinned the first time it is seen (trust on first use) unless
/// `pinOnFirstSight` is off, in which case it stays unapproved until ``approve(server:tool:)``.
/// A change keeps the approved fingerprint and reports `tool-changed` with the rules'
/// action (block by default) until the new definition is approved.
public struct ToolPinRegistry: Sendable {
    /// What the registry concluded about one tool definition.
    public struct Check: Sendable, Hashable {
        /// How the definition compares with the pin.
        public enum Status: Sendable, Hashable {
            /// Never seen before; now pinned (or waiting for approval).
            case firstSeen
            /// The same as the approved definition.
            case unchanged
            /// Different from the approved definition.
            case changed
            /// Seen before but never approved.
            case unapproved
        }

        /// How the definition compares with the pin.
        public var status: Status
        /// The definition's fingerprint.
        public var fingerprint: ToolFingerprint
        /// Whether this definition is the approved one.
        public var isApproved: Bool
        /// `tool-changed` and `tool-shadowing` findings, with their actions.
        public var findings: [Finding]
        /// Other servers that offer a tool of the same name.
        public var shadowedServers: [String]

        /// Whether the tool must not be offered: it awaits approval, or a finding blocks.
        public var blocksTool: Bool {
            (!isApproved && status != .changed) || findings.contains { $0.action == .block }
        }
    }

    private let store: any ToolPinStore
    private let rules: InspectionRules
    /// Whether a tool seen for the first time is approved at once.
    public let pinOnFirstSight: Bool

    /// Creates a registry.
    ///
    /// - Parameters:
    ///   - store: Where pins are kept.
    ///   - rules: The actions of `tool-changed` and `tool-shadowing` (in the
    ///     tool-definition direction).
    ///   - pinOnFirstSight: Whether a new tool is approved when first seen.
    public init(store: any ToolPinStore, rules: InspectionRules = .default, pinOnFirstSight: Bool = true) {
        self.store = store
        self.rules = rules
        self.pinOnFirstSight = pinOnFirstSight
    }

    /// Checks a tool definition from a server's tool list and records it.
    ///
    /// - Parameters:
    ///   - tool: The tool definition.
    ///   - server: The server's name.
    ///   - serverInstructions: The server's `instructions`, if any.
    /// - Returns: The status, findings and shadowing servers.
    /// - Throws: `InspectError` with code `invalidToolDefinition` when the tool is not
    ///   an object with a string `name`; nothing is recorded then.
    public func observe(tool: JSONValue, server: String, serverInstructions: String?) throws(InspectError) -> Check {
        let fingerprint = try ToolFingerprint(tool: tool, serverInstructions: serverInstructions)
        let name = tool["name"]!.stringValue!
        var findings: [Finding] = []
        let status: Check.Status
        var pin =
            store.pin(server: server, tool: name)
            ?? ToolPin(approved: pinOnFirstSight ? fingerprint : Self.unapproved, latest: fingerprint)
        if store.pin(server: server, tool: name) == nil {
            status = .firstSeen
        } else if pin.approved == fingerprint {
            status = .unchanged
        } else if pin.approved == Self.unapproved {
            status = .unapproved
        } else {
            status = .changed
            if let action = rules.action(for: .toolChanged, in: .toolDefinition) {
                findings.append(finding(.toolChanged, name: name, fingerprint: fingerprint, action: action))
            }
        }
        pin.latest = fingerprint
        store.setPin(pin, server: server, tool: name)
        let others = store.servers(offering: name).filter { $0 != server }
        if !others.isEmpty, let action = rules.action(for: .toolShadowing, in: .toolDefinition) {
            findings.append(finding(.toolShadowing, name: name, fingerprint: fingerprint, action: action))
        }
        return Check(
            status: status, fingerprint: fingerprint, isApproved: pin.approved == fingerprint, findings: findings,
            shadowedServers: others)
    }

    /// Approves the definition of a tool seen last, ending a `changed` or unapproved state.
    ///
    /// - Parameters:
    ///   - server: The server's name.
    ///   - tool: The tool's name.
    /// - Returns: Whether the tool was known.
    @discardableResult
    public func approve(server: String, tool: String) -> Bool {
        guard var pin = store.pin(server: server, tool: tool) else { return false }
        pin.approved = pin.latest
        store.setPin(pin, server: server, tool: tool)
        return true
    }

    /// Whether a tool may be used: it is pinned and its last definition is approved.
    ///
    /// - Parameters:
    ///   - server: The server's name.
    ///   - tool: The tool's name.
    /// - Returns: `true` only for a known tool whose latest definition is approved.
    public func isApproved(server: String, tool: String) -> Bool {
        guard let pin = store.pin(server: server, tool: tool) else { return false }
        return !pin.isChanged
    }

    /// Stands for "nothing approved yet"; no definition hashes to all zeros.
    private static let unapproved = try! ToolFingerprint(digest: [UInt8](repeating: 0, count: 32))

    private func finding(_ detector: DetectorID, name: String, fingerprint: ToolFingerprint, action: InspectionAction)
        -> Finding
    {
        Finding(
            detector: detector,
            location: Finding.Location(byteOffset: 0, byteLength: 0, jsonPath: "$.tools[name=\(name)]"),
            direction: .toolDefinition, fingerprint: String(fingerprint.description.prefix(16)), action: action)
    }
}

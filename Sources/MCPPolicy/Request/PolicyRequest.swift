public import MCPCore

/// Who is calling, as the authentication layer established it.
public struct PolicyPrincipal: Sendable, Hashable {
    /// The subject (user or service) id.
    public var subject: String
    /// The organization (tenant) the subject belongs to; only that organization's
    /// documents apply.
    public var organization: String
    /// The teams the subject belongs to.
    public var teams: [String]
    /// The agent or client id the call comes through, if known.
    public var agent: String?
    /// The scopes granted to the token of the call.
    public var scopes: [String]

    /// Creates a principal.
    ///
    /// - Parameters:
    ///   - subject: the subject id.
    ///   - organization: the organization id.
    ///   - teams: the teams of the subject.
    ///   - agent: the agent or client id.
    ///   - scopes: the granted scopes.
    public init(
        subject: String, organization: String, teams: [String] = [], agent: String? = nil, scopes: [String] = []
    ) {
        self.subject = subject
        self.organization = organization
        self.teams = teams
        self.agent = agent
        self.scopes = scopes
    }
}

/// The kind of operation a request asks for.
public enum OperationKind: String, Sendable, Hashable, CaseIterable {
    /// `tools/call`; the name is the tool name.
    case toolCall
    /// `resources/read`; the name is the resource URI.
    case resourceRead
    /// `prompts/get`; the name is the prompt name.
    case promptGet
    /// `sampling/createMessage` from an upstream; the name is empty.
    case sampling
    /// `elicitation/create` from an upstream; the name is empty.
    case elicitation

    /// The kind of a request by its MCP method: `tools/call`, `resources/read`,
    /// `prompts/get`, `sampling/createMessage` or `elicitation/create`; nil for any other.
    ///
    /// - Parameter method: the JSON-RPC method.
    public init?(method: String) {
        switch method {
        case "tools/call": self = .toolCall
        case "resources/read": self = .resourceRead
        case "prompts/get": self = .promptGet
        case "sampling/createMessage": self = .sampling
        case "elicitation/create": self = .elicitation
        default: return nil
        }
    }

    /// The kind whose things a list method lists (`tools/list`, `resources/list`,
    /// `resources/templates/list`, `prompts/list`), for filtering its result with
    /// ``PolicyEngine/visibleNames(_:for:now:)``; nil for any other method.
    ///
    /// - Parameter listMethod: the JSON-RPC method.
    public init?(listMethod: String) {
        switch listMethod {
        case "tools/list": self = .toolCall
        case "resources/list", "resources/templates/list": self = .resourceRead
        case "prompts/list": self = .promptGet
        default: return nil
        }
    }

    var index: Int {
        switch self {
        case .toolCall: 0
        case .resourceRead: 1
        case .promptGet: 2
        case .sampling: 3
        case .elicitation: 4
        }
    }
}

extension ToolAnnotations {
    /// The traits these hints claim, with the MCP defaults for missing hints (readOnly
    /// false, destructive true, idempotent false, openWorld true). Hints are never proof.
    var hintedTraits: ToolTraits {
        var traits: ToolTraits = []
        if readOnlyHint ?? false { traits.insert(.readOnly) }
        if destructiveHint ?? true { traits.insert(.destructive) }
        if idempotentHint ?? false { traits.insert(.idempotent) }
        if openWorldHint ?? true { traits.insert(.openWorld) }
        return traits
    }
}

/// Traits of a tool, as a policy declares them or as annotations hint them.
public struct ToolTraits: OptionSet, Sendable, Hashable {
    /// The raw bits.
    public let rawValue: UInt8
    /// Creates traits from raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// The tool does not change its environment.
    public static let readOnly = ToolTraits(rawValue: 1 << 0)
    /// The tool may make destructive changes.
    public static let destructive = ToolTraits(rawValue: 1 << 1)
    /// Calling the tool again with the same arguments has no further effect.
    public static let idempotent = ToolTraits(rawValue: 1 << 2)
    /// The tool reaches outside the system it serves (the internet, other tenants).
    public static let openWorld = ToolTraits(rawValue: 1 << 3)

    static let names: [(String, ToolTraits)] = [
        ("readOnly", .readOnly), ("destructive", .destructive), ("idempotent", .idempotent), ("openWorld", .openWorld),
    ]

    /// The trait names, in a fixed order.
    public var names: [String] { Self.names.filter { contains($0.1) }.map(\.0) }
}

/// One request for a decision: who asks, through which connection, for what on which
/// upstream, with which arguments, and what other layers know about the session.
public struct PolicyRequest: Sendable, Hashable {
    /// Who is calling.
    public var principal: PolicyPrincipal
    /// The client connection or session id, if any.
    public var connection: String?
    /// The upstream server's name in the gateway.
    public var upstream: String
    /// The kind of operation.
    public var kind: OperationKind
    /// The tool or prompt name, or the resource URI; empty for sampling and elicitation.
    public var name: String
    /// The tool's annotations (MCPCore's type): untrusted hints, never proof of a trait.
    public var annotations: ToolAnnotations
    /// The arguments of the call (`null` when there are none).
    public var arguments: JSONValue
    /// Labels other layers put on the session, such as `untrusted-content` or
    /// `private-data`.
    public var facts: Set<String>
    /// Whether another layer put the connection in read-only mode.
    public var readOnly: Bool

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - principal: who is calling.
    ///   - connection: the connection or session id.
    ///   - upstream: the upstream server's name.
    ///   - kind: the operation.
    ///   - name: the tool or prompt name or resource URI.
    ///   - annotations: the tool's annotations.
    ///   - arguments: the arguments.
    ///   - facts: session labels from other layers.
    ///   - readOnly: whether the connection is in read-only mode.
    public init(
        principal: PolicyPrincipal, connection: String? = nil, upstream: String, kind: OperationKind, name: String,
        annotations: ToolAnnotations = ToolAnnotations(), arguments: JSONValue = .null, facts: Set<String> = [],
        readOnly: Bool = false
    ) {
        self.principal = principal
        self.connection = connection
        self.upstream = upstream
        self.kind = kind
        self.name = name
        self.annotations = annotations
        self.arguments = arguments
        self.facts = facts
        self.readOnly = readOnly
    }
}

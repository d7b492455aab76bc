// MARK: - initialize (legacy era)

/// `initialize`: the first request of a legacy-era connection; client and server agree on
/// a revision and exchange capabilities.
public enum Initialize: MCPMethod {
    /// `initialize`.
    public static let name = "initialize"
    /// The client's revision, capabilities and identity.
    public typealias Params = InitializeRequestParams
    /// The server's.
    public typealias Result = InitializeResult
}

/// The parameters of `initialize`.
public struct InitializeRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The revision the client wants, normally its newest.
    public var protocolVersion: String
    /// What the client supports.
    public var capabilities: ClientCapabilities
    /// Who the client is.
    public var clientInfo: Implementation
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case protocolVersion, capabilities, clientInfo
    }

    /// Creates the parameters.
    public init(
        protocolVersion: String, capabilities: ClientCapabilities, clientInfo: Implementation, meta: JSONObject? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.clientInfo = clientInfo
        self.meta = meta
    }
}

/// The result of `initialize`.
public struct InitializeResult: MCPResult, MCPMetaCarrying {
    /// The revision the server chose: the client's when supported, else another.
    public var protocolVersion: String
    /// What the server supports.
    public var capabilities: ServerCapabilities
    /// Who the server is.
    public var serverInfo: Implementation
    /// How to use the server, for the model.
    public var instructions: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case protocolVersion, capabilities, serverInfo, instructions
        case meta = "_meta"
    }

    /// Creates the result.
    public init(
        protocolVersion: String, capabilities: ServerCapabilities, serverInfo: Implementation,
        instructions: String? = nil, meta: JSONObject? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.capabilities = capabilities
        self.serverInfo = serverInfo
        self.instructions = instructions
        self.meta = meta
    }
}

/// `notifications/initialized`: the client has processed the `initialize` result.
public enum InitializedNotification: MCPNotification {
    /// `notifications/initialized`.
    public static let name = "notifications/initialized"
    /// Optional; only `_meta`.
    public typealias Params = NotificationParams?
}

/// `ping`: checks that the other side is alive (legacy era, either direction).
public enum Ping: MCPMethod {
    /// `ping`.
    public static let name = "ping"
    /// Optional; only `_meta`.
    public typealias Params = RequestParams?
    /// Nothing.
    public typealias Result = EmptyResult
}

// MARK: - server/discover (2026-07-28)

/// `server/discover`: what a 2026-07-28 server supports; servers must answer it, and a
/// client may probe with it to tell a modern server from a legacy one.
public enum Discover: MCPMethod {
    /// `server/discover`.
    public static let name = "server/discover"
    /// Only the request `_meta`.
    public typealias Params = RequestParams
    /// The server's revisions and capabilities.
    public typealias Result = DiscoverResult
}

/// The result of `server/discover`. The server names itself in the
/// ``MCPMetaKey/serverInfo`` of `_meta`.
public struct DiscoverResult: MCPCacheableResult, MCPMetaCarrying {
    /// The revisions the server supports.
    public var supportedVersions: [String]
    /// What the server supports.
    public var capabilities: ServerCapabilities
    /// How to use the server, for the model.
    public var instructions: String?
    /// `complete`.
    public var resultType: ResultType?
    /// How long the result may be reused, in milliseconds.
    public var ttlMs: Int?
    /// Who may share a cached copy.
    public var cacheScope: CacheScope?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, supportedVersions, capabilities, instructions, ttlMs, cacheScope
        case meta = "_meta"
    }

    /// Creates the result.
    public init(
        supportedVersions: [String], capabilities: ServerCapabilities, instructions: String? = nil,
        resultType: ResultType? = nil, ttlMs: Int? = nil, cacheScope: CacheScope? = nil, meta: JSONObject? = nil
    ) {
        self.supportedVersions = supportedVersions
        self.capabilities = capabilities
        self.instructions = instructions
        self.resultType = resultType
        self.ttlMs = ttlMs
        self.cacheScope = cacheScope
        self.meta = meta
    }
}

/// The `_meta` keys the protocol reserves.
///
/// Keys whose prefix's second label is `modelcontextprotocol` or `mcp` belong to MCP; the
/// rest of `_meta` is free for implementations (`com.example/key`).
public enum MCPMetaKey {
    /// `io.modelcontextprotocol/protocolVersion` (request, 2026-07-28): the revision of
    /// this request; required, and must match the `MCP-Protocol-Version` header.
    public static let protocolVersion = "io.modelcontextprotocol/protocolVersion"
    /// `io.modelcontextprotocol/clientInfo` (request, 2026-07-28): the client's
    /// ``Implementation``, self-reported.
    public static let clientInfo = "io.modelcontextprotocol/clientInfo"
    /// `io.modelcontextprotocol/clientCapabilities` (request, 2026-07-28): the client's
    /// ``ClientCapabilities`` for this request; required.
    public static let clientCapabilities = "io.modelcontextprotocol/clientCapabilities"
    /// `io.modelcontextprotocol/logLevel` (request, 2026-07-28): the ``LoggingLevel`` the
    /// client wants log notifications at for this request; none are sent when absent.
    public static let logLevel = "io.modelcontextprotocol/logLevel"
    /// `io.modelcontextprotocol/serverInfo` (result, 2026-07-28): the server's
    /// ``Implementation``, self-reported.
    public static let serverInfo = "io.modelcontextprotocol/serverInfo"
    /// `io.modelcontextprotocol/subscriptionId` (notification and `subscriptions/listen`
    /// result, 2026-07-28): the id of the `subscriptions/listen` request whose stream
    /// carries the message.
    public static let subscriptionId = "io.modelcontextprotocol/subscriptionId"
    /// `io.modelcontextprotocol/related-task` (2025-11-25): the ``RelatedTaskMetadata`` of
    /// the task a message belongs to.
    public static let relatedTask = "io.modelcontextprotocol/related-task"
    /// `progressToken` (request, every revision): the token that progress notifications for
    /// this request will carry.
    public static let progressToken = "progressToken"
}

/// A typed view of a `_meta` object: accessors for the reserved keys over the object as
/// it is, so other keys, unknown values and member order stay untouched.
///
/// Simple values are properties that read `nil` when the key is absent or holds a value
/// of another kind. Structured values decode on demand and throw when malformed.
///
/// ```swift
/// var meta = MCPMeta()
/// meta.protocolVersion = "2026-07-28"
/// try meta.setClientCapabilities(ClientCapabilities())
/// let params = RequestParams(meta: meta.object)
/// ```
public struct MCPMeta: Sendable, Hashable {
    /// The `_meta` object.
    public var object: JSONObject

    /// Creates a view of a `_meta` object.
    ///
    /// - Parameter object: the object; empty by default.
    public init(_ object: JSONObject = JSONObject()) {
        self.object = object
    }

    /// The revision named by ``MCPMetaKey/protocolVersion``, as written.
    public var protocolVersion: String? {
        get { object[MCPMetaKey.protocolVersion]?.stringValue }
        set { object[MCPMetaKey.protocolVersion] = newValue.map(JSONValue.string) }
    }

    /// The revision named by ``MCPMetaKey/protocolVersion``, when it is one this library
    /// knows.
    public var protocolRevision: ProtocolRevision? {
        protocolVersion.flatMap(ProtocolRevision.init(rawValue:))
    }

    /// The ``MCPMetaKey/progressToken``: a string or an integer.
    public var progressToken: ProgressToken? {
        get { object[MCPMetaKey.progressToken].flatMap(ProgressToken.init) }
        set { object[MCPMetaKey.progressToken] = newValue?.jsonValue }
    }

    /// The ``MCPMetaKey/logLevel``.
    public var logLevel: LoggingLevel? {
        get { object[MCPMetaKey.logLevel]?.stringValue.map(LoggingLevel.init(rawValue:)) }
        set { object[MCPMetaKey.logLevel] = newValue.map { .string($0.rawValue) } }
    }

    /// The ``MCPMetaKey/subscriptionId``: the id of a `subscriptions/listen` request.
    public var subscriptionId: JSONRPCID? {
        get { object[MCPMetaKey.subscriptionId].flatMap(JSONRPCID.init) }
        set { object[MCPMetaKey.subscriptionId] = newValue?.jsonValue }
    }

    /// The ``MCPMetaKey/clientInfo``.
    ///
    /// - Throws: `DecodingError` when the member is not an ``Implementation``.
    public var clientInfo: Implementation? {
        get throws { try decode(Implementation.self, MCPMetaKey.clientInfo) }
    }

    /// The ``MCPMetaKey/clientCapabilities``.
    ///
    /// - Throws: `DecodingError` when the member is not a ``ClientCapabilities`` object.
    public var clientCapabilities: ClientCapabilities? {
        get throws { try decode(ClientCapabilities.self, MCPMetaKey.clientCapabilities) }
    }

    /// The ``MCPMetaKey/serverInfo``.
    ///
    /// - Throws: `DecodingError` when the member is not an ``Implementation``.
    public var serverInfo: Implementation? {
        get throws { try decode(Implementation.self, MCPMetaKey.serverInfo) }
    }

    /// The ``MCPMetaKey/relatedTask``.
    ///
    /// - Throws: `DecodingError` when the member is not a ``RelatedTaskMetadata``.
    public var relatedTask: RelatedTaskMetadata? {
        get throws { try decode(RelatedTaskMetadata.self, MCPMetaKey.relatedTask) }
    }

    /// Sets or removes ``MCPMetaKey/clientInfo``.
    ///
    /// - Parameter value: the client's implementation, or `nil` to remove the key.
    /// - Throws: `EncodingError` for a value JSON cannot express.
    public mutating func setClientInfo(_ value: Implementation?) throws {
        try set(value, MCPMetaKey.clientInfo)
    }

    /// Sets or removes ``MCPMetaKey/clientCapabilities``.
    ///
    /// - Parameter value: the capabilities, or `nil` to remove the key.
    /// - Throws: `EncodingError` for a value JSON cannot express.
    public mutating func setClientCapabilities(_ value: ClientCapabilities?) throws {
        try set(value, MCPMetaKey.clientCapabilities)
    }

    /// Sets or removes ``MCPMetaKey/serverInfo``.
    ///
    /// - Parameter value: the server's implementation, or `nil` to remove the key.
    /// - Throws: `EncodingError` for a value JSON cannot express.
    public mutating func setServerInfo(_ value: Implementation?) throws {
        try set(value, MCPMetaKey.serverInfo)
    }

    /// Sets or removes ``MCPMetaKey/relatedTask``.
    ///
    /// - Parameter value: the related task, or `nil` to remove the key.
    /// - Throws: `EncodingError` for a value JSON cannot express.
    public mutating func setRelatedTask(_ value: RelatedTaskMetadata?) throws {
        try set(value, MCPMetaKey.relatedTask)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T? {
        guard let value = object[key] else { return nil }
        return try JSONValueDecoder().decode(type, from: value)
    }

    private mutating func set(_ value: (some Encodable)?, _ key: String) throws {
        object[key] = try value.map { try JSONValueEncoder().encode($0) }
    }
}

/// A protocol type with a `_meta` member.
public protocol MCPMetaCarrying {
    /// The `_meta` object, as written.
    var meta: JSONObject? { get set }
}

extension MCPMetaCarrying {
    /// A typed view of ``meta``. Setting it writes the object back, except that an empty
    /// view leaves an absent `_meta` absent.
    public var typedMeta: MCPMeta {
        get { MCPMeta(meta ?? JSONObject()) }
        set {
            if meta == nil, newValue.object.isEmpty { return }
            meta = newValue.object
        }
    }
}

/// A directory or file the client lets servers work in.
public struct Root: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The root's URI; `file://` in current revisions.
    public var uri: String
    /// A name for people.
    public var name: String?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case uri, name
        case meta = "_meta"
    }

    /// Creates a root.
    public init(uri: String, name: String? = nil, meta: JSONObject? = nil) {
        self.uri = uri
        self.name = name
        self.meta = meta
    }
}

/// `roots/list`: the server asks for the client's roots.
///
/// In the legacy era it is a request from server to client; in 2026-07-28 it is an
/// ``InputRequest``, answered by an ``InputResponse``.
public enum ListRoots: MCPMethod {
    /// `roots/list`.
    public static let name = "roots/list"
    /// Optional; only `_meta`.
    public typealias Params = RequestParams?
    /// The roots.
    public typealias Result = ListRootsResult
}

/// The client's answer to `roots/list`.
public struct ListRootsResult: MCPResult, MCPMetaCarrying {
    /// The roots.
    public var roots: [Root]
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case roots
        case meta = "_meta"
    }

    /// Creates the result.
    public init(roots: [Root], meta: JSONObject? = nil) {
        self.roots = roots
        self.meta = meta
    }
}

/// `notifications/roots/list_changed`: the client's roots changed (legacy era).
public enum RootsListChangedNotification: MCPNotification {
    /// `notifications/roots/list_changed`.
    public static let name = "notifications/roots/list_changed"
    /// Optional; only `_meta`.
    public typealias Params = NotificationParams?
}

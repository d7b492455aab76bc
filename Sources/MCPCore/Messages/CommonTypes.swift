/// A progress token: a string or an integer the requester chooses, echoed by every
/// `notifications/progress` about its request. It has the shape of a request id.
public typealias ProgressToken = JSONRPCID

/// The name and version of an MCP implementation (`clientInfo`, `serverInfo`).
///
/// `title` is from 2025-06-18; `description`, `icons` and `websiteUrl` from 2025-11-25.
public struct Implementation: Codable, Sendable, Hashable {
    /// The programmatic name.
    public var name: String
    /// The version.
    public var version: String
    /// A name for people.
    public var title: String?
    /// What the implementation does.
    public var description: String?
    /// Icons to show for it.
    public var icons: [Icon]?
    /// Its website.
    public var websiteUrl: String?

    /// Creates an implementation description.
    public init(
        name: String, version: String, title: String? = nil, description: String? = nil,
        icons: [Icon]? = nil, websiteUrl: String? = nil
    ) {
        self.name = name
        self.version = version
        self.title = title
        self.description = description
        self.icons = icons
        self.websiteUrl = websiteUrl
    }
}

/// The theme an icon is drawn for.
public struct IconTheme: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `light`: for a light background.
    public static let light = IconTheme(rawValue: "light")
    /// `dark`: for a dark background.
    public static let dark = IconTheme(rawValue: "dark")
}

/// An icon of an implementation, tool, prompt or resource (2025-11-25 and later).
public struct Icon: Codable, Sendable, Hashable {
    /// The icon's URI: `https:` or a `data:` URI.
    public var src: String
    /// Its media type, such as `image/png`.
    public var mimeType: String?
    /// The sizes it is available in, such as `48x48` or `any`.
    public var sizes: [String]?
    /// The theme it is drawn for.
    public var theme: IconTheme?

    /// Creates an icon.
    public init(src: String, mimeType: String? = nil, sizes: [String]? = nil, theme: IconTheme? = nil) {
        self.src = src
        self.mimeType = mimeType
        self.sizes = sizes
        self.theme = theme
    }
}

/// Hints for clients about how to use or show an object; untrusted.
///
/// `lastModified` is from 2025-06-18.
public struct Annotations: Codable, Sendable, Hashable {
    /// Who the object is meant for.
    public var audience: [Role]?
    /// How important the object is, from 0 (least) to 1 (most).
    public var priority: Double?
    /// When the object was last modified, as an ISO 8601 timestamp.
    public var lastModified: String?

    /// Creates annotations.
    public init(audience: [Role]? = nil, priority: Double? = nil, lastModified: String? = nil) {
        self.audience = audience
        self.priority = priority
        self.lastModified = lastModified
    }
}

/// Parameters that are only `_meta`: `ping`, `roots/list`, `server/discover`.
///
/// In 2026-07-28 the `_meta` of a client request is required and must hold
/// ``MCPMetaKey/protocolVersion`` and ``MCPMetaKey/clientCapabilities``.
public struct RequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
    }

    /// Creates parameters.
    ///
    /// - Parameter meta: the `_meta` object.
    public init(meta: JSONObject? = nil) {
        self.meta = meta
    }
}

/// Parameters of a notification that has nothing else: the list-changed notifications
/// and `notifications/initialized`.
public struct NotificationParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The `_meta` object; in 2026-07-28 it carries ``MCPMetaKey/subscriptionId`` on
    /// notifications of a `subscriptions/listen` stream.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
    }

    /// Creates parameters.
    ///
    /// - Parameter meta: the `_meta` object.
    public init(meta: JSONObject? = nil) {
        self.meta = meta
    }
}

/// Parameters of a list request: an optional cursor from the previous page.
public struct PaginatedRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The `nextCursor` of the previous page; `nil` for the first page.
    public var cursor: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case cursor
    }

    /// Creates parameters.
    ///
    /// - Parameters:
    ///   - cursor: the `nextCursor` of the previous page, or `nil` for the first page.
    ///   - meta: the `_meta` object.
    public init(cursor: String? = nil, meta: JSONObject? = nil) {
        self.cursor = cursor
        self.meta = meta
    }
}

/// A result with no content: `ping`, `logging/setLevel`, `resources/subscribe`,
/// `resources/unsubscribe`.
public struct EmptyResult: MCPTypedResult, MCPMetaCarrying {
    /// `complete` in 2026-07-28; `nil` before.
    public var resultType: ResultType?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType
        case meta = "_meta"
    }

    /// Creates an empty result.
    ///
    /// - Parameters:
    ///   - resultType: `complete` in 2026-07-28 (filled in by ``adapted(for:)``).
    ///   - meta: the `_meta` object.
    public init(resultType: ResultType? = nil, meta: JSONObject? = nil) {
        self.resultType = resultType
        self.meta = meta
    }
}

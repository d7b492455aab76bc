// MARK: - resources/list, resources/templates/list

/// `resources/list`: a page of the server's resources.
public enum ListResources: MCPMethod {
    /// `resources/list`.
    public static let name = "resources/list"
    /// Optional in the legacy era; required (for `_meta`) in 2026-07-28.
    public typealias Params = PaginatedRequestParams?
    /// The page.
    public typealias Result = ListResourcesResult
}

/// The result of `resources/list`.
public struct ListResourcesResult: MCPCacheableResult, MCPMetaCarrying {
    /// The resources of this page.
    public var resources: [Resource]
    /// The cursor of the next page, or `nil` on the last page.
    public var nextCursor: String?
    /// `complete` in 2026-07-28.
    public var resultType: ResultType?
    /// How long the result may be reused, in milliseconds (2026-07-28).
    public var ttlMs: Int?
    /// Who may share a cached copy (2026-07-28).
    public var cacheScope: CacheScope?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, resources, nextCursor, ttlMs, cacheScope
        case meta = "_meta"
    }

    /// Creates a page of resources.
    public init(
        resources: [Resource], nextCursor: String? = nil, resultType: ResultType? = nil, ttlMs: Int? = nil,
        cacheScope: CacheScope? = nil, meta: JSONObject? = nil
    ) {
        self.resources = resources
        self.nextCursor = nextCursor
        self.resultType = resultType
        self.ttlMs = ttlMs
        self.cacheScope = cacheScope
        self.meta = meta
    }
}

/// `resources/templates/list`: a page of the server's resource templates.
public enum ListResourceTemplates: MCPMethod {
    /// `resources/templates/list`.
    public static let name = "resources/templates/list"
    /// Optional in the legacy era; required (for `_meta`) in 2026-07-28.
    public typealias Params = PaginatedRequestParams?
    /// The page.
    public typealias Result = ListResourceTemplatesResult
}

/// The result of `resources/templates/list`.
public struct ListResourceTemplatesResult: MCPCacheableResult, MCPMetaCarrying {
    /// The templates of this page.
    public var resourceTemplates: [ResourceTemplate]
    /// The cursor of the next page, or `nil` on the last page.
    public var nextCursor: String?
    /// `complete` in 2026-07-28.
    public var resultType: ResultType?
    /// How long the result may be reused, in milliseconds (2026-07-28).
    public var ttlMs: Int?
    /// Who may share a cached copy (2026-07-28).
    public var cacheScope: CacheScope?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, resourceTemplates, nextCursor, ttlMs, cacheScope
        case meta = "_meta"
    }

    /// Creates a page of resource templates.
    public init(
        resourceTemplates: [ResourceTemplate], nextCursor: String? = nil, resultType: ResultType? = nil,
        ttlMs: Int? = nil, cacheScope: CacheScope? = nil, meta: JSONObject? = nil
    ) {
        self.resourceTemplates = resourceTemplates
        self.nextCursor = nextCursor
        self.resultType = resultType
        self.ttlMs = ttlMs
        self.cacheScope = cacheScope
        self.meta = meta
    }
}

// MARK: - resources/read

/// `resources/read`: a resource's contents. In 2026-07-28 the server may answer with an
/// ``InputRequiredResult`` first.
public enum ReadResource: MCPMethod {
    /// `resources/read`.
    public static let name = "resources/read"
    /// The resource to read.
    public typealias Params = ReadResourceRequestParams
    /// The contents, or a request for input.
    public typealias Result = CompletableResult<ReadResourceResult>
}

/// The parameters of `resources/read`.
public struct ReadResourceRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The URI of the resource.
    public var uri: String
    /// The answers to the server's ``InputRequiredResult/inputRequests``, on a retry
    /// (2026-07-28).
    public var inputResponses: InputResponses?
    /// The ``InputRequiredResult/requestState`` echoed on a retry (2026-07-28).
    public var requestState: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case uri, inputResponses, requestState
    }

    /// Creates the parameters.
    public init(
        uri: String, inputResponses: InputResponses? = nil, requestState: String? = nil, meta: JSONObject? = nil
    ) {
        self.uri = uri
        self.inputResponses = inputResponses
        self.requestState = requestState
        self.meta = meta
    }
}

/// The result of `resources/read`.
public struct ReadResourceResult: MCPCacheableResult, MCPMetaCarrying {
    /// The contents: one resource, or several for a directory-like URI.
    public var contents: [ResourceContents]
    /// `complete` in 2026-07-28.
    public var resultType: ResultType?
    /// How long the result may be reused, in milliseconds (2026-07-28).
    public var ttlMs: Int?
    /// Who may share a cached copy (2026-07-28).
    public var cacheScope: CacheScope?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, contents, ttlMs, cacheScope
        case meta = "_meta"
    }

    /// Creates the result.
    public init(
        contents: [ResourceContents], resultType: ResultType? = nil, ttlMs: Int? = nil,
        cacheScope: CacheScope? = nil, meta: JSONObject? = nil
    ) {
        self.contents = contents
        self.resultType = resultType
        self.ttlMs = ttlMs
        self.cacheScope = cacheScope
        self.meta = meta
    }
}

// MARK: - resources/subscribe, resources/unsubscribe (legacy era)

/// Parameters naming one resource: `resources/subscribe` and `resources/unsubscribe`.
public struct ResourceRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The URI of the resource.
    public var uri: String
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case uri
    }

    /// Creates the parameters.
    public init(uri: String, meta: JSONObject? = nil) {
        self.uri = uri
        self.meta = meta
    }
}

/// `resources/subscribe`: asks for `notifications/resources/updated` about one resource
/// (legacy era; 2026-07-28 uses `subscriptions/listen`).
public enum Subscribe: MCPMethod {
    /// `resources/subscribe`.
    public static let name = "resources/subscribe"
    /// The resource.
    public typealias Params = ResourceRequestParams
    /// Nothing.
    public typealias Result = EmptyResult
}

/// `resources/unsubscribe`: ends a `resources/subscribe` (legacy era).
public enum Unsubscribe: MCPMethod {
    /// `resources/unsubscribe`.
    public static let name = "resources/unsubscribe"
    /// The resource.
    public typealias Params = ResourceRequestParams
    /// Nothing.
    public typealias Result = EmptyResult
}

// MARK: - Notifications

/// `notifications/resources/updated`: a subscribed resource changed.
public enum ResourceUpdatedNotification: MCPNotification {
    /// `notifications/resources/updated`.
    public static let name = "notifications/resources/updated"
    /// The resource.
    public typealias Params = ResourceUpdatedNotificationParams
}

/// The parameters of `notifications/resources/updated`.
public struct ResourceUpdatedNotificationParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The URI of the resource that changed (possibly below the subscribed one).
    public var uri: String
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case uri
    }

    /// Creates the parameters.
    public init(uri: String, meta: JSONObject? = nil) {
        self.uri = uri
        self.meta = meta
    }
}

/// `notifications/resources/list_changed`: the resource list changed.
public enum ResourceListChangedNotification: MCPNotification {
    /// `notifications/resources/list_changed`.
    public static let name = "notifications/resources/list_changed"
    /// Optional; only `_meta`.
    public typealias Params = NotificationParams?
}

/// The notifications a client opts in to on a `subscriptions/listen` stream (2026-07-28);
/// the server sends no kind the client has not asked for.
public struct SubscriptionFilter: Codable, Sendable, Hashable {
    /// Receive `notifications/tools/list_changed`.
    public var toolsListChanged: Bool?
    /// Receive `notifications/prompts/list_changed`.
    public var promptsListChanged: Bool?
    /// Receive `notifications/resources/list_changed`.
    public var resourcesListChanged: Bool?
    /// Receive `notifications/resources/updated` for these resource URIs (this replaces
    /// `resources/subscribe`).
    public var resourceSubscriptions: [String]?

    /// Creates a filter.
    public init(
        toolsListChanged: Bool? = nil, promptsListChanged: Bool? = nil, resourcesListChanged: Bool? = nil,
        resourceSubscriptions: [String]? = nil
    ) {
        self.toolsListChanged = toolsListChanged
        self.promptsListChanged = promptsListChanged
        self.resourcesListChanged = resourcesListChanged
        self.resourceSubscriptions = resourceSubscriptions
    }
}

/// `subscriptions/listen`: opens a stream of the notifications the client asks for
/// (2026-07-28). The server acknowledges with `notifications/subscriptions/acknowledged`,
/// tags every notification of the stream with ``MCPMetaKey/subscriptionId``, and answers
/// the request when it closes the stream.
public enum SubscriptionsListen: MCPMethod {
    /// `subscriptions/listen`.
    public static let name = "subscriptions/listen"
    /// The notifications wanted.
    public typealias Params = SubscriptionsListenRequestParams
    /// Sent when the stream closes.
    public typealias Result = SubscriptionsListenResult
}

/// The parameters of `subscriptions/listen`.
public struct SubscriptionsListenRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The notifications wanted.
    public var notifications: SubscriptionFilter
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case notifications
    }

    /// Creates the parameters.
    public init(notifications: SubscriptionFilter, meta: JSONObject? = nil) {
        self.notifications = notifications
        self.meta = meta
    }
}

/// The result of `subscriptions/listen`, sent when the stream closes. Its `_meta` must
/// carry ``MCPMetaKey/subscriptionId``.
public struct SubscriptionsListenResult: MCPTypedResult, MCPMetaCarrying {
    /// `complete`.
    public var resultType: ResultType?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType
        case meta = "_meta"
    }

    /// Creates the result.
    public init(resultType: ResultType? = nil, meta: JSONObject? = nil) {
        self.resultType = resultType
        self.meta = meta
    }

    /// Creates the result for the stream opened by a request.
    ///
    /// - Parameter subscriptionId: the id of the `subscriptions/listen` request.
    public init(subscriptionId: JSONRPCID) {
        var meta = MCPMeta()
        meta.subscriptionId = subscriptionId
        self.init(resultType: .complete, meta: meta.object)
    }
}

/// `notifications/subscriptions/acknowledged`: the server accepted a
/// `subscriptions/listen` request and says which notifications it will send (2026-07-28).
public enum SubscriptionsAcknowledgedNotification: MCPNotification {
    /// `notifications/subscriptions/acknowledged`.
    public static let name = "notifications/subscriptions/acknowledged"
    /// The notifications granted.
    public typealias Params = SubscriptionsAcknowledgedNotificationParams
}

/// The parameters of `notifications/subscriptions/acknowledged`.
public struct SubscriptionsAcknowledgedNotificationParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The notifications the server will send.
    public var notifications: SubscriptionFilter
    /// The `_meta` object, with the ``MCPMetaKey/subscriptionId``.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case notifications
    }

    /// Creates the parameters.
    public init(notifications: SubscriptionFilter, meta: JSONObject? = nil) {
        self.notifications = notifications
        self.meta = meta
    }
}

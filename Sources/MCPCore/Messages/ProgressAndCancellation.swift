/// `notifications/progress`: progress of a request that asked for it with a
/// ``MCPMetaKey/progressToken``.
public enum ProgressNotification: MCPNotification {
    /// `notifications/progress`.
    public static let name = "notifications/progress"
    /// The progress.
    public typealias Params = ProgressNotificationParams
}

/// The parameters of `notifications/progress`.
public struct ProgressNotificationParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The token of the request this is about.
    public var progressToken: ProgressToken
    /// The progress so far; it increases with every notification.
    public var progress: Double
    /// The total, when known.
    public var total: Double?
    /// A description of the current step (2025-03-26 and later).
    public var message: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case progressToken, progress, total, message
    }

    /// Creates the parameters.
    public init(
        progressToken: ProgressToken, progress: Double, total: Double? = nil, message: String? = nil,
        meta: JSONObject? = nil
    ) {
        self.progressToken = progressToken
        self.progress = progress
        self.total = total
        self.message = message
        self.meta = meta
    }
}

/// `notifications/cancelled`: the sender no longer wants the answer to a request.
public enum CancelledNotification: MCPNotification {
    /// `notifications/cancelled`.
    public static let name = "notifications/cancelled"
    /// The request and a reason.
    public typealias Params = CancelledNotificationParams
}

/// The parameters of `notifications/cancelled`.
public struct CancelledNotificationParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The id of the request to cancel. Required in every revision but 2025-11-25, where
    /// it is optional because a task is cancelled with `tasks/cancel` instead.
    public var requestId: JSONRPCID?
    /// Why, for logs or people.
    public var reason: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case requestId, reason
    }

    /// Creates the parameters.
    public init(requestId: JSONRPCID?, reason: String? = nil, meta: JSONObject? = nil) {
        self.requestId = requestId
        self.reason = reason
        self.meta = meta
    }
}

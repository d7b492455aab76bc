/// A prompt template a server offers.
public struct Prompt: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The programmatic name.
    public var name: String
    /// A name for people (2025-06-18 and later).
    public var title: String?
    /// What the prompt does.
    public var description: String?
    /// The arguments it takes.
    public var arguments: [PromptArgument]?
    /// Icons to show for it (2025-11-25 and later).
    public var icons: [Icon]?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case name, title, description, arguments, icons
        case meta = "_meta"
    }

    /// Creates a prompt description.
    public init(
        name: String, title: String? = nil, description: String? = nil, arguments: [PromptArgument]? = nil,
        icons: [Icon]? = nil, meta: JSONObject? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.arguments = arguments
        self.icons = icons
        self.meta = meta
    }
}

/// An argument of a prompt template.
public struct PromptArgument: Codable, Sendable, Hashable {
    /// The programmatic name.
    public var name: String
    /// A name for people (2025-06-18 and later).
    public var title: String?
    /// What the argument is.
    public var description: String?
    /// Whether it must be given.
    public var required: Bool?

    /// Creates an argument description.
    public init(name: String, title: String? = nil, description: String? = nil, required: Bool? = nil) {
        self.name = name
        self.title = title
        self.description = description
        self.required = required
    }
}

/// A message of a prompt: a role and one content block.
public struct PromptMessage: Codable, Sendable, Hashable {
    /// Who says it.
    public var role: Role
    /// What is said.
    public var content: ContentBlock

    /// Creates a message.
    public init(role: Role, content: ContentBlock) {
        self.role = role
        self.content = content
    }
}

// MARK: - prompts/list

/// `prompts/list`: a page of the server's prompts.
public enum ListPrompts: MCPMethod {
    /// `prompts/list`.
    public static let name = "prompts/list"
    /// Optional in the legacy era; required (for `_meta`) in 2026-07-28.
    public typealias Params = PaginatedRequestParams?
    /// The page.
    public typealias Result = ListPromptsResult
}

/// The result of `prompts/list`.
public struct ListPromptsResult: MCPCacheableResult, MCPMetaCarrying {
    /// The prompts of this page.
    public var prompts: [Prompt]
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
        case resultType, prompts, nextCursor, ttlMs, cacheScope
        case meta = "_meta"
    }

    /// Creates a page of prompts.
    public init(
        prompts: [Prompt], nextCursor: String? = nil, resultType: ResultType? = nil, ttlMs: Int? = nil,
        cacheScope: CacheScope? = nil, meta: JSONObject? = nil
    ) {
        self.prompts = prompts
        self.nextCursor = nextCursor
        self.resultType = resultType
        self.ttlMs = ttlMs
        self.cacheScope = cacheScope
        self.meta = meta
    }
}

// MARK: - prompts/get

/// `prompts/get`: a prompt filled in with arguments. In 2026-07-28 the server may answer
/// with an ``InputRequiredResult`` first.
public enum GetPrompt: MCPMethod {
    /// `prompts/get`.
    public static let name = "prompts/get"
    /// The prompt and its arguments.
    public typealias Params = GetPromptRequestParams
    /// The messages, or a request for input.
    public typealias Result = CompletableResult<GetPromptResult>
}

/// The parameters of `prompts/get`.
public struct GetPromptRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The prompt's name.
    public var name: String
    /// The arguments, in order.
    public var arguments: OrderedMap<String>?
    /// The answers to the server's ``InputRequiredResult/inputRequests``, on a retry
    /// (2026-07-28).
    public var inputResponses: InputResponses?
    /// The ``InputRequiredResult/requestState`` echoed on a retry (2026-07-28).
    public var requestState: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case name, arguments, inputResponses, requestState
    }

    /// Creates the parameters.
    public init(
        name: String, arguments: OrderedMap<String>? = nil, inputResponses: InputResponses? = nil,
        requestState: String? = nil, meta: JSONObject? = nil
    ) {
        self.name = name
        self.arguments = arguments
        self.inputResponses = inputResponses
        self.requestState = requestState
        self.meta = meta
    }
}

/// The result of `prompts/get`.
public struct GetPromptResult: MCPTypedResult, MCPMetaCarrying {
    /// What the prompt is for.
    public var description: String?
    /// The messages.
    public var messages: [PromptMessage]
    /// `complete` in 2026-07-28.
    public var resultType: ResultType?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, description, messages
        case meta = "_meta"
    }

    /// Creates the result.
    public init(
        description: String? = nil, messages: [PromptMessage], resultType: ResultType? = nil, meta: JSONObject? = nil
    ) {
        self.description = description
        self.messages = messages
        self.resultType = resultType
        self.meta = meta
    }
}

/// `notifications/prompts/list_changed`: the prompt list changed.
public enum PromptListChangedNotification: MCPNotification {
    /// `notifications/prompts/list_changed`.
    public static let name = "notifications/prompts/list_changed"
    /// Optional; only `_meta`.
    public typealias Params = NotificationParams?
}

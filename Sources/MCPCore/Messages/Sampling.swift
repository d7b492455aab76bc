/// `sampling/createMessage`: the server asks the client's language model for a message.
///
/// In the legacy era it is a request from server to client (task-augmented in 2025-11-25,
/// answered then with a ``CreateTaskResult``); in 2026-07-28 it is an ``InputRequest`` in
/// an ``InputRequiredResult``, answered by an ``InputResponse``.
public enum CreateMessage: MCPMethod {
    /// `sampling/createMessage`.
    public static let name = "sampling/createMessage"
    /// The conversation and preferences.
    public typealias Params = CreateMessageRequestParams
    /// The model's message, or a task.
    public typealias Result = CompletableResult<CreateMessageResult>
}

/// Which servers' context the client should add to a sampling request.
public struct IncludeContext: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `none`.
    public static let none = IncludeContext(rawValue: "none")
    /// `thisServer`.
    public static let thisServer = IncludeContext(rawValue: "thisServer")
    /// `allServers`.
    public static let allServers = IncludeContext(rawValue: "allServers")
}

/// The parameters of `sampling/createMessage`.
public struct CreateMessageRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The conversation so far.
    public var messages: [SamplingMessage]
    /// What matters in choosing a model.
    public var modelPreferences: ModelPreferences?
    /// A system prompt the client may use.
    public var systemPrompt: String?
    /// Which servers' context to add (`thisServer` and `allServers` need the client's
    /// `sampling.context` capability from 2025-11-25).
    public var includeContext: IncludeContext?
    /// The sampling temperature.
    public var temperature: Double?
    /// The most tokens to sample.
    public var maxTokens: Int
    /// Sequences that end sampling.
    public var stopSequences: [String]?
    /// Provider-specific metadata, as written.
    public var metadata: JSONValue?
    /// Tools the model may use (2025-11-25 and later; needs `sampling.tools`).
    public var tools: [Tool]?
    /// How the model may use ``tools`` (2025-11-25 and later).
    public var toolChoice: ToolChoice?
    /// Run the request as a task with these settings (2025-11-25).
    public var task: TaskMetadata?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case messages, modelPreferences, systemPrompt, includeContext, temperature, maxTokens, stopSequences
        case metadata, tools, toolChoice, task
    }

    /// Creates the parameters.
    public init(
        messages: [SamplingMessage], modelPreferences: ModelPreferences? = nil, systemPrompt: String? = nil,
        includeContext: IncludeContext? = nil, temperature: Double? = nil, maxTokens: Int,
        stopSequences: [String]? = nil, metadata: JSONValue? = nil, tools: [Tool]? = nil,
        toolChoice: ToolChoice? = nil, task: TaskMetadata? = nil, meta: JSONObject? = nil
    ) {
        self.messages = messages
        self.modelPreferences = modelPreferences
        self.systemPrompt = systemPrompt
        self.includeContext = includeContext
        self.temperature = temperature
        self.maxTokens = maxTokens
        self.stopSequences = stopSequences
        self.metadata = metadata
        self.tools = tools
        self.toolChoice = toolChoice
        self.task = task
        self.meta = meta
    }
}

/// A message of a sampling conversation.
public struct SamplingMessage: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// Who says it.
    public var role: Role
    /// What is said: one block, or (2025-11-25 and later) several.
    public var content: SamplingContent
    /// The `_meta` object (2025-11-25 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case role, content
        case meta = "_meta"
    }

    /// Creates a message.
    public init(role: Role, content: SamplingContent, meta: JSONObject? = nil) {
        self.role = role
        self.content = content
        self.meta = meta
    }
}

/// The content of a sampling message or result: one block, or an array of blocks
/// (2025-11-25 and later). Which of the two was written is kept.
///
/// Sampling allows text, image, audio, tool-use and tool-result blocks.
public enum SamplingContent: Codable, Sendable, Hashable {
    /// A single block.
    case single(ContentBlock)
    /// An array of blocks.
    case multiple([ContentBlock])

    /// The blocks, whichever way they were written.
    public var blocks: [ContentBlock] {
        switch self {
        case .single(let block): [block]
        case .multiple(let blocks): blocks
        }
    }

    /// Decodes one block from an object or several from an array.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for anything but a content block or an array of them.
    public init(from decoder: any Decoder) throws {
        // Asking for an unkeyed container only tests the shape: an object has none.
        if var blocks = try? decoder.unkeyedContainer() {
            var decoded: [ContentBlock] = []
            while !blocks.isAtEnd { decoded.append(try blocks.decode(ContentBlock.self)) }
            self = .multiple(decoded)
        } else {
            self = .single(try ContentBlock(from: decoder))
        }
    }

    /// Encodes the block or the array.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .single(let block): try block.encode(to: encoder)
        case .multiple(let blocks):
            var container = encoder.unkeyedContainer()
            for block in blocks { try container.encode(block) }
        }
    }
}

/// A client's language model's answer to `sampling/createMessage`.
public struct CreateMessageResult: MCPResult, MCPMetaCarrying {
    /// Who says it: normally `assistant`.
    public var role: Role
    /// What is said: one block, or (2025-11-25 and later) several, such as tool uses.
    public var content: SamplingContent
    /// The model that produced it.
    public var model: String
    /// Why sampling stopped: `endTurn`, `stopSequence`, `maxTokens`, `toolUse` or another.
    public var stopReason: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case role, content, model, stopReason
        case meta = "_meta"
    }

    /// Creates the result.
    public init(role: Role, content: SamplingContent, model: String, stopReason: String? = nil, meta: JSONObject? = nil) {
        self.role = role
        self.content = content
        self.model = model
        self.stopReason = stopReason
        self.meta = meta
    }
}

/// What matters to the server in the client's choice of model; every priority is from 0
/// to 1.
public struct ModelPreferences: Codable, Sendable, Hashable {
    /// Model names or families to prefer, in order; advisory.
    public var hints: [ModelHint]?
    /// How much cost matters.
    public var costPriority: Double?
    /// How much speed matters.
    public var speedPriority: Double?
    /// How much capability matters.
    public var intelligencePriority: Double?

    /// Creates preferences.
    public init(
        hints: [ModelHint]? = nil, costPriority: Double? = nil, speedPriority: Double? = nil,
        intelligencePriority: Double? = nil
    ) {
        self.hints = hints
        self.costPriority = costPriority
        self.speedPriority = speedPriority
        self.intelligencePriority = intelligencePriority
    }
}

/// A hint for choosing a model: a full or partial model name.
public struct ModelHint: Codable, Sendable, Hashable {
    /// A model name or part of one, such as `claude-3-5-sonnet` or `sonnet`.
    public var name: String?

    /// Creates a hint.
    public init(name: String? = nil) {
        self.name = name
    }
}

/// How a model may use the tools of a sampling request.
public struct ToolChoiceMode: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `auto`: the model decides; the default.
    public static let auto = ToolChoiceMode(rawValue: "auto")
    /// `required`: the model must use a tool.
    public static let required = ToolChoiceMode(rawValue: "required")
    /// `none`: the model must not use a tool.
    public static let none = ToolChoiceMode(rawValue: "none")
}

/// The tool choice of a sampling request (2025-11-25 and later).
public struct ToolChoice: Codable, Sendable, Hashable {
    /// How the model may use tools; `auto` when absent.
    public var mode: ToolChoiceMode?

    /// Creates a tool choice.
    public init(mode: ToolChoiceMode? = nil) {
        self.mode = mode
    }
}

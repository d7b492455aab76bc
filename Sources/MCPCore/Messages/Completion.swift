/// `completion/complete`: suggestions for an argument of a prompt or resource template.
public enum Complete: MCPMethod {
    /// `completion/complete`.
    public static let name = "completion/complete"
    /// What to complete.
    public typealias Params = CompleteRequestParams
    /// The suggestions.
    public typealias Result = CompleteResult
}

/// What a completion is for: a prompt or a resource template, chosen by `type`.
public enum CompletionReference: Codable, Sendable, Hashable {
    /// `ref/prompt`.
    case prompt(PromptReference)
    /// `ref/resource`.
    case resource(ResourceTemplateReference)
    /// A reference of another `type`, as written.
    case unknown(JSONValue)

    /// Decodes a reference by its `type`.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when `type` is missing or a known reference is malformed.
    public init(from decoder: any Decoder) throws {
        switch try decoder.discriminator(.type) {
        case PromptReferenceTag.value: self = .prompt(try PromptReference(from: decoder))
        case ResourceReferenceTag.value: self = .resource(try ResourceTemplateReference(from: decoder))
        default: self = .unknown(try JSONValue(from: decoder))
        }
    }

    /// Encodes the reference.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .prompt(let reference): try reference.encode(to: encoder)
        case .resource(let reference): try reference.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }
}

/// A reference to a prompt: `{"type": "ref/prompt", "name"}`.
public struct PromptReference: Codable, Sendable, Hashable {
    private var type = TypeTag<PromptReferenceTag>()
    /// The prompt's name.
    public var name: String
    /// A name for people (2025-06-18 and later).
    public var title: String?

    private enum CodingKeys: String, CodingKey {
        case type, name, title
    }

    /// Creates a reference.
    public init(name: String, title: String? = nil) {
        self.name = name
        self.title = title
    }
}

/// A reference to a resource template: `{"type": "ref/resource", "uri"}` (called
/// `ResourceReference` in 2024-11-05 and 2025-03-26).
public struct ResourceTemplateReference: Codable, Sendable, Hashable {
    private var type = TypeTag<ResourceReferenceTag>()
    /// The URI or URI template.
    public var uri: String

    private enum CodingKeys: String, CodingKey {
        case type, uri
    }

    /// Creates a reference.
    public init(uri: String) {
        self.uri = uri
    }
}

/// The parameters of `completion/complete`.
public struct CompleteRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The prompt or resource template.
    public var ref: CompletionReference
    /// The argument being completed.
    public var argument: Argument
    /// Values of the other arguments, already resolved (2025-06-18 and later).
    public var context: Context?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case ref, argument, context
    }

    /// Creates the parameters.
    public init(ref: CompletionReference, argument: Argument, context: Context? = nil, meta: JSONObject? = nil) {
        self.ref = ref
        self.argument = argument
        self.context = context
        self.meta = meta
    }

    /// The argument being completed.
    public struct Argument: Codable, Sendable, Hashable {
        /// Its name.
        public var name: String
        /// What has been typed so far.
        public var value: String

        /// Creates the argument.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Context for the completion.
    public struct Context: Codable, Sendable, Hashable {
        /// Argument names to values already resolved.
        public var arguments: OrderedMap<String>?

        /// Creates the context.
        public init(arguments: OrderedMap<String>? = nil) {
            self.arguments = arguments
        }
    }
}

/// The result of `completion/complete`.
public struct CompleteResult: MCPTypedResult, MCPMetaCarrying {
    /// The suggestions.
    public var completion: Completion
    /// `complete` in 2026-07-28.
    public var resultType: ResultType?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, completion
        case meta = "_meta"
    }

    /// Creates the result.
    public init(completion: Completion, resultType: ResultType? = nil, meta: JSONObject? = nil) {
        self.completion = completion
        self.resultType = resultType
        self.meta = meta
    }

    /// Completion suggestions.
    public struct Completion: Codable, Sendable, Hashable {
        /// Up to 100 suggested values.
        public var values: [String]
        /// The number of suggestions in all, which may exceed those sent.
        public var total: Int?
        /// Whether there are more suggestions than those sent.
        public var hasMore: Bool?

        /// Creates suggestions.
        public init(values: [String], total: Int? = nil, hasMore: Bool? = nil) {
            self.values = values
            self.total = total
            self.hasMore = hasMore
        }
    }
}

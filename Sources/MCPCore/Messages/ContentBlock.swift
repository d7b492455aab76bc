/// A piece of content in a tool result, a prompt message or a sampling message,
/// chosen by its `type` member.
///
/// Which kinds a revision allows where: text, image and embedded resources everywhere;
/// audio from 2025-03-26; resource links from 2025-06-18; tool use and tool results only
/// in sampling messages, from 2025-11-25. A block of a `type` this library does not know
/// is kept as ``unknown(_:)`` and encodes back unchanged.
public enum ContentBlock: Codable, Sendable, Hashable {
    /// `text`.
    case text(TextContent)
    /// `image`.
    case image(ImageContent)
    /// `audio` (2025-03-26 and later).
    case audio(AudioContent)
    /// `resource_link` (2025-06-18 and later).
    case resourceLink(ResourceLink)
    /// `resource`: a resource's contents, embedded.
    case resource(EmbeddedResource)
    /// `tool_use`: a model's request to call a tool (sampling, 2025-11-25 and later).
    case toolUse(ToolUseContent)
    /// `tool_result`: the result of a tool use (sampling, 2025-11-25 and later).
    case toolResult(ToolResultContent)
    /// A block of another `type`, as written.
    case unknown(JSONValue)

    /// Decodes a block by its `type`.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when `type` is missing or not a string, or a block of a
    ///   known type is malformed.
    public init(from decoder: any Decoder) throws {
        switch try decoder.discriminator(.type) {
        case TextTag.value: self = .text(try TextContent(from: decoder))
        case ImageTag.value: self = .image(try ImageContent(from: decoder))
        case AudioTag.value: self = .audio(try AudioContent(from: decoder))
        case ResourceLinkTag.value: self = .resourceLink(try ResourceLink(from: decoder))
        case EmbeddedResourceTag.value: self = .resource(try EmbeddedResource(from: decoder))
        case ToolUseTag.value: self = .toolUse(try ToolUseContent(from: decoder))
        case ToolResultTag.value: self = .toolResult(try ToolResultContent(from: decoder))
        default: self = .unknown(try JSONValue(from: decoder))
        }
    }

    /// Encodes the block.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let block): try block.encode(to: encoder)
        case .image(let block): try block.encode(to: encoder)
        case .audio(let block): try block.encode(to: encoder)
        case .resourceLink(let block): try block.encode(to: encoder)
        case .resource(let block): try block.encode(to: encoder)
        case .toolUse(let block): try block.encode(to: encoder)
        case .toolResult(let block): try block.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }

    /// The `type` member: `text`, `image`, ..., or the unknown block's `type`.
    public var type: String {
        switch self {
        case .text: TextTag.value
        case .image: ImageTag.value
        case .audio: AudioTag.value
        case .resourceLink: ResourceLinkTag.value
        case .resource: EmbeddedResourceTag.value
        case .toolUse: ToolUseTag.value
        case .toolResult: ToolResultTag.value
        case .unknown(let value): value["type"]?.stringValue ?? ""
        }
    }
}

/// Text content: `{"type": "text", "text"}`.
public struct TextContent: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var type = TypeTag<TextTag>()
    /// The text.
    public var text: String
    /// Hints about audience and priority.
    public var annotations: Annotations?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case type, text, annotations
        case meta = "_meta"
    }

    /// Creates text content.
    public init(text: String, annotations: Annotations? = nil, meta: JSONObject? = nil) {
        self.text = text
        self.annotations = annotations
        self.meta = meta
    }
}

/// An image: `{"type": "image", "data", "mimeType"}`.
public struct ImageContent: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var type = TypeTag<ImageTag>()
    /// The image data, base64-encoded.
    public var data: String
    /// The media type, such as `image/png`.
    public var mimeType: String
    /// Hints about audience and priority.
    public var annotations: Annotations?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case type, data, mimeType, annotations
        case meta = "_meta"
    }

    /// Creates image content.
    public init(data: String, mimeType: String, annotations: Annotations? = nil, meta: JSONObject? = nil) {
        self.data = data
        self.mimeType = mimeType
        self.annotations = annotations
        self.meta = meta
    }
}

/// Audio: `{"type": "audio", "data", "mimeType"}` (2025-03-26 and later).
public struct AudioContent: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var type = TypeTag<AudioTag>()
    /// The audio data, base64-encoded.
    public var data: String
    /// The media type, such as `audio/wav`.
    public var mimeType: String
    /// Hints about audience and priority.
    public var annotations: Annotations?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case type, data, mimeType, annotations
        case meta = "_meta"
    }

    /// Creates audio content.
    public init(data: String, mimeType: String, annotations: Annotations? = nil, meta: JSONObject? = nil) {
        self.data = data
        self.mimeType = mimeType
        self.annotations = annotations
        self.meta = meta
    }
}

/// A link to a resource the client may read: `{"type": "resource_link", "uri", "name"}`
/// (2025-06-18 and later). It has the members of a ``Resource``.
public struct ResourceLink: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var type = TypeTag<ResourceLinkTag>()
    /// The resource's URI.
    public var uri: String
    /// The resource's programmatic name.
    public var name: String
    /// A name for people.
    public var title: String?
    /// What the resource is.
    public var description: String?
    /// Its media type.
    public var mimeType: String?
    /// Its size in bytes, before any encoding.
    public var size: Int?
    /// Hints about audience and priority.
    public var annotations: Annotations?
    /// Icons to show for it (2025-11-25 and later).
    public var icons: [Icon]?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case type, uri, name, title, description, mimeType, size, annotations, icons
        case meta = "_meta"
    }

    /// Creates a resource link.
    public init(
        uri: String, name: String, title: String? = nil, description: String? = nil, mimeType: String? = nil,
        size: Int? = nil, annotations: Annotations? = nil, icons: [Icon]? = nil, meta: JSONObject? = nil
    ) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.size = size
        self.annotations = annotations
        self.icons = icons
        self.meta = meta
    }
}

/// A resource's contents embedded in content: `{"type": "resource", "resource"}`.
public struct EmbeddedResource: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var type = TypeTag<EmbeddedResourceTag>()
    /// The contents.
    public var resource: ResourceContents
    /// Hints about audience and priority.
    public var annotations: Annotations?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case type, resource, annotations
        case meta = "_meta"
    }

    /// Creates an embedded resource.
    public init(resource: ResourceContents, annotations: Annotations? = nil, meta: JSONObject? = nil) {
        self.resource = resource
        self.annotations = annotations
        self.meta = meta
    }
}

/// A model's request to call a tool, in a sampling result or message (2025-11-25 and
/// later): `{"type": "tool_use", "id", "name", "input"}`.
public struct ToolUseContent: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var type = TypeTag<ToolUseTag>()
    /// The id that the matching ``ToolResultContent`` names in `toolUseId`.
    public var id: String
    /// The tool's name.
    public var name: String
    /// The arguments, matching the tool's input schema.
    public var input: JSONObject
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case type, id, name, input
        case meta = "_meta"
    }

    /// Creates a tool use.
    public init(id: String, name: String, input: JSONObject = JSONObject(), meta: JSONObject? = nil) {
        self.id = id
        self.name = name
        self.input = input
        self.meta = meta
    }
}

/// The result of a tool use, in a sampling message (2025-11-25 and later):
/// `{"type": "tool_result", "toolUseId", "content"}`.
public struct ToolResultContent: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var type = TypeTag<ToolResultTag>()
    /// The ``ToolUseContent/id`` this answers.
    public var toolUseId: String
    /// The unstructured result.
    public var content: [ContentBlock]
    /// The structured result: an object in 2025-11-25, any JSON value in 2026-07-28.
    public var structuredContent: JSONValue?
    /// Whether the tool call failed.
    public var isError: Bool?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case type, toolUseId, content, structuredContent, isError
        case meta = "_meta"
    }

    /// Creates a tool result.
    public init(
        toolUseId: String, content: [ContentBlock], structuredContent: JSONValue? = nil, isError: Bool? = nil,
        meta: JSONObject? = nil
    ) {
        self.toolUseId = toolUseId
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
        self.meta = meta
    }
}

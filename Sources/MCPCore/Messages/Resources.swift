/// A resource a server offers to read.
public struct Resource: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The resource's URI.
    public var uri: String
    /// The programmatic name.
    public var name: String
    /// A name for people (2025-06-18 and later).
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
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case uri, name, title, description, mimeType, size, annotations, icons
        case meta = "_meta"
    }

    /// Creates a resource description.
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

/// A family of resources named by an RFC 6570 URI template.
public struct ResourceTemplate: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The URI template.
    public var uriTemplate: String
    /// The programmatic name.
    public var name: String
    /// A name for people (2025-06-18 and later).
    public var title: String?
    /// What the resources are.
    public var description: String?
    /// The media type of every matching resource, when they share one.
    public var mimeType: String?
    /// Hints about audience and priority.
    public var annotations: Annotations?
    /// Icons to show for it (2025-11-25 and later).
    public var icons: [Icon]?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case uriTemplate, name, title, description, mimeType, annotations, icons
        case meta = "_meta"
    }

    /// Creates a resource template.
    public init(
        uriTemplate: String, name: String, title: String? = nil, description: String? = nil,
        mimeType: String? = nil, annotations: Annotations? = nil, icons: [Icon]? = nil, meta: JSONObject? = nil
    ) {
        self.uriTemplate = uriTemplate
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
        self.annotations = annotations
        self.icons = icons
        self.meta = meta
    }
}

/// The contents of a resource: text or binary, told apart by the `text` or `blob` member.
public enum ResourceContents: Codable, Sendable, Hashable {
    /// Text contents.
    case text(TextResourceContents)
    /// Binary contents.
    case blob(BlobResourceContents)

    /// Decodes text contents when there is a `text` member, binary ones when there is a
    /// `blob` member.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.dataCorrupted` when there is neither; `DecodingError` for
    ///   malformed contents.
    public init(from decoder: any Decoder) throws {
        if try decoder.hasMember("text") {
            self = .text(try TextResourceContents(from: decoder))
        } else if try decoder.hasMember("blob") {
            self = .blob(try BlobResourceContents(from: decoder))
        } else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath, debugDescription: "Resource contents have neither text nor blob."))
        }
    }

    /// Encodes the contents.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .text(let contents): try contents.encode(to: encoder)
        case .blob(let contents): try contents.encode(to: encoder)
        }
    }

    /// The URI of the resource.
    public var uri: String {
        switch self {
        case .text(let contents): contents.uri
        case .blob(let contents): contents.uri
        }
    }
}

/// The text contents of a resource.
public struct TextResourceContents: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The resource's URI.
    public var uri: String
    /// Its media type.
    public var mimeType: String?
    /// The text.
    public var text: String
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case uri, mimeType, text
        case meta = "_meta"
    }

    /// Creates text contents.
    public init(uri: String, mimeType: String? = nil, text: String, meta: JSONObject? = nil) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = text
        self.meta = meta
    }
}

/// The binary contents of a resource.
public struct BlobResourceContents: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The resource's URI.
    public var uri: String
    /// Its media type.
    public var mimeType: String?
    /// The bytes, base64-encoded.
    public var blob: String
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case uri, mimeType, blob
        case meta = "_meta"
    }

    /// Creates binary contents.
    public init(uri: String, mimeType: String? = nil, blob: String, meta: JSONObject? = nil) {
        self.uri = uri
        self.mimeType = mimeType
        self.blob = blob
        self.meta = meta
    }
}

/// The fixed text of a discriminator member such as `"type": "text"`.
protocol TypeTagValue {
    static var value: String { get }
}

/// A discriminator member with one allowed value: encodes it, and refuses any other value
/// on decoding with `DecodingError.dataCorrupted` at that member.
///
/// Types store it as a private property named after the member, so that synthesized
/// `Codable` writes and checks it with the other members.
struct TypeTag<Value: TypeTagValue>: Codable, Sendable, Hashable {
    init() {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard text == Value.value else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "Expected \"\(Value.value)\".")
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Value.value)
    }
}

enum TextTag: TypeTagValue { static let value = "text" }
enum ImageTag: TypeTagValue { static let value = "image" }
enum AudioTag: TypeTagValue { static let value = "audio" }
enum ResourceLinkTag: TypeTagValue { static let value = "resource_link" }
enum EmbeddedResourceTag: TypeTagValue { static let value = "resource" }
enum ToolUseTag: TypeTagValue { static let value = "tool_use" }
enum ToolResultTag: TypeTagValue { static let value = "tool_result" }
enum PromptReferenceTag: TypeTagValue { static let value = "ref/prompt" }
enum ResourceReferenceTag: TypeTagValue { static let value = "ref/resource" }
enum StringSchemaTag: TypeTagValue { static let value = "string" }
enum BooleanSchemaTag: TypeTagValue { static let value = "boolean" }
enum ArraySchemaTag: TypeTagValue { static let value = "array" }
enum ObjectSchemaTag: TypeTagValue { static let value = "object" }
enum URLModeTag: TypeTagValue { static let value = "url" }

/// The members that choose the case of a discriminated union.
enum DiscriminatorKeys: String, CodingKey {
    case type, mode
}

extension Decoder {
    /// The string member `key` of the object being decoded.
    func discriminator(_ key: DiscriminatorKeys) throws -> String {
        try container(keyedBy: DiscriminatorKeys.self).decode(String.self, forKey: key)
    }

    /// The string member `key`, or `nil` when the object has no such member.
    func optionalDiscriminator(_ key: DiscriminatorKeys) throws -> String? {
        try container(keyedBy: DiscriminatorKeys.self).decodeIfPresent(String.self, forKey: key)
    }

    /// Whether the object being decoded has a member named `key`.
    func hasMember(_ key: String) throws -> Bool {
        try container(keyedBy: JSONCodingKey.self).contains(JSONCodingKey(stringValue: key))
    }
}

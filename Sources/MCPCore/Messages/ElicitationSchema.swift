/// The form of a form-mode elicitation: a flat object schema whose properties are
/// primitive fields, in the order the form shows them.
public struct ElicitationSchema: Codable, Sendable, Hashable {
    /// The JSON Schema dialect (`$schema`, 2025-11-25 and later).
    public var schema: String?
    private var type = TypeTag<ObjectSchemaTag>()
    /// The fields, in order.
    public var properties: OrderedMap<PrimitiveSchemaDefinition>
    /// The names of the fields that must be filled in.
    public var required: [String]?

    private enum CodingKeys: String, CodingKey {
        case schema = "$schema"
        case type, properties, required
    }

    /// Creates a form.
    public init(schema: String? = nil, properties: OrderedMap<PrimitiveSchemaDefinition>, required: [String]? = nil) {
        self.schema = schema
        self.properties = properties
        self.required = required
    }
}

/// A field of an elicitation form: a restricted JSON Schema of one primitive value,
/// chosen by `type` and the members present.
///
/// 2025-06-18 has string, number, boolean and enum (with optional `enumNames`) fields;
/// 2025-11-25 and 2026-07-28 add titled single-select (`oneOf`), untitled and titled
/// multi-select (`array`) fields and defaults, and keep `enumNames` as the legacy form.
public enum PrimitiveSchemaDefinition: Codable, Sendable, Hashable {
    /// A text field.
    case string(StringSchema)
    /// A number or integer field.
    case number(NumberSchema)
    /// A checkbox.
    case boolean(BooleanSchema)
    /// A single choice among values that are their own labels (`enum`).
    case untitledSingleSelect(UntitledSingleSelectEnumSchema)
    /// A single choice among values with labels (`oneOf` of `const`/`title`).
    case titledSingleSelect(TitledSingleSelectEnumSchema)
    /// Several choices among values that are their own labels.
    case untitledMultiSelect(UntitledMultiSelectEnumSchema)
    /// Several choices among values with labels.
    case titledMultiSelect(TitledMultiSelectEnumSchema)
    /// A single choice with labels in `enumNames` (the 2025-06-18 form).
    case legacyTitledEnum(LegacyTitledEnumSchema)
    /// A field of another kind, as written.
    case unknown(JSONValue)

    /// Decodes a field by its `type` and members: a string field with `oneOf` is a titled
    /// single select, with `enum` and `enumNames` a legacy titled enum, with `enum` alone
    /// an untitled single select; an array field whose `items` have `anyOf` is a titled
    /// multi-select, otherwise an untitled one.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a malformed field of a known kind.
    public init(from decoder: any Decoder) throws {
        switch try decoder.optionalDiscriminator(.type) {
        case "string":
            if try decoder.hasMember("oneOf") {
                self = .titledSingleSelect(try TitledSingleSelectEnumSchema(from: decoder))
            } else if try decoder.hasMember("enum") {
                self =
                    try decoder.hasMember("enumNames")
                    ? .legacyTitledEnum(try LegacyTitledEnumSchema(from: decoder))
                    : .untitledSingleSelect(try UntitledSingleSelectEnumSchema(from: decoder))
            } else {
                self = .string(try StringSchema(from: decoder))
            }
        case "number", "integer":
            self = .number(try NumberSchema(from: decoder))
        case "boolean":
            self = .boolean(try BooleanSchema(from: decoder))
        case "array":
            let container = try decoder.container(keyedBy: JSONCodingKey.self)
            let itemsKey = JSONCodingKey(stringValue: "items")
            var titled = false
            if container.contains(itemsKey) {
                titled = try container.nestedContainer(keyedBy: JSONCodingKey.self, forKey: itemsKey)
                    .contains(JSONCodingKey(stringValue: "anyOf"))
            }
            self =
                titled
                ? .titledMultiSelect(try TitledMultiSelectEnumSchema(from: decoder))
                : .untitledMultiSelect(try UntitledMultiSelectEnumSchema(from: decoder))
        default:
            self = .unknown(try JSONValue(from: decoder))
        }
    }

    /// Encodes the field.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .string(let field): try field.encode(to: encoder)
        case .number(let field): try field.encode(to: encoder)
        case .boolean(let field): try field.encode(to: encoder)
        case .untitledSingleSelect(let field): try field.encode(to: encoder)
        case .titledSingleSelect(let field): try field.encode(to: encoder)
        case .untitledMultiSelect(let field): try field.encode(to: encoder)
        case .titledMultiSelect(let field): try field.encode(to: encoder)
        case .legacyTitledEnum(let field): try field.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }
}

/// The format of a string field.
public struct StringSchemaFormat: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `email`.
    public static let email = StringSchemaFormat(rawValue: "email")
    /// `uri`.
    public static let uri = StringSchemaFormat(rawValue: "uri")
    /// `date`.
    public static let date = StringSchemaFormat(rawValue: "date")
    /// `date-time`.
    public static let dateTime = StringSchemaFormat(rawValue: "date-time")
}

/// A text field: `{"type": "string"}`.
public struct StringSchema: Codable, Sendable, Hashable {
    private var type = TypeTag<StringSchemaTag>()
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The fewest characters.
    public var minLength: Int?
    /// The most characters.
    public var maxLength: Int?
    /// The format the text must have.
    public var format: StringSchemaFormat?
    /// The initial value (2025-11-25 and later).
    public var `default`: String?

    private enum CodingKeys: String, CodingKey {
        case type, title, description, minLength, maxLength, format, `default`
    }

    /// Creates a text field.
    public init(
        title: String? = nil, description: String? = nil, minLength: Int? = nil, maxLength: Int? = nil,
        format: StringSchemaFormat? = nil, default: String? = nil
    ) {
        self.title = title
        self.description = description
        self.minLength = minLength
        self.maxLength = maxLength
        self.format = format
        self.default = `default`
    }
}

/// A number field: `{"type": "number"}` or `{"type": "integer"}`.
public struct NumberSchema: Codable, Sendable, Hashable {
    /// `number` or `integer`.
    public var type: String
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The smallest value.
    public var minimum: Double?
    /// The largest value.
    public var maximum: Double?
    /// The initial value (2025-11-25 and later).
    public var `default`: Double?

    private enum CodingKeys: String, CodingKey {
        case type, title, description, minimum, maximum, `default`
    }

    /// Creates a number field.
    ///
    /// - Parameter integer: whether only integers are allowed (`"type": "integer"`).
    public init(
        integer: Bool = false, title: String? = nil, description: String? = nil, minimum: Double? = nil,
        maximum: Double? = nil, default: Double? = nil
    ) {
        self.type = integer ? "integer" : "number"
        self.title = title
        self.description = description
        self.minimum = minimum
        self.maximum = maximum
        self.default = `default`
    }
}

/// A checkbox: `{"type": "boolean"}`.
public struct BooleanSchema: Codable, Sendable, Hashable {
    private var type = TypeTag<BooleanSchemaTag>()
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The initial value.
    public var `default`: Bool?

    private enum CodingKeys: String, CodingKey {
        case type, title, description, `default`
    }

    /// Creates a checkbox.
    public init(title: String? = nil, description: String? = nil, default: Bool? = nil) {
        self.title = title
        self.description = description
        self.default = `default`
    }
}

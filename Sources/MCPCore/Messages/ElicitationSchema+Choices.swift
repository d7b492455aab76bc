/// A value with a label: `{"const", "title"}`.
public struct TitledOption: Codable, Sendable, Hashable {
    /// The value submitted.
    public var value: String
    /// The label shown.
    public var title: String

    private enum CodingKeys: String, CodingKey {
        case value = "const"
        case title
    }

    /// Creates an option.
    public init(value: String, title: String) {
        self.value = value
        self.title = title
    }
}

/// A single choice among values that are their own labels:
/// `{"type": "string", "enum": [...]}`.
public struct UntitledSingleSelectEnumSchema: Codable, Sendable, Hashable {
    private var type = TypeTag<StringSchemaTag>()
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The values.
    public var values: [String]
    /// The initial value.
    public var `default`: String?

    private enum CodingKeys: String, CodingKey {
        case type, title, description
        case values = "enum"
        case `default`
    }

    /// Creates the field.
    public init(title: String? = nil, description: String? = nil, values: [String], default: String? = nil) {
        self.title = title
        self.description = description
        self.values = values
        self.default = `default`
    }
}

/// A single choice among labelled values: `{"type": "string", "oneOf": [{"const", "title"}]}`.
public struct TitledSingleSelectEnumSchema: Codable, Sendable, Hashable {
    private var type = TypeTag<StringSchemaTag>()
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The options.
    public var options: [TitledOption]
    /// The initial value.
    public var `default`: String?

    private enum CodingKeys: String, CodingKey {
        case type, title, description
        case options = "oneOf"
        case `default`
    }

    /// Creates the field.
    public init(title: String? = nil, description: String? = nil, options: [TitledOption], default: String? = nil) {
        self.title = title
        self.description = description
        self.options = options
        self.default = `default`
    }
}

/// Several choices among values that are their own labels:
/// `{"type": "array", "items": {"type": "string", "enum": [...]}}`.
public struct UntitledMultiSelectEnumSchema: Codable, Sendable, Hashable {
    private var type = TypeTag<ArraySchemaTag>()
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The fewest choices.
    public var minItems: Int?
    /// The most choices.
    public var maxItems: Int?
    /// The values.
    public var items: Items
    /// The initial choices.
    public var `default`: [String]?

    private enum CodingKeys: String, CodingKey {
        case type, title, description, minItems, maxItems, items, `default`
    }

    /// Creates the field.
    public init(
        title: String? = nil, description: String? = nil, minItems: Int? = nil, maxItems: Int? = nil,
        values: [String], default: [String]? = nil
    ) {
        self.title = title
        self.description = description
        self.minItems = minItems
        self.maxItems = maxItems
        self.items = Items(values: values)
        self.default = `default`
    }

    /// The schema of one choice: `{"type": "string", "enum": [...]}`.
    public struct Items: Codable, Sendable, Hashable {
        private var type = TypeTag<StringSchemaTag>()
        /// The values.
        public var values: [String]

        private enum CodingKeys: String, CodingKey {
            case type
            case values = "enum"
        }

        /// Creates the item schema.
        public init(values: [String]) {
            self.values = values
        }
    }
}

/// Several choices among labelled values:
/// `{"type": "array", "items": {"anyOf": [{"const", "title"}]}}`.
public struct TitledMultiSelectEnumSchema: Codable, Sendable, Hashable {
    private var type = TypeTag<ArraySchemaTag>()
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The fewest choices.
    public var minItems: Int?
    /// The most choices.
    public var maxItems: Int?
    /// The options.
    public var items: Items
    /// The initial choices.
    public var `default`: [String]?

    private enum CodingKeys: String, CodingKey {
        case type, title, description, minItems, maxItems, items, `default`
    }

    /// Creates the field.
    public init(
        title: String? = nil, description: String? = nil, minItems: Int? = nil, maxItems: Int? = nil,
        options: [TitledOption], default: [String]? = nil
    ) {
        self.title = title
        self.description = description
        self.minItems = minItems
        self.maxItems = maxItems
        self.items = Items(options: options)
        self.default = `default`
    }

    /// The schema of one choice: `{"anyOf": [{"const", "title"}]}`.
    public struct Items: Codable, Sendable, Hashable {
        /// The options.
        public var options: [TitledOption]

        private enum CodingKeys: String, CodingKey {
            case options = "anyOf"
        }

        /// Creates the item schema.
        public init(options: [TitledOption]) {
            self.options = options
        }
    }
}

/// A single choice with labels in a parallel `enumNames` array: the form of 2025-06-18,
/// kept as legacy in later revisions.
public struct LegacyTitledEnumSchema: Codable, Sendable, Hashable {
    private var type = TypeTag<StringSchemaTag>()
    /// The label.
    public var title: String?
    /// Help text.
    public var description: String?
    /// The values.
    public var values: [String]
    /// The labels, one per value.
    public var valueNames: [String]?
    /// The initial value (2025-11-25 and later).
    public var `default`: String?

    private enum CodingKeys: String, CodingKey {
        case type, title, description
        case values = "enum"
        case valueNames = "enumNames"
        case `default`
    }

    /// Creates the field.
    public init(
        title: String? = nil, description: String? = nil, values: [String], valueNames: [String]? = nil,
        default: String? = nil
    ) {
        self.title = title
        self.description = description
        self.values = values
        self.valueNames = valueNames
        self.default = `default`
    }
}

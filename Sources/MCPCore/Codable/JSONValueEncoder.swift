/// Encodes `Encodable` values as ``JSONValue``s, keeping what the JSON layer keeps.
///
/// Object members come out in the order they were encoded (synthesized `Codable` encodes
/// stored properties in declaration order), integers of every width are written exactly,
/// `Double` and `Float` in their shortest exact form, and a ``JSONValue``, ``JSONNumber``
/// or ``JSONObject`` inside the value is copied as it is, so number text and member order
/// survive. `encodeIfPresent` with `nil` leaves the member out, as synthesized code expects.
///
/// ```swift
/// let value = try JSONValueEncoder().encode(CallToolRequestParams(name: "echo"))
/// let bytes = try JSONValueEncoder().encodeBytes(message)
/// ```
public struct JSONValueEncoder: Sendable {
    /// Values that `encode(to:)` implementations can read through `encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates an encoder.
    ///
    /// - Parameter userInfo: values handed to every `encode(to:)` through `userInfo`.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// Encodes a value as a JSON value.
    ///
    /// - Parameter value: the value to encode.
    /// - Returns: the JSON value.
    /// - Throws: `EncodingError.invalidValue`, with the coding path, for a NaN or infinite
    ///   floating-point number or a top-level value that encodes nothing; any error the
    ///   value's own `encode(to:)` throws.
    public func encode(_ value: some Encodable) throws -> JSONValue {
        let encoder = JSONValueEncoderImpl(codingPath: [], userInfo: userInfo)
        try value.encode(to: encoder)
        guard let slot = encoder.slot else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: [], debugDescription: "The top-level value encoded nothing.")
            )
        }
        return slot.materialized()
    }

    /// Encodes a value as JSON text.
    ///
    /// - Parameters:
    ///   - value: the value to encode.
    ///   - options: the layout; compact by default.
    /// - Returns: the UTF-8 JSON text.
    /// - Throws: the errors of ``encode(_:)``.
    public func encodeBytes(_ value: some Encodable, options: JSONSerializer.Options = []) throws -> [UInt8] {
        JSONSerializer(options: options).serialize(try encode(value))
    }

    /// Encodes a value as a JSON string.
    ///
    /// - Parameters:
    ///   - value: the value to encode.
    ///   - options: the layout; compact by default.
    /// - Returns: the JSON text.
    /// - Throws: the errors of ``encode(_:)``.
    public func encodeText(_ value: some Encodable, options: JSONSerializer.Options = []) throws -> String {
        try encode(value).jsonText(options: options)
    }
}

// MARK: - Storage

/// What an encoder or container has written at one place, kept by reference where nested
/// containers still write into it and turned into a ``JSONValue`` once encoding ends.
enum EncodedSlot {
    case value(JSONValue)
    case object(EncodedObject)
    case array(EncodedArray)
    /// A `superEncoder()` or nested value whose encoder may still be written to.
    case encoder(JSONValueEncoderImpl)

    func materialized() -> JSONValue {
        switch self {
        case .value(let value):
            return value
        case .object(let object):
            var result = JSONObject()
            for (key, slot) in object.members {
                result.appendNewMember(key, slot.materialized())
            }
            return .object(result)
        case .array(let array):
            return .array(array.elements.map { $0.materialized() })
        case .encoder(let encoder):
            return encoder.slot?.materialized() ?? .object(JSONObject())
        }
    }
}

/// The members of an object being encoded, in the order first encoded.
final class EncodedObject {
    private(set) var members: [(key: String, slot: EncodedSlot)] = []
    private var positions: [String: Int] = [:]

    /// Sets a member; a key encoded again keeps its first position and takes the new value.
    func set(_ key: String, _ slot: EncodedSlot) {
        if let position = positions[key] {
            members[position].slot = slot
        } else {
            positions[key] = members.count
            members.append((key, slot))
        }
    }

    /// The slot of a member already encoded.
    func slot(for key: String) -> EncodedSlot? {
        positions[key].map { members[$0].slot }
    }
}

/// The elements of an array being encoded.
final class EncodedArray {
    private(set) var elements: [EncodedSlot] = []

    var count: Int { elements.count }

    func append(_ slot: EncodedSlot) {
        elements.append(slot)
    }
}

// MARK: - Encoder

/// The `Encoder` handed to `encode(to:)`; one per encoded value.
final class JSONValueEncoderImpl: Encoder {
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]
    /// What this encoder has written, or `nil` while nothing has been.
    var slot: EncodedSlot?

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    init(codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, object: objectStorage(), codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONUnkeyedEncodingContainer(encoder: self, array: arrayStorage(), codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueEncodingContainer(encoder: self)
    }

    /// The object this encoder writes into: the one already started (a second
    /// `container(keyedBy:)` call continues it, as `Encoder` requires), else a new one.
    private func objectStorage() -> EncodedObject {
        if case .object(let object) = slot { return object }
        let object = EncodedObject()
        slot = .object(object)
        return object
    }

    private func arrayStorage() -> EncodedArray {
        if case .array(let array) = slot { return array }
        let array = EncodedArray()
        slot = .array(array)
        return array
    }

    /// Encodes a value one level down, at `key`.
    func encodeNested(_ value: some Encodable, at key: any CodingKey) throws -> EncodedSlot {
        let path = codingPath + [key]
        if let leaf = try Self.leaf(value, codingPath: path) { return .value(leaf) }
        let nested = JSONValueEncoderImpl(codingPath: path, userInfo: sendableUserInfo)
        try value.encode(to: nested)
        return nested.slot ?? .object(EncodedObject())
    }

    /// The JSON value of a value that needs no encoder of its own: the JSON types themselves
    /// and the scalars, or `nil` for anything else.
    static func leaf(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONValue? {
        switch value {
        case let value as JSONValue: return value
        case let value as JSONNumber: return .number(value)
        case let value as JSONObject: return .object(value)
        case let value as String: return .string(value)
        case let value as Bool: return .bool(value)
        case let value as Int: return .number(JSONNumber(value))
        case let value as Int64: return .number(JSONNumber(value))
        case let value as UInt64: return .number(JSONNumber(value))
        case let value as Double: return try number(value, codingPath: codingPath)
        default: return nil
        }
    }

    static func number(_ value: Double, codingPath: [any CodingKey]) throws -> JSONValue {
        guard let number = JSONNumber(value) else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: codingPath, debugDescription: "JSON has no \(value); only finite numbers can be encoded.")
            )
        }
        return .number(number)
    }

    static func number(_ value: Float, codingPath: [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: codingPath, debugDescription: "JSON has no \(value); only finite numbers can be encoded.")
            )
        }
        if value == value.rounded(), abs(value) < 16_777_216 {
            return .number(JSONNumber(Int64(value)))
        }
        // The shortest text that reads back as the same Float, not the Double it widens to.
        guard let number = JSONNumber(text: String(describing: value)) else {
            return try number(Double(value), codingPath: codingPath)
        }
        return .number(number)
    }

    static func number(_ value: some BinaryInteger) -> JSONValue {
        if let small = Int64(exactly: value) { return .number(JSONNumber(small)) }
        if let unsigned = UInt64(exactly: value) { return .number(JSONNumber(unsigned)) }
        // Wider integers (Int128, UInt128): their decimal text is a JSON integer.
        return .number(JSONNumber(validatedText: String(value)))
    }
}

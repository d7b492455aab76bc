/// Decodes `Decodable` values from ``JSONValue``s, exactly.
///
/// Integers decode only when the number denotes an integer that fits the type (`1.0` is
/// a fine `Int`; `1.5` and `300` as `UInt8` are `DecodingError.dataCorrupted`); a value
/// of the wrong kind is `DecodingError.typeMismatch`; every error carries the coding path
/// where it was found. A ``JSONValue``, ``JSONNumber`` or ``JSONObject`` inside the target
/// type receives the member as it is, with its number text and member order, and an
/// optional `JSONValue` member that is present and `null` decodes as `.null`, not `nil`.
///
/// ```swift
/// let params = try JSONValueDecoder().decode(CallToolRequestParams.self, from: value)
/// ```
public struct JSONValueDecoder: Sendable {
    /// Values that `init(from:)` implementations can read through `decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable]

    /// Creates a decoder.
    ///
    /// - Parameter userInfo: values handed to every `init(from:)` through `userInfo`.
    public init(userInfo: [CodingUserInfoKey: any Sendable] = [:]) {
        self.userInfo = userInfo
    }

    /// Decodes a value of the given type from a JSON value.
    ///
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - value: the JSON value.
    /// - Returns: the decoded value.
    /// - Throws: `DecodingError` with the coding path of the offending member; any error
    ///   the type's own `init(from:)` throws.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        try T(from: JSONValueDecoderImpl(value: value, codingPath: [], userInfo: userInfo))
    }

    /// Parses JSON text and decodes a value of the given type from it.
    ///
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - bytes: UTF-8 JSON text.
    ///   - limits: the bounds on the accepted JSON.
    /// - Returns: the decoded value.
    /// - Throws: ``JSONError`` when the text is not valid JSON within the limits; otherwise
    ///   the errors of ``decode(_:from:)``.
    public func decode<T: Decodable>(
        _ type: T.Type, fromBytes bytes: some Collection<UInt8>, limits: JSONLimits = .default
    ) throws -> T {
        try decode(type, from: JSONParser(limits: limits).parse(bytes))
    }

    /// Parses a JSON string and decodes a value of the given type from it.
    ///
    /// - Parameters:
    ///   - type: the type to decode.
    ///   - text: the JSON text.
    ///   - limits: the bounds on the accepted JSON.
    /// - Returns: the decoded value.
    /// - Throws: ``JSONError`` when the text is not valid JSON within the limits; otherwise
    ///   the errors of ``decode(_:from:)``.
    public func decode<T: Decodable>(_ type: T.Type, fromText text: String, limits: JSONLimits = .default) throws -> T {
        try decode(type, fromBytes: Array(text.utf8), limits: limits)
    }
}

// MARK: - Decoder

/// The `Decoder` handed to `init(from:)`; one per decoded value.
final class JSONValueDecoderImpl: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let sendableUserInfo: [CodingUserInfoKey: any Sendable]

    var userInfo: [CodingUserInfoKey: Any] { sendableUserInfo }

    init(value: JSONValue, codingPath: [any CodingKey], userInfo: [CodingUserInfoKey: any Sendable]) {
        self.value = value
        self.codingPath = codingPath
        self.sendableUserInfo = userInfo
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw Self.mismatch(JSONObject.self, expected: "an object", found: value, at: codingPath)
        }
        return KeyedDecodingContainer(JSONKeyedDecodingContainer<Key>(decoder: self, object: object, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw Self.mismatch([JSONValue].self, expected: "an array", found: value, at: codingPath)
        }
        return JSONUnkeyedDecodingContainer(decoder: self, elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        JSONSingleValueDecodingContainer(decoder: self)
    }

    /// A decoder for a value one level down.
    func nested(_ value: JSONValue, at key: any CodingKey) -> JSONValueDecoderImpl {
        JSONValueDecoderImpl(value: value, codingPath: codingPath + [key], userInfo: sendableUserInfo)
    }

    // MARK: Scalars

    static func mismatch(_ type: Any.Type, expected: String, found value: JSONValue, at path: [any CodingKey]) -> DecodingError {
        DecodingError.typeMismatch(
            type, DecodingError.Context(codingPath: path, debugDescription: "Expected \(expected) but found \(value.kindName).")
        )
    }

    static func bool(_ value: JSONValue, at path: [any CodingKey]) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(Bool.self, expected: "a boolean", found: value, at: path) }
        return flag
    }

    static func string(_ value: JSONValue, at path: [any CodingKey]) throws -> String {
        guard case .string(let string) = value else { throw mismatch(String.self, expected: "a string", found: value, at: path) }
        return string
    }

    static func number(_ value: JSONValue, as type: Any.Type, at path: [any CodingKey]) throws -> JSONNumber {
        guard case .number(let number) = value else { throw mismatch(type, expected: "a number", found: value, at: path) }
        return number
    }

    static func integer<I: FixedWidthInteger>(_ value: JSONValue, as type: I.Type, at path: [any CodingKey]) throws -> I {
        let number = try number(value, as: type, at: path)
        let exact: I?
        if number.isIntegerLiteral {
            exact = I(number.text)
        } else if let whole = number.int64Value {
            exact = I(exactly: whole)
        } else {
            exact = nil
        }
        guard let exact else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path, debugDescription: "The number does not fit in \(I.self).")
            )
        }
        return exact
    }

    static func double(_ value: JSONValue, at path: [any CodingKey]) throws -> Double {
        let number = try number(value, as: Double.self, at: path)
        guard let double = Double(number.text), double.isFinite else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path, debugDescription: "The number does not fit in Double.")
            )
        }
        return double
    }

    static func float(_ value: JSONValue, at path: [any CodingKey]) throws -> Float {
        let number = try number(value, as: Float.self, at: path)
        guard let float = Float(number.text), float.isFinite else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path, debugDescription: "The number does not fit in Float.")
            )
        }
        return float
    }
}

extension JSONValue: Codable {
    /// Decodes any JSON value.
    ///
    /// Through ``JSONValueDecoder`` the value is taken as it is, number text and member order
    /// included. Other decoders are asked for each kind in turn; there numbers come back as
    /// the integer or `Double` those decoders produce, and member order is whatever they keep.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.dataCorrupted` when the decoder holds no JSON value.
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? JSONValueDecoderImpl {
            self = decoder.value
            return
        }
        if let container = try? decoder.container(keyedBy: JSONCodingKey.self) {
            var object = JSONObject()
            for key in container.allKeys {
                object[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
            }
            self = .object(object)
            return
        }
        if var container = try? decoder.unkeyedContainer() {
            var elements: [JSONValue] = []
            while !container.isAtEnd { elements.append(try container.decode(JSONValue.self)) }
            self = .array(elements)
            return
        }
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let integer = try? container.decode(Int64.self) {
            self = .number(JSONNumber(integer))
        } else if let unsigned = try? container.decode(UInt64.self) {
            self = .number(JSONNumber(unsigned))
        } else if let double = try? container.decode(Double.self), let number = JSONNumber(double) {
            self = .number(number)
        } else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "The value is not a JSON value.")
            )
        }
    }

    /// Encodes the value.
    ///
    /// Through ``JSONValueEncoder`` the value is copied as it is. Other encoders receive
    /// integers as `Int64`/`UInt64`, other numbers as `Double`, and objects member by member.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: `EncodingError.invalidValue` for a number another encoder cannot represent
    ///   (one beyond the range of `Double`); any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        if let encoder = encoder as? JSONValueEncoderImpl {
            encoder.slot = .value(self)
            return
        }
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .string(let string):
            var container = encoder.singleValueContainer()
            try container.encode(string)
        case .number(let number):
            try number.encode(to: encoder)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try container.encode(element) }
        case .object(let object):
            try object.encode(to: encoder)
        }
    }
}

extension JSONNumber: Codable {
    /// Decodes a number, keeping its text when read through ``JSONValueDecoder``.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.typeMismatch` when the value is not a number.
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? JSONValueDecoderImpl {
            self = try JSONValueDecoderImpl.number(decoder.value, as: JSONNumber.self, at: decoder.codingPath)
            return
        }
        let container = try decoder.singleValueContainer()
        if let integer = try? container.decode(Int64.self) {
            self.init(integer)
        } else if let unsigned = try? container.decode(UInt64.self) {
            self.init(unsigned)
        } else {
            let double = try container.decode(Double.self)
            guard let number = JSONNumber(double) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "JSON has no \(double).")
                )
            }
            self = number
        }
    }

    /// Encodes the number: its exact text through ``JSONValueEncoder``; through other
    /// encoders an `Int64` or `UInt64` when it is an integer literal that fits, else a `Double`.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: `EncodingError.invalidValue` when another encoder would receive an
    ///   infinite `Double`.
    public func encode(to encoder: any Encoder) throws {
        if let encoder = encoder as? JSONValueEncoderImpl {
            encoder.slot = .value(.number(self))
            return
        }
        var container = encoder.singleValueContainer()
        if isIntegerLiteral, let integer = Int64(text) {
            try container.encode(integer)
        } else if isIntegerLiteral, let unsigned = UInt64(text) {
            try container.encode(unsigned)
        } else {
            let double = doubleValue
            guard double.isFinite else {
                throw EncodingError.invalidValue(
                    self,
                    EncodingError.Context(codingPath: encoder.codingPath, debugDescription: "The number does not fit in Double.")
                )
            }
            try container.encode(double)
        }
    }
}

extension JSONObject: Codable {
    /// Decodes an object, keeping its member order when read through ``JSONValueDecoder``.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.typeMismatch` when the value is not an object.
    public init(from decoder: any Decoder) throws {
        if let decoder = decoder as? JSONValueDecoderImpl {
            guard case .object(let object) = decoder.value else {
                throw JSONValueDecoderImpl.mismatch(
                    JSONObject.self, expected: "an object", found: decoder.value, at: decoder.codingPath)
            }
            self = object
            return
        }
        let container = try decoder.container(keyedBy: JSONCodingKey.self)
        self.init()
        for key in container.allKeys {
            self[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
    }

    /// Encodes the members in order.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: the errors of ``JSONValue/encode(to:)`` for the members.
    public func encode(to encoder: any Encoder) throws {
        if let encoder = encoder as? JSONValueEncoderImpl {
            encoder.slot = .value(.object(self))
            return
        }
        var container = encoder.container(keyedBy: JSONCodingKey.self)
        for (key, value) in members {
            try container.encode(value, forKey: JSONCodingKey(stringValue: key))
        }
    }
}

// The containers of `JSONValueEncoderImpl`.

// MARK: - Keyed container

struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoderImpl
    let object: EncodedObject
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, _ key: Key) {
        object.set(key.stringValue, .value(value))
    }

    mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(try JSONValueEncoderImpl.number(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(try JSONValueEncoderImpl.number(value, codingPath: codingPath + [key]), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: Int128, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }
    mutating func encode(_ value: UInt128, forKey key: Key) throws { set(JSONValueEncoderImpl.number(value), key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        object.set(key.stringValue, try encoder.encodeNested(value, at: key))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested: EncodedObject
        if case .object(let existing) = object.slot(for: key.stringValue) {
            nested = existing
        } else {
            nested = EncodedObject()
            object.set(key.stringValue, .object(nested))
        }
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, object: nested, codingPath: codingPath + [key])
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested: EncodedArray
        if case .array(let existing) = object.slot(for: key.stringValue) {
            nested = existing
        } else {
            nested = EncodedArray()
            object.set(key.stringValue, .array(nested))
        }
        return JSONUnkeyedEncodingContainer(encoder: encoder, array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        superEncoder(named: JSONCodingKey.superKey)
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        superEncoder(named: key)
    }

    private func superEncoder(named key: any CodingKey) -> any Encoder {
        let nested = JSONValueEncoderImpl(codingPath: codingPath + [key], userInfo: encoder.sendableUserInfo)
        object.set(key.stringValue, .encoder(nested))
        return nested
    }
}

// MARK: - Unkeyed container

struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoderImpl
    let array: EncodedArray
    let codingPath: [any CodingKey]

    var count: Int { array.count }

    private var nextKey: JSONCodingKey { JSONCodingKey(index: array.count) }

    private func append(_ value: JSONValue) {
        array.append(.value(value))
    }

    mutating func encodeNil() throws { append(.null) }
    mutating func encode(_ value: Bool) throws { append(.bool(value)) }
    mutating func encode(_ value: String) throws { append(.string(value)) }
    mutating func encode(_ value: Double) throws {
        append(try JSONValueEncoderImpl.number(value, codingPath: codingPath + [nextKey]))
    }
    mutating func encode(_ value: Float) throws {
        append(try JSONValueEncoderImpl.number(value, codingPath: codingPath + [nextKey]))
    }
    mutating func encode(_ value: Int) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int8) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int16) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int32) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int64) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int128) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt8) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt16) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt32) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt64) throws { append(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt128) throws { append(JSONValueEncoderImpl.number(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        array.append(try encoder.encodeNested(value, at: nextKey))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let key = nextKey
        let nested = EncodedObject()
        array.append(.object(nested))
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, object: nested, codingPath: codingPath + [key])
        )
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let key = nextKey
        let nested = EncodedArray()
        array.append(.array(nested))
        return JSONUnkeyedEncodingContainer(encoder: encoder, array: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        let nested = JSONValueEncoderImpl(codingPath: codingPath + [nextKey], userInfo: encoder.sendableUserInfo)
        array.append(.encoder(nested))
        return nested
    }
}

// MARK: - Single-value container

struct JSONSingleValueEncodingContainer: SingleValueEncodingContainer {
    let encoder: JSONValueEncoderImpl

    var codingPath: [any CodingKey] { encoder.codingPath }

    private func set(_ value: JSONValue) {
        encoder.slot = .value(value)
    }

    mutating func encodeNil() throws { set(.null) }
    mutating func encode(_ value: Bool) throws { set(.bool(value)) }
    mutating func encode(_ value: String) throws { set(.string(value)) }
    mutating func encode(_ value: Double) throws { set(try JSONValueEncoderImpl.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Float) throws { set(try JSONValueEncoderImpl.number(value, codingPath: codingPath)) }
    mutating func encode(_ value: Int) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int8) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int16) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int32) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int64) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: Int128) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt8) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt16) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt32) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt64) throws { set(JSONValueEncoderImpl.number(value)) }
    mutating func encode(_ value: UInt128) throws { set(JSONValueEncoderImpl.number(value)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        if let leaf = try JSONValueEncoderImpl.leaf(value, codingPath: codingPath) {
            set(leaf)
        } else {
            // The value writes through this same encoder, as `Encoder` specifies.
            try value.encode(to: encoder)
        }
    }
}

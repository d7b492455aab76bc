/// A JSON object whose member values share one type, kept in the order written.
///
/// Protocol maps such as `inputRequests`, prompt `arguments` and the `properties` of an
/// elicitation form are objects whose order matters to people (a form shows its fields in
/// order) or to reproducible output; a `Dictionary` would lose it. Lookup is linear, which
/// suits the small maps of the protocol. Equality, like ``JSONObject``'s, ignores order.
public struct OrderedMap<Value> {
    /// The entries in order; keys are distinct.
    public private(set) var entries: [(key: String, value: Value)]

    /// Creates an empty map.
    public init() {
        entries = []
    }

    /// Creates a map from entries, keeping their order.
    ///
    /// - Parameter entries: key-value pairs; a later pair with an existing key replaces the
    ///   earlier value in place.
    public init(_ entries: some Sequence<(String, Value)>) {
        self.init()
        for (key, value) in entries { self[key] = value }
    }

    /// The number of entries.
    public var count: Int { entries.count }

    /// Whether the map has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    /// The keys in order.
    public var keys: [String] { entries.map(\.key) }

    /// The values in order.
    public var values: [Value] { entries.map(\.value) }

    /// The value for `key`, or `nil`. Setting a value for a new key appends it; setting
    /// `nil` removes the entry.
    public subscript(key: String) -> Value? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let position = entries.firstIndex(where: { $0.key == key }) {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    entries.remove(at: position)
                }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }
}

extension OrderedMap: Sendable where Value: Sendable {}

extension OrderedMap: Equatable where Value: Equatable {
    /// Maps are equal when they have the same keys with equal values, in any order.
    public static func == (lhs: OrderedMap, rhs: OrderedMap) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.entries.allSatisfy { rhs[$0.key] == $0.value }
    }
}

extension OrderedMap: Hashable where Value: Hashable {
    /// Hashes the entries independently of their order.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in entries {
            var entryHasher = Hasher()
            entryHasher.combine(key)
            entryHasher.combine(value)
            combined ^= entryHasher.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension OrderedMap: Sequence {
    /// Iterates over the entries in order.
    public func makeIterator() -> IndexingIterator<[(key: String, value: Value)]> {
        entries.makeIterator()
    }
}

extension OrderedMap: ExpressibleByDictionaryLiteral {
    /// Creates a map with the entries in the order written.
    ///
    /// - Precondition: the keys are distinct.
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init()
        for (key, value) in elements {
            precondition(self[key] == nil, "duplicate key in a map literal")
            self[key] = value
        }
    }
}

extension OrderedMap: Encodable where Value: Encodable {
    /// Encodes the entries as object members, in order.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error encoding a value.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: JSONCodingKey.self)
        for (key, value) in entries {
            try container.encode(value, forKey: JSONCodingKey(stringValue: key))
        }
    }
}

extension OrderedMap: Decodable where Value: Decodable {
    /// Decodes the members of an object, in the order the decoder lists them (document
    /// order with ``JSONValueDecoder``).
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when the value is not an object or a member does not
    ///   decode as `Value`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: JSONCodingKey.self)
        self.init()
        for key in container.allKeys {
            entries.append((key.stringValue, try container.decode(Value.self, forKey: key)))
        }
    }
}

import MCPCore

/// Reads one JSON object of a policy or request file: refuses keys the format does not
/// define and values of the wrong kind, naming the key path of each error.
struct ObjectReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, at path: String, allowed: Set<String>) throws(PolicyError) {
        guard case .object(let object) = value else {
            throw PolicyError(.typeMismatch, at: path, "expected an object, found \(value.kindName)")
        }
        for key in object.keys where !allowed.contains(key) {
            throw PolicyError(.unknownKey, at: Self.join(path, key), "this key is not part of the format")
        }
        self.object = object
        self.path = path
    }

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    func child(_ key: String) -> String { Self.join(path, key) }

    func value(_ key: String) -> JSONValue? { object[key] }

    func string(_ key: String) throws(PolicyError) -> String? {
        guard let value = object[key] else { return nil }
        guard case .string(let string) = value else {
            throw PolicyError(.typeMismatch, at: child(key), "expected a string, found \(value.kindName)")
        }
        guard !string.isEmpty else { throw PolicyError(.invalidValue, at: child(key), "an empty string") }
        return string
    }

    func requiredString(_ key: String) throws(PolicyError) -> String {
        guard let string = try string(key) else {
            throw PolicyError(.missingKey, at: child(key), "this key is required")
        }
        return string
    }

    func bool(_ key: String) throws(PolicyError) -> Bool? {
        guard let value = object[key] else { return nil }
        guard case .bool(let bool) = value else {
            throw PolicyError(.typeMismatch, at: child(key), "expected true or false, found \(value.kindName)")
        }
        return bool
    }

    func number(_ key: String) throws(PolicyError) -> Double? {
        guard let value = object[key] else { return nil }
        guard case .number(let number) = value, number.doubleValue.isFinite else {
            throw PolicyError(.typeMismatch, at: child(key), "expected a finite number, found \(value.kindName)")
        }
        return number.doubleValue
    }

    func integer(_ key: String, in range: ClosedRange<Int64>) throws(PolicyError) -> Int64? {
        guard let value = object[key] else { return nil }
        guard case .number(let number) = value, let integer = number.int64Value else {
            throw PolicyError(.typeMismatch, at: child(key), "expected an integer, found \(value.kindName)")
        }
        guard range.contains(integer) else {
            throw PolicyError(
                .invalidValue, at: child(key), "expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    func array(_ key: String, maxCount: Int) throws(PolicyError) -> [JSONValue]? {
        guard let value = object[key] else { return nil }
        guard case .array(let elements) = value else {
            throw PolicyError(.typeMismatch, at: child(key), "expected an array, found \(value.kindName)")
        }
        guard elements.count <= maxCount else {
            throw PolicyError(.limitExceeded, at: child(key), "more than \(maxCount) elements")
        }
        return elements
    }

    /// An array of non-empty strings, non-empty unless `allowingEmpty`.
    func strings(_ key: String, maxCount: Int, allowingEmpty: Bool = false) throws(PolicyError) -> [String]? {
        guard let elements = try array(key, maxCount: maxCount) else { return nil }
        guard allowingEmpty || !elements.isEmpty else {
            throw PolicyError(.invalidValue, at: child(key), "an empty list matches nothing; leave the key out instead")
        }
        var strings: [String] = []
        strings.reserveCapacity(elements.count)
        for (index, element) in elements.enumerated() {
            guard case .string(let string) = element, !string.isEmpty else {
                throw PolicyError(
                    .typeMismatch, at: "\(child(key))[\(index)]",
                    "expected a non-empty string, found \(element.kindName)")
            }
            strings.append(string)
        }
        return strings
    }
}

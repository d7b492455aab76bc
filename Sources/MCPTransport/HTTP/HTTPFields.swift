/// One field line of an HTTP message: a name and a value, as bytes.
///
/// The bytes are slices of the storage of the ``HTTPFields`` they came from, so reading a
/// field copies nothing.
public struct HTTPField: Sendable, Hashable {
    /// The field name as received or given, in its original case.
    public let nameBytes: ArraySlice<UInt8>
    /// The field value, without the optional white space around it.
    public let valueBytes: ArraySlice<UInt8>

    /// Creates a field.
    ///
    /// - Parameters:
    ///   - name: the field name; validated when the field is encoded.
    ///   - value: the field value; validated when the field is encoded.
    public init(name: String, value: String) {
        self.nameBytes = ArraySlice(name.utf8)
        self.valueBytes = ArraySlice(value.utf8)
    }

    init(nameBytes: ArraySlice<UInt8>, valueBytes: ArraySlice<UInt8>) {
        self.nameBytes = nameBytes
        self.valueBytes = valueBytes
    }

    /// The field name as text.
    public var name: String { String(decoding: nameBytes, as: UTF8.self) }

    /// The field value as text; bytes that are not UTF-8 become U+FFFD.
    public var value: String { String(decoding: valueBytes, as: UTF8.self) }

    /// Whether the field has this name, compared without ASCII case.
    ///
    /// - Parameter name: the name to compare with.
    /// - Returns: `true` when the names are equal ignoring case.
    public func hasName(_ name: String) -> Bool {
        HTTPFields.namesMatch(nameBytes, name)
    }
}

/// The ordered field lines of an HTTP message head or trailer section.
///
/// Fields keep the order and case in which they were received or appended; lookups by name
/// ignore ASCII case; a name may appear several times. All names and values live in one
/// contiguous byte buffer, so a parsed head costs two allocations however many fields it
/// has.
///
/// Appending does not validate: a parsed head holds only fields the parser validated, and
/// ``HTTPResponseWriter`` checks every field it encodes with ``isValidName(_:)`` and
/// ``isValidValue(_:)``, refusing anything that could split a response.
public struct HTTPFields: Sendable, RandomAccessCollection, Hashable, ExpressibleByDictionaryLiteral {
    private struct Entry: Sendable {
        var nameStart: Int
        var nameEnd: Int
        var valueEnd: Int
    }

    private var storage: [UInt8] = []
    private var entries: [Entry] = []

    /// Creates an empty field list.
    public init() {}

    /// Creates a field list from name-value pairs, in order.
    ///
    /// - Parameter elements: the names and values.
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { append(name: name, value: value) }
    }

    /// The position of the first field.
    public var startIndex: Int { 0 }
    /// The position after the last field.
    public var endIndex: Int { entries.count }

    /// The field at a position.
    ///
    /// - Parameter position: a valid index.
    public subscript(position: Int) -> HTTPField {
        let entry = entries[position]
        return HTTPField(
            nameBytes: storage[entry.nameStart..<entry.nameEnd],
            valueBytes: storage[entry.nameEnd..<entry.valueEnd])
    }

    /// Appends a field line.
    ///
    /// - Parameters:
    ///   - name: the field name.
    ///   - value: the field value.
    public mutating func append(name: String, value: String) {
        append(name: name.utf8, value: value.utf8)
    }

    /// Appends a field line given as bytes.
    ///
    /// - Parameters:
    ///   - name: the field name.
    ///   - value: the field value.
    public mutating func append(name: some Collection<UInt8>, value: some Collection<UInt8>) {
        let nameStart = storage.count
        storage.append(contentsOf: name)
        let nameEnd = storage.count
        storage.append(contentsOf: value)
        entries.append(Entry(nameStart: nameStart, nameEnd: nameEnd, valueEnd: storage.count))
    }

    /// Appends a field.
    ///
    /// - Parameter field: the field to append.
    public mutating func append(_ field: HTTPField) {
        append(name: field.nameBytes, value: field.valueBytes)
    }

    /// The value of the first field with this name; setting replaces every field of that
    /// name by one at the end (or removes them all, for `nil`).
    ///
    /// - Parameter name: the field name, compared without case.
    public subscript(name: String) -> String? {
        get { firstValueBytes(named: name).map { String(decoding: $0, as: UTF8.self) } }
        set {
            removeAll(named: name)
            if let newValue { append(name: name, value: newValue) }
        }
    }

    /// The value bytes of the first field with this name.
    ///
    /// - Parameter name: the field name, compared without case.
    /// - Returns: the value, or `nil` when no field has that name.
    public func firstValueBytes(named name: String) -> ArraySlice<UInt8>? {
        for entry in entries where Self.namesMatch(storage[entry.nameStart..<entry.nameEnd], name) {
            return storage[entry.nameEnd..<entry.valueEnd]
        }
        return nil
    }

    /// The values of every field with this name, in order.
    ///
    /// - Parameter name: the field name, compared without case.
    /// - Returns: the values, empty when no field has that name.
    public func values(named name: String) -> [String] {
        valueBytes(named: name).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The value bytes of every field with this name, in order.
    ///
    /// - Parameter name: the field name, compared without case.
    /// - Returns: the values, empty when no field has that name.
    public func valueBytes(named name: String) -> [ArraySlice<UInt8>] {
        var values: [ArraySlice<UInt8>] = []
        for entry in entries where Self.namesMatch(storage[entry.nameStart..<entry.nameEnd], name) {
            values.append(storage[entry.nameEnd..<entry.valueEnd])
        }
        return values
    }

    /// The elements of a comma-separated list field, over every line of that name
    /// (RFC 9110 §5.6.1): each element trimmed of white space, empty elements left out,
    /// commas inside quoted strings kept.
    ///
    /// - Parameter name: the field name, compared without case.
    /// - Returns: the elements in order.
    public func listElements(named name: String) -> [String] {
        var elements: [String] = []
        for value in valueBytes(named: name) {
            Self.forEachListElement(value) { elements.append(String(decoding: $0, as: UTF8.self)) }
        }
        return elements
    }

    /// Whether any field has this name.
    ///
    /// - Parameter name: the field name, compared without case.
    public func contains(named name: String) -> Bool {
        firstValueBytes(named: name) != nil
    }

    /// The number of field lines with this name.
    ///
    /// - Parameter name: the field name, compared without case.
    public func count(named name: String) -> Int {
        var count = 0
        for entry in entries where Self.namesMatch(storage[entry.nameStart..<entry.nameEnd], name) {
            count += 1
        }
        return count
    }

    /// Removes every field with this name.
    ///
    /// - Parameter name: the field name, compared without case.
    public mutating func removeAll(named name: String) {
        guard contains(named: name) else { return }
        let old = self
        self = HTTPFields()
        for field in old where !field.hasName(name) { append(field) }
    }

    /// Whether `name` is a valid field name: a non-empty RFC 9110 token.
    ///
    /// - Parameter name: the bytes of the name.
    public static func isValidName(_ name: some Collection<UInt8>) -> Bool {
        HTTPSyntax.isToken(name)
    }

    /// Whether `value` is a valid field value: visible ASCII, bytes 0x80-0xFF (obs-text),
    /// SP and HTAB only, so no CR, LF, NUL or other control byte, and no white space at
    /// either end (such white space is optional white space around the value, not part
    /// of it).
    ///
    /// - Parameter value: the bytes of the value.
    public static func isValidValue(_ value: some BidirectionalCollection<UInt8>) -> Bool {
        HTTPSyntax.isFieldValue(value)
    }

    public static func == (lhs: HTTPFields, rhs: HTTPFields) -> Bool {
        lhs.elementsEqual(rhs)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for field in self { hasher.combine(field) }
    }

    // MARK: Internal

    static func namesMatch(_ bytes: ArraySlice<UInt8>, _ name: String) -> Bool {
        let utf8 = name.utf8
        guard bytes.count == utf8.count else { return false }
        return zip(bytes, utf8).allSatisfy {
            HTTPSyntax.lowercased($0) == HTTPSyntax.lowercased($1)
        }
    }

    /// Calls `body` with each element of a comma-separated list value, trimmed; empty
    /// elements included when `includeEmpty` is set.
    static func forEachListElement(
        _ value: ArraySlice<UInt8>, includeEmpty: Bool = false,
        _ body: (ArraySlice<UInt8>) -> Void
    ) {
        var start = value.startIndex
        var index = value.startIndex
        var inQuotes = false
        var escaped = false
        func emit(_ end: Int) {
            var lower = start
            var upper = end
            while lower < upper, HTTPSyntax.isWhitespace(value[lower]) { lower += 1 }
            while upper > lower, HTTPSyntax.isWhitespace(value[upper - 1]) { upper -= 1 }
            if includeEmpty || lower < upper { body(value[lower..<upper]) }
        }
        while index < value.endIndex {
            let byte = value[index]
            if escaped {
                escaped = false
            } else if inQuotes {
                if byte == HTTPSyntax.backslash {
                    escaped = true
                } else if byte == HTTPSyntax.quote {
                    inQuotes = false
                }
            } else if byte == HTTPSyntax.quote {
                inQuotes = true
            } else if byte == HTTPSyntax.comma {
                emit(index)
                start = index + 1
            }
            index += 1
        }
        emit(value.endIndex)
    }
}

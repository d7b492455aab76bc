/// Writes ``JSONValue``s as UTF-8 JSON text.
///
/// Numbers are written with the exact text they carry and object members in their order,
/// so parsing and serializing compactly gives back the input minus its white space.
/// Strings escape only what RFC 8259 requires (`"`, `\` and control characters); other
/// characters are written as UTF-8.
public struct JSONSerializer: Sendable {
    /// How to lay out the text.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Two-space indentation and a newline after each element.
        public static let prettyPrinted = Options(rawValue: 1 << 0)
        /// Object members ordered by the UTF-8 bytes of their keys instead of as written.
        public static let sortedKeys = Options(rawValue: 1 << 1)
    }

    /// The layout options.
    public var options: Options

    /// Creates a serializer.
    ///
    /// - Parameter options: the layout; compact by default.
    public init(options: Options = []) {
        self.options = options
    }

    /// Serializes a value.
    ///
    /// - Parameter value: the value to write.
    /// - Returns: its UTF-8 JSON text.
    public func serialize(_ value: JSONValue) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        append(value, to: &output)
        return output
    }

    /// Appends the JSON text of a value to a buffer.
    ///
    /// - Parameters:
    ///   - value: the value to write.
    ///   - output: the buffer to append to.
    public func append(_ value: JSONValue, to output: inout [UInt8]) {
        write(value, to: &output, indent: 0)
    }

    private func write(_ value: JSONValue, to output: inout [UInt8], indent: Int) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case .bool(let flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .number(let number): output.append(contentsOf: number.text.utf8)
        case .string(let string): Self.appendString(string, to: &output)
        case .array(let elements):
            guard !elements.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(&output, indent: indent + 1)
                write(element, to: &output, indent: indent + 1)
            }
            newline(&output, indent: indent)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            guard !object.isEmpty else {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            var members = object.members
            if options.contains(.sortedKeys) {
                members.sort { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            }
            for (position, member) in members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(&output, indent: indent + 1)
                Self.appendString(member.key, to: &output)
                output.append(UInt8(ascii: ":"))
                if options.contains(.prettyPrinted) { output.append(UInt8(ascii: " ")) }
                write(member.value, to: &output, indent: indent + 1)
            }
            newline(&output, indent: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private func newline(_ output: inout [UInt8], indent: Int) {
        guard options.contains(.prettyPrinted) else { return }
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    /// Appends a string literal with the escapes RFC 8259 requires.
    ///
    /// - Parameters:
    ///   - string: the string's content.
    ///   - output: the buffer to append the quoted, escaped string to.
    public static func appendString(_ string: String, to output: inout [UInt8]) {
        var string = string
        output.append(UInt8(ascii: "\""))
        let plain = string.withUTF8 { utf8 in
            for byte in utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C { return false }
            output.append(contentsOf: utf8)
            return true
        }
        if plain {
            output.append(UInt8(ascii: "\""))
            return
        }
        for byte in string.utf8 {
            switch byte {
            case 0x22: output.append(contentsOf: [0x5C, 0x22])
            case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: output.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: output.append(contentsOf: [0x5C, 0x72])
            case 0x09: output.append(contentsOf: [0x5C, 0x74])
            case 0x08: output.append(contentsOf: [0x5C, 0x62])
            case 0x0C: output.append(contentsOf: [0x5C, 0x66])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                output.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
            default: output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

extension JSONValue {
    /// The compact JSON text of this value, as UTF-8 bytes.
    public var serialized: [UInt8] { JSONSerializer().serialize(self) }

    /// The JSON text of this value.
    ///
    /// - Parameter options: the layout; compact by default.
    /// - Returns: the text.
    public func jsonText(options: JSONSerializer.Options = []) -> String {
        String(decoding: JSONSerializer(options: options).serialize(self), as: UTF8.self)
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of this value.
    public var description: String { jsonText() }
}

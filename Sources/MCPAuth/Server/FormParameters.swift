/// The parameters of an `application/x-www-form-urlencoded` body or a query string, as
/// OAuth reads them (RFC 6749 §3.1): each at most once, an empty value the same as none.
struct FormParameters: Sendable {
    private(set) var values: [String: String] = [:]

    /// Parses parameters.
    ///
    /// - Parameters:
    ///   - bytes: the body or the query string, without `?`.
    ///   - maximumCount: the most parameters accepted.
    /// - Throws: ``OAuthError`` with ``OAuthError/Code/invalidRequest`` for a repeated
    ///   parameter, a malformed escape, text that is not UTF-8, or too many parameters.
    init(parsing bytes: some Collection<UInt8>, maximumCount: Int = 64) throws(OAuthError) {
        var count = 0
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            count += 1
            guard count <= maximumCount else { throw OAuthError(.invalidRequest, "too many parameters") }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            guard !name.isEmpty else { continue }
            guard values[name] == nil else {
                throw OAuthError(.invalidRequest, "the parameter \(Self.printable(name)) is repeated")
            }
            values[name] = value
        }
    }

    /// The value of a parameter; `nil` when absent or empty.
    subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// Percent-decodes one name or value, `+` standing for a space.
    static func decode(_ bytes: some Collection<UInt8>) throws(OAuthError) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                let first = bytes.index(after: index)
                guard first != bytes.endIndex, bytes.index(after: first) != bytes.endIndex,
                    let high = hex(bytes[first]), let low = hex(bytes[bytes.index(after: first)])
                else { throw OAuthError(.invalidRequest, "a parameter has a malformed percent escape") }
                output.append(high << 4 | low)
                index = bytes.index(first, offsetBy: 2)
                continue
            }
            output.append(byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
            index = bytes.index(after: index)
        }
        guard let text = String(validating: output, as: UTF8.self) else {
            throw OAuthError(.invalidRequest, "a parameter is not UTF-8")
        }
        return text
    }

    /// Percent-encodes a value for a query string or a form body.
    static func encode(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output +=
                    "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return output
    }

    /// A name cut short and stripped of odd characters, for an error message.
    static func printable(_ name: String) -> String {
        String(name.unicodeScalars.prefix(40).filter { $0.isASCII && $0.value >= 0x20 }.map(Character.init))
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

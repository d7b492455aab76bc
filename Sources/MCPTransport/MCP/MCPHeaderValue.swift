internal import MCPCrypto

/// The value encoding of MCP's HTTP headers (`Mcp-Name`, `Mcp-Param-*`) in 2026-07-28.
///
/// A value of printable ASCII with no surrounding white space travels as it is; anything
/// else (non-ASCII, control characters, leading or trailing spaces, or text that itself
/// looks like the wrapper) travels as `=?base64?<Base64 of its UTF-8>?=`.
public enum MCPHeaderValue {
    private static let prefix = "=?base64?"
    private static let suffix = "?="

    /// Encodes a value for a header.
    ///
    /// - Parameter value: the value as it appears in the JSON body.
    /// - Returns: the header value.
    public static func encode(_ value: String) -> String {
        let plain =
            value.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
            && value.utf8.first != 0x20 && value.utf8.last != 0x20
            && !(value.hasPrefix(prefix) && value.hasSuffix(suffix))
        return plain ? value : prefix + Base64.encode(value.utf8) + suffix
    }

    /// Decodes a header value.
    ///
    /// - Parameter header: the header value as received.
    /// - Returns: the value, or `nil` when it has the wrapper but its payload is not valid
    ///   Base64 of UTF-8 text (which the server must refuse).
    public static func decode(_ header: String) -> String? {
        guard header.hasPrefix(prefix), header.hasSuffix(suffix), header.utf8.count >= prefix.utf8.count + suffix.utf8.count
        else { return header }
        let payload = header.utf8.dropFirst(prefix.utf8.count).dropLast(suffix.utf8.count)
        guard let bytes = try? Base64.decode(utf8: payload) else { return nil }
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var text = String.UnicodeScalarView()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): text.append(scalar)
            case .emptyInput: return String(text)
            case .error: return nil
            }
        }
    }
}

public import MCPCore

/// The check that HTTP headers mirroring a 2026-07-28 request agree with its body.
///
/// Intermediaries may route or authorize on `Mcp-Method`, `Mcp-Name` and `Mcp-Param-*`
/// without reading the body, so a server that reads the body must refuse any disagreement:
/// otherwise a header could steer a request past a rule that the body then escapes. The
/// refusal is HTTP 400 with JSON-RPC error -32020 (HeaderMismatch).
public struct MCPRoutingHeaders: Sendable {
    /// Whether `Mcp-Method` (and `Mcp-Name` where the method has a name) must be present,
    /// as 2026-07-28 requires; when `false`, headers are checked only if present.
    public var requireHeaders: Bool

    /// Creates a check.
    ///
    /// - Parameter requireHeaders: whether the headers are mandatory (2026-07-28).
    public init(requireHeaders: Bool) {
        self.requireHeaders = requireHeaders
    }

    /// The body member that `Mcp-Name` mirrors for a method, if any.
    ///
    /// - Parameter method: the JSON-RPC method.
    /// - Returns: `name` for tools and prompts, `uri` for resource reads and
    ///   subscriptions, `nil` for methods without a name.
    public static func nameMember(for method: String) -> String? {
        switch method {
        case "tools/call", "prompts/get": "name"
        case "resources/read", "resources/subscribe", "resources/unsubscribe": "uri"
        default: nil
        }
    }

    /// Checks the headers of a request or notification against its body.
    ///
    /// - Parameters:
    ///   - fields: the HTTP header fields.
    ///   - envelope: the message from the body.
    ///   - parameterHeaders: for `tools/call`, the tool's header-mirrored parameters:
    ///     header suffix (as in `Mcp-Param-<suffix>`) to argument name, from the tool's
    ///     `x-mcp-header` annotations.
    /// - Returns: `nil` when they agree, otherwise the -32020 error to answer with.
    public func check(
        _ fields: HTTPFields, against envelope: MessageEnvelope, parameterHeaders: [String: String] = [:]
    ) -> JSONRPCError? {
        guard let method = envelope.method else { return nil }
        let methodHeaders = fields.values(named: "Mcp-Method")
        if methodHeaders.count > 1 { return mismatch("Mcp-Method header is repeated") }
        if let header = methodHeaders.first {
            guard header == method else { return mismatch("Mcp-Method header does not match the body's method") }
        } else if requireHeaders {
            return mismatch("Mcp-Method header is missing")
        }

        if let member = Self.nameMember(for: method) {
            let body = member == "name" ? envelope.name : envelope.uri
            let nameHeaders = fields.values(named: "Mcp-Name")
            if nameHeaders.count > 1 { return mismatch("Mcp-Name header is repeated") }
            if let header = nameHeaders.first {
                guard let decoded = MCPHeaderValue.decode(header) else {
                    return mismatch("Mcp-Name header has an invalid Base64 value")
                }
                guard decoded == body else { return mismatch("Mcp-Name header does not match the body's \(member)") }
            } else if requireHeaders, body != nil {
                return mismatch("Mcp-Name header is missing")
            }
        } else if fields.contains(named: "Mcp-Name") {
            return mismatch("Mcp-Name header is not allowed for \(method)")
        }

        guard !parameterHeaders.isEmpty else { return nil }
        let arguments = envelope.decodeParams()?["arguments"]?.objectValue ?? [:]
        for (suffix, argument) in parameterHeaders.sorted(by: { $0.key < $1.key }) {
            let headerName = "Mcp-Param-" + suffix
            let headers = fields.values(named: headerName)
            if headers.count > 1 { return mismatch("\(headerName) header is repeated") }
            let value = arguments[argument]
            guard let value, !value.isNull else {
                // The server must not expect a header for an absent or null argument.
                continue
            }
            guard let header = headers.first else { return mismatch("\(headerName) header is missing") }
            guard let decoded = MCPHeaderValue.decode(header) else {
                return mismatch("\(headerName) header has an invalid Base64 value")
            }
            guard Self.matches(decoded, value) else {
                return mismatch("\(headerName) header does not match the argument")
            }
        }
        return nil
    }

    /// Whether a header's text denotes the same value as a string, integer or boolean
    /// argument; integers compare by value (`42` and `42.0` agree).
    private static func matches(_ header: String, _ value: JSONValue) -> Bool {
        switch value {
        case .string(let string): return header == string
        case .bool(let flag): return header == (flag ? "true" : "false")
        case .number(let number):
            guard let headerNumber = JSONNumber(text: header) else { return false }
            return headerNumber == number
        default: return false
        }
    }

    private func mismatch(_ message: String) -> JSONRPCError {
        JSONRPCError(code: .headerMismatch, message: "Header mismatch: \(message)")
    }
}

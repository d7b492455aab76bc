public import MCPCore

/// Inspects tool definitions (and server instructions) for poisoning: every string in
/// the definition goes through the scanner in the tool-definition direction, and the
/// checks that need the definition's structure run on top: mentions of other servers'
/// tools, parameters with suspicious names, hidden text.
///
/// Findings carry the JSON path of the string (such as
/// `$.inputSchema.properties.query.description`) and offsets within it.
public struct ToolDefinitionInspector: Sendable {
    private let inspector: Inspector

    /// Parameter names (lowercased, without `_` and `-`) that ask for a side channel or
    /// for secrets.
    public static let suspiciousParameterNames = [
        "sidenote", "notetoself", "hiddennote", "internalnote", "instructions", "systemprompt", "password", "secret",
        "token", "apikey", "credential", "privatekey", "ssh", "mcpconfig",
    ]

    /// The longest run of whitespace that is not reported as padding.
    public static let maximumWhitespaceRun = 40

    /// Creates an inspector of tool definitions.
    ///
    /// - Parameter inspector: The inspector whose rules, options (known tool names) and
    ///   key are used.
    public init(inspector: Inspector) {
        self.inspector = inspector
    }

    /// Inspects one tool definition.
    ///
    /// - Parameters:
    ///   - tool: A tool definition from a `tools/list` result.
    ///   - path: The JSON path of the definition, for the findings.
    /// - Returns: The findings, in document order.
    public func inspect(tool: JSONValue, path: String = "$") -> [Finding] {
        var findings: [Finding] = []
        let ownName = tool["name"]?.stringValue
        walk(tool, path: path, ownName: ownName, inSchemaProperties: false, into: &findings)
        return findings
    }

    /// Inspects a server's instructions.
    ///
    /// - Parameter serverInstructions: The `instructions` of an initialize or discover result.
    /// - Returns: The findings.
    public func inspect(serverInstructions: String) -> [Finding] {
        var findings: [Finding] = []
        inspect(string: serverInstructions, path: "$.instructions", ownName: nil, into: &findings)
        return findings
    }

    private func walk(
        _ value: JSONValue, path: String, ownName: String?, inSchemaProperties: Bool, into findings: inout [Finding]
    ) {
        switch value {
        case .string(let text):
            inspect(string: text, path: path, ownName: ownName, into: &findings)
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                walk(element, path: "\(path)[\(index)]", ownName: ownName, inSchemaProperties: false, into: &findings)
            }
        case .object(let object):
            for (key, member) in object {
                let memberPath = "\(path).\(key)"
                if inSchemaProperties {
                    inspect(string: key, path: memberPath, ownName: ownName, into: &findings)
                    let normalized = String(key.lowercased().filter { $0 != "_" && $0 != "-" })
                    if Self.suspiciousParameterNames.contains(where: { normalized.contains($0) }) {
                        add(
                            .suspiciousParameter, path: memberPath, offset: 0, length: key.utf8.count, key,
                            into: &findings)
                    }
                }
                walk(
                    member, path: memberPath, ownName: ownName, inSchemaProperties: key == "properties", into: &findings
                )
            }
        default:
            break
        }
    }

    private func inspect(string: String, path: String, ownName: String?, into findings: inout [Finding]) {
        let bytes = Array(string.utf8)
        var scanner = inspector.makeScanner(direction: .toolDefinition, mode: .plainText)
        var output = scanner.feed(bytes)
        output.findings += scanner.finish().findings
        for var finding in output.findings {
            finding.location.jsonPath = path
            findings.append(finding)
        }
        for name in inspector.options.knownToolNames where name != ownName && !name.isEmpty {
            if let offset = wordOffset(of: Array(name.utf8), in: bytes) {
                add(.toolMention, path: path, offset: offset, length: name.utf8.count, name, into: &findings)
            }
        }
        if let offset = wordOffset(of: Array("<!--".utf8), in: bytes, wholeWord: false) {
            add(.hiddenText, path: path, offset: offset, length: 4, "<!--", into: &findings)
        }
        var run = 0
        for (index, byte) in bytes.enumerated() {
            run = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D ? run + 1 : 0
            if run == Self.maximumWhitespaceRun + 1 {
                let start = index + 1 - run
                add(
                    .hiddenText, path: path, offset: start, length: run,
                    String(decoding: bytes[start...index], as: UTF8.self), into: &findings)
            }
        }
    }

    private func add(
        _ detector: DetectorID, path: String, offset: Int, length: Int, _ matched: String,
        into findings: inout [Finding]
    ) {
        guard let action = inspector.rules.action(for: detector, in: .toolDefinition) else { return }
        findings.append(
            Finding(
                detector: detector, location: Finding.Location(byteOffset: offset, byteLength: length, jsonPath: path),
                direction: .toolDefinition, fingerprint: inspector.fingerprint(of: Array(matched.utf8)), action: action)
        )
    }

    /// The offset of the first occurrence of `needle` in `text` that is not part of a
    /// longer identifier.
    private func wordOffset(of needle: [UInt8], in text: [UInt8], wholeWord: Bool = true) -> Int? {
        guard !needle.isEmpty, text.count >= needle.count else { return nil }
        func isIdentifier(_ byte: UInt8) -> Bool { byte.isASCIILetterOrDigit || byte == 0x5F || byte == 0x2D }
        for start in 0...(text.count - needle.count) where text[start] == needle[0] {
            guard text[start..<(start + needle.count)].elementsEqual(needle) else { continue }
            if !wholeWord { return start }
            let end = start + needle.count
            if (start == 0 || !isIdentifier(text[start - 1])) && (end == text.count || !isIdentifier(text[end])) {
                return start
            }
        }
        return nil
    }
}

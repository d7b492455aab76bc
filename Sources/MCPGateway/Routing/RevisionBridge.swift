import MCPCore

/// What changes in a message between a client of one protocol era and an upstream of
/// another, as far as the gateway bridges them today:
///
/// - A 2026-07-28 client gets results in its form: `resultType` (`complete`), and for
///   lists `ttlMs` and `cacheScope` (`private`: what the gateway lists depends on who asks).
/// - A legacy-era upstream does not get the 2026-07-28 `_meta` keys
///   (`io.modelcontextprotocol/...`) that describe the client on every request; the
///   gateway's own session with it already says who the client is.
/// - A legacy-era client does not get those 2026-07-28 result members.
enum RevisionBridge {
    /// The `_meta` keys a 2026-07-28 client sends with every request.
    static let modernRequestMetaPrefix = "io.modelcontextprotocol/"

    /// The list methods whose 2026-07-28 results carry `ttlMs` and `cacheScope`.
    static let listMethods: Set<String> = ["tools/list", "prompts/list", "resources/list", "resources/templates/list"]

    static let outputSchemaKey = Array(#""outputSchema""#.utf8)
    static let structuredContentKey = Array(#""structuredContent""#.utf8)

    /// The 2026-07-28 result members, as they appear in JSON text.
    static let modernResultKeys = [Array(#""resultType""#.utf8), Array(#""ttlMs""#.utf8), Array(#""cacheScope""#.utf8)]

    /// A request as a 2026-07-28 upstream should see it: `_meta` says, on every request,
    /// which revision the gateway speaks, who it is and what it can be asked (it keeps any
    /// other `_meta` member, such as a progress token).
    ///
    /// - Parameters:
    ///   - message: the request.
    ///   - clientCapabilities: what the client behind the request can be asked (the
    ///     gateway passes input requests on to it); the gateway's own requests say what any
    ///     client might answer.
    static func requestForModernUpstream(_ message: MessageEnvelope, clientCapabilities: JSONObject?) -> MessageEnvelope
    {
        var meta = message.decodeMeta()?.objectValue ?? [:]
        meta[MCPMetaKey.protocolVersion] = .string(ProtocolRevision.v2026_07_28.rawValue)
        meta[MCPMetaKey.clientInfo] = ["name": "mcp-gateway", "version": .string(GatewayVersion.current)]
        meta[MCPMetaKey.clientCapabilities] = .object(
            clientCapabilities ?? ["sampling": [:], "elicitation": ["form": [:]], "roots": [:]])
        return (try? MessageEnvelope(parsing: message.replacingMeta(with: meta))) ?? message
    }

    /// A request as a legacy-era upstream should see it.
    static func requestForLegacyUpstream(_ message: MessageEnvelope) -> MessageEnvelope {
        guard let metaBytes = message.metaBytes, metaBytes.count > modernRequestMetaPrefix.utf8.count,
            containsModernKey(metaBytes), var meta = message.decodeMeta()?.objectValue
        else { return message }
        meta = JSONObject(meta.filter { !$0.key.hasPrefix(modernRequestMetaPrefix) }.map { ($0.key, $0.value) })
        return (try? MessageEnvelope(parsing: message.replacingMeta(with: meta.isEmpty ? nil : meta))) ?? message
    }

    /// A response as a client of `revision` should see it, for a request of `method`.
    static func response(_ response: MessageEnvelope, for method: String, clientRevision revision: ProtocolRevision)
        -> MessageEnvelope
    {
        guard response.kind == .response, let resultRange = response.resultRange else { return response }
        let modern = revision == .v2026_07_28
        let isList = listMethods.contains(method)
        let structured = revision.features.hasStructuredToolOutput
        let resultBytes = response.bytes[resultRange]
        // A legacy-era client needs a change only when a member it lacks is there at all.
        if !modern, !modernResultKeys.contains(where: { resultBytes.containsBytes($0) }),
            structured
                || !(resultBytes.containsBytes(outputSchemaKey) || resultBytes.containsBytes(structuredContentKey))
        {
            return response
        }
        if modern, !modernResultKeys.contains(where: { resultBytes.containsBytes($0) }),
            resultBytes.first == UInt8(ascii: "{")
        {
            // None of the members is there at all: they go in right after the `{`, and no
            // other byte of the result changes.
            var members = Array(#""resultType":"complete""#.utf8)
            if isList { members += Array(#","ttlMs":0,"cacheScope":"private""#.utf8) }
            let isEmpty = resultBytes.dropFirst().first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) } == UInt8(ascii: "}")
            if !isEmpty { members.append(UInt8(ascii: ",")) }
            var bytes = Array(response.bytes[..<(resultRange.lowerBound + 1)])
            bytes += members
            bytes += response.bytes[(resultRange.lowerBound + 1)...]
            if let spliced = try? MessageEnvelope(parsing: bytes) { return spliced }
        }
        guard var result = response.decodeResult()?.objectValue else { return response }
        var changed = false
        if modern {
            if result["resultType"] == nil {
                result["resultType"] = "complete"
                changed = true
            }
            if isList, result["ttlMs"] == nil {
                result["ttlMs"] = 0
                changed = true
            }
            if isList, result["cacheScope"] == nil {
                result["cacheScope"] = "private"
                changed = true
            }
        } else {
            for key in ["resultType", "ttlMs", "cacheScope"] where result[key] != nil {
                result = JSONObject(result.filter { $0.key != key }.map { ($0.key, $0.value) })
                changed = true
            }
        }
        if !structured {
            // Before 2025-06-18 tools have no output schema (a client would wait for
            // structured content) and results carry none.
            if method == "tools/call", result["structuredContent"] != nil {
                result = JSONObject(result.filter { $0.key != "structuredContent" }.map { ($0.key, $0.value) })
                changed = true
            }
            if method == "tools/list", let tools = result["tools"]?.arrayValue {
                result["tools"] = .array(
                    tools.map { tool in
                        guard let object = tool.objectValue, object["outputSchema"] != nil else { return tool }
                        return .object(
                            JSONObject(object.filter { $0.key != "outputSchema" }.map { ($0.key, $0.value) }))
                    })
                changed = true
            }
        }
        guard changed else { return response }
        var bytes = Array(response.bytes[..<resultRange.lowerBound])
        bytes += JSONValue.object(result).serialized
        bytes += response.bytes[resultRange.upperBound...]
        return (try? MessageEnvelope(parsing: bytes)) ?? response
    }

    private static func containsModernKey(_ bytes: ArraySlice<UInt8>) -> Bool {
        bytes.containsBytes(Array(modernRequestMetaPrefix.utf8))
    }
}

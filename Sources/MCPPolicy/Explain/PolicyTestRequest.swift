import MCPCore

/// A request file for `gatewayd policy test --request FILE`: one request and the time to
/// decide it at.
///
/// ```json
/// {
///   "principal": { "subject": "alice", "organization": "acme", "teams": ["payments"],
///                  "agent": "claude-desktop", "scopes": ["repo:read"] },
///   "connection": "c-17",
///   "upstream": "github",
///   "kind": "toolCall",
///   "name": "delete_repo",
///   "annotations": { "readOnlyHint": false, "destructiveHint": true },
///   "arguments": { "repo": "prod-api" },
///   "facts": ["untrusted-content"],
///   "readOnly": false,
///   "time": "2026-11-25T10:00:00Z"
/// }
/// ```
///
/// `principal.subject`, `principal.organization`, `upstream` and `kind` are required;
/// `name` is required except for sampling and elicitation; `time` defaults to the moment
/// the file is read.
public struct PolicyTestRequest: Sendable {
    /// The request.
    public let request: PolicyRequest
    /// The time of the file, if it gives one.
    public let time: PolicyTime?

    /// Reads a request file.
    ///
    /// - Parameters:
    ///   - bytes: the UTF-8 JSON text.
    ///   - limits: bounds on the file (its size and nesting).
    /// - Throws: ``PolicyError`` with the key path of the first problem.
    public init(parsing bytes: [UInt8], limits: PolicyLimits = .default) throws(PolicyError) {
        let value: JSONValue
        do {
            value = try JSONParser(limits: limits.jsonLimits).parse(bytes)
        } catch {
            throw PolicyError(
                .invalidJSON, at: "", "the request is not valid JSON: \(error.code) at byte \(error.offset)")
        }
        let root = try ObjectReader(
            value, at: "",
            allowed: [
                "principal", "connection", "upstream", "kind", "name", "annotations", "arguments", "facts", "readOnly",
                "time",
            ])
        guard let principalValue = root.value("principal") else {
            throw PolicyError(.missingKey, at: "principal", "this key is required")
        }
        let principalReader = try ObjectReader(
            principalValue, at: "principal", allowed: ["subject", "organization", "teams", "agent", "scopes"])
        let principal = PolicyPrincipal(
            subject: try principalReader.requiredString("subject"),
            organization: try principalReader.requiredString("organization"),
            teams: try principalReader.strings("teams", maxCount: limits.maxListItems, allowingEmpty: true) ?? [],
            agent: try principalReader.string("agent"),
            scopes: try principalReader.strings("scopes", maxCount: limits.maxListItems, allowingEmpty: true) ?? [])
        let kindName = try root.requiredString("kind")
        guard let kind = OperationKind(rawValue: kindName) else {
            throw PolicyError(
                .invalidValue, at: "kind", "a kind is toolCall, resourceRead, promptGet, sampling or elicitation")
        }
        let name = try root.string("name")
        if name == nil, kind != .sampling, kind != .elicitation {
            throw PolicyError(.missingKey, at: "name", "this kind of request names its tool, resource or prompt")
        }
        var annotations = ToolAnnotations()
        if let entry = root.value("annotations") {
            let reader = try ObjectReader(
                entry, at: "annotations",
                allowed: ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"])
            annotations = ToolAnnotations(
                readOnlyHint: try reader.bool("readOnlyHint"), destructiveHint: try reader.bool("destructiveHint"),
                idempotentHint: try reader.bool("idempotentHint"), openWorldHint: try reader.bool("openWorldHint"))
        }
        var time: PolicyTime?
        if let entry = root.value("time") {
            switch entry {
            case .string(let text):
                guard let parsed = PolicyTime(rfc3339: text) else {
                    throw PolicyError(.invalidValue, at: "time", "a time is an RFC 3339 date-time or Unix seconds")
                }
                time = parsed
            case .number(let number):
                guard let seconds = number.int64Value, abs(seconds) < 1 << 40 else {
                    throw PolicyError(.invalidValue, at: "time", "a time is an RFC 3339 date-time or Unix seconds")
                }
                time = PolicyTime(unixSeconds: seconds)
            default:
                throw PolicyError(.typeMismatch, at: "time", "expected a string or a number, found \(entry.kindName)")
            }
        }
        request = PolicyRequest(
            principal: principal, connection: try root.string("connection"),
            upstream: try root.requiredString("upstream"),
            kind: kind, name: name ?? "", annotations: annotations, arguments: root.value("arguments") ?? .null,
            facts: Set(try root.strings("facts", maxCount: limits.maxListItems, allowingEmpty: true) ?? []),
            readOnly: try root.bool("readOnly") ?? false)
        self.time = time
    }
}

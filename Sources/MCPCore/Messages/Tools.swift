/// A tool a server offers to call.
public struct Tool: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The programmatic name.
    public var name: String
    /// A name for people (2025-06-18 and later; see also ``ToolAnnotations/title``).
    public var title: String?
    /// What the tool does, for the model.
    public var description: String?
    /// The JSON Schema of the arguments: an object schema, kept as written.
    public var inputSchema: JSONValue
    /// The JSON Schema of ``CallToolResult/structuredContent`` (2025-06-18 and later; an
    /// object schema until 2025-11-25, any schema in 2026-07-28), kept as written.
    public var outputSchema: JSONValue?
    /// Hints about the tool's behaviour (2025-03-26 and later); untrusted.
    public var annotations: ToolAnnotations?
    /// Icons to show for it (2025-11-25 and later).
    public var icons: [Icon]?
    /// How the tool runs as a task (2025-11-25).
    public var execution: ToolExecution?
    /// The `_meta` object (2025-06-18 and later).
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case name, title, description, inputSchema, outputSchema, annotations, icons, execution
        case meta = "_meta"
    }

    /// Creates a tool description.
    ///
    /// - Parameters:
    ///   - name: the programmatic name.
    ///   - inputSchema: the JSON Schema of the arguments; an empty object schema by default.
    public init(
        name: String, title: String? = nil, description: String? = nil,
        inputSchema: JSONValue = ["type": "object"], outputSchema: JSONValue? = nil,
        annotations: ToolAnnotations? = nil, icons: [Icon]? = nil, execution: ToolExecution? = nil,
        meta: JSONObject? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.inputSchema = inputSchema
        self.outputSchema = outputSchema
        self.annotations = annotations
        self.icons = icons
        self.execution = execution
        self.meta = meta
    }
}

/// Hints about a tool's behaviour (2025-03-26 and later).
///
/// They are hints from the server, not guarantees: a client or gateway must not trust them
/// from a server it does not trust. A missing hint has the documented default, which the
/// `is...` properties apply: not read-only, destructive, not idempotent, open-world.
public struct ToolAnnotations: Codable, Sendable, Hashable {
    /// A name for people.
    public var title: String?
    /// Whether the tool changes nothing in its environment. Default `false`.
    public var readOnlyHint: Bool?
    /// Whether the tool may destroy or overwrite (meaningful when not read-only).
    /// Default `true`.
    public var destructiveHint: Bool?
    /// Whether calling it again with the same arguments has no further effect
    /// (meaningful when not read-only). Default `false`.
    public var idempotentHint: Bool?
    /// Whether the tool reaches an open world of entities (the web) rather than a closed
    /// domain. Default `true`.
    public var openWorldHint: Bool?

    /// Creates annotations.
    public init(
        title: String? = nil, readOnlyHint: Bool? = nil, destructiveHint: Bool? = nil,
        idempotentHint: Bool? = nil, openWorldHint: Bool? = nil
    ) {
        self.title = title
        self.readOnlyHint = readOnlyHint
        self.destructiveHint = destructiveHint
        self.idempotentHint = idempotentHint
        self.openWorldHint = openWorldHint
    }

    /// ``readOnlyHint`` with its default, `false`.
    public var isReadOnly: Bool { readOnlyHint ?? false }
    /// ``destructiveHint`` with its default, `true`; always `false` for a read-only tool.
    public var isDestructive: Bool { !isReadOnly && (destructiveHint ?? true) }
    /// ``idempotentHint`` with its default, `false`; always `true` for a read-only tool.
    public var isIdempotent: Bool { isReadOnly || (idempotentHint ?? false) }
    /// ``openWorldHint`` with its default, `true`.
    public var isOpenWorld: Bool { openWorldHint ?? true }
}

/// Whether a tool may, must or must not be called as a task (2025-11-25).
public struct TaskSupport: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `forbidden`: never as a task; the default.
    public static let forbidden = TaskSupport(rawValue: "forbidden")
    /// `optional`: with or without a task.
    public static let optional = TaskSupport(rawValue: "optional")
    /// `required`: only as a task.
    public static let required = TaskSupport(rawValue: "required")
}

/// How a tool runs (2025-11-25).
public struct ToolExecution: Codable, Sendable, Hashable {
    /// Whether it may be called as a task; `forbidden` when absent.
    public var taskSupport: TaskSupport?

    /// Creates the execution description.
    public init(taskSupport: TaskSupport? = nil) {
        self.taskSupport = taskSupport
    }
}

// MARK: - tools/list

/// `tools/list`: a page of the server's tools.
public enum ListTools: MCPMethod {
    /// `tools/list`.
    public static let name = "tools/list"
    /// Optional in the legacy era; required (for `_meta`) in 2026-07-28.
    public typealias Params = PaginatedRequestParams?
    /// The page.
    public typealias Result = ListToolsResult
}

/// The result of `tools/list`.
public struct ListToolsResult: MCPCacheableResult, MCPMetaCarrying {
    /// The tools of this page.
    public var tools: [Tool]
    /// The cursor of the next page, or `nil` on the last page.
    public var nextCursor: String?
    /// `complete` in 2026-07-28.
    public var resultType: ResultType?
    /// How long the result may be reused, in milliseconds (2026-07-28).
    public var ttlMs: Int?
    /// Who may share a cached copy (2026-07-28).
    public var cacheScope: CacheScope?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, tools, nextCursor, ttlMs, cacheScope
        case meta = "_meta"
    }

    /// Creates a page of tools.
    public init(
        tools: [Tool], nextCursor: String? = nil, resultType: ResultType? = nil, ttlMs: Int? = nil,
        cacheScope: CacheScope? = nil, meta: JSONObject? = nil
    ) {
        self.tools = tools
        self.nextCursor = nextCursor
        self.resultType = resultType
        self.ttlMs = ttlMs
        self.cacheScope = cacheScope
        self.meta = meta
    }
}

// MARK: - tools/call

/// `tools/call`: calls a tool. In 2025-11-25 a task-augmented call answers with a
/// ``CreateTaskResult``; in 2026-07-28 the server may answer with an
/// ``InputRequiredResult`` first.
public enum CallTool: MCPMethod {
    /// `tools/call`.
    public static let name = "tools/call"
    /// The tool and its arguments.
    public typealias Params = CallToolRequestParams
    /// The tool's result, a task, or a request for input.
    public typealias Result = CompletableResult<CallToolResult>
}

/// The parameters of `tools/call`.
public struct CallToolRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The tool's name.
    public var name: String
    /// The arguments, as written.
    public var arguments: JSONObject?
    /// Run the call as a task with these settings (2025-11-25).
    public var task: TaskMetadata?
    /// The answers to the server's ``InputRequiredResult/inputRequests``, on a retry
    /// (2026-07-28).
    public var inputResponses: InputResponses?
    /// The ``InputRequiredResult/requestState`` echoed on a retry (2026-07-28).
    public var requestState: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case name, arguments, task, inputResponses, requestState
    }

    /// Creates the parameters.
    public init(
        name: String, arguments: JSONObject? = nil, task: TaskMetadata? = nil,
        inputResponses: InputResponses? = nil, requestState: String? = nil, meta: JSONObject? = nil
    ) {
        self.name = name
        self.arguments = arguments
        self.task = task
        self.inputResponses = inputResponses
        self.requestState = requestState
        self.meta = meta
    }
}

/// The result of a tool call.
///
/// A tool that fails reports it here with ``isError`` so the model can see it; an unknown
/// tool or a server failure is a JSON-RPC error instead. From 2025-11-25 invalid arguments
/// are reported as `isError` results as well.
public struct CallToolResult: MCPTypedResult, MCPMetaCarrying {
    /// The unstructured result.
    public var content: [ContentBlock]
    /// The structured result (2025-06-18 and later): an object until 2025-11-25, any JSON
    /// value in 2026-07-28; it matches the tool's output schema when one is declared.
    public var structuredContent: JSONValue?
    /// Whether the call failed; `false` when absent.
    public var isError: Bool?
    /// `complete` in 2026-07-28.
    public var resultType: ResultType?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, content, structuredContent, isError
        case meta = "_meta"
    }

    /// Creates a tool result.
    public init(
        content: [ContentBlock], structuredContent: JSONValue? = nil, isError: Bool? = nil,
        resultType: ResultType? = nil, meta: JSONObject? = nil
    ) {
        self.content = content
        self.structuredContent = structuredContent
        self.isError = isError
        self.resultType = resultType
        self.meta = meta
    }
}

/// `notifications/tools/list_changed`: the tool list changed.
public enum ToolListChangedNotification: MCPNotification {
    /// `notifications/tools/list_changed`.
    public static let name = "notifications/tools/list_changed"
    /// Optional; only `_meta`.
    public typealias Params = NotificationParams?
}

extension ListToolsResult {
    /// The result for a revision: its cache members as ``MCPCacheableResult`` says, and no
    /// `outputSchema` before 2025-06-18, where a client would expect structured content
    /// the revision cannot carry.
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    public func adapted(for revision: ProtocolRevision) -> ListToolsResult {
        var copy = adaptingCacheMembers(for: revision)
        if !revision.features.hasStructuredToolOutput {
            for index in copy.tools.indices { copy.tools[index].outputSchema = nil }
        }
        return copy
    }
}

extension CallToolResult {
    /// The result for a revision: `resultType` as ``MCPTypedResult`` says, and no
    /// `structuredContent` before 2025-06-18.
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    public func adapted(for revision: ProtocolRevision) -> CallToolResult {
        var copy = adaptingResultType(for: revision)
        if !revision.features.hasStructuredToolOutput { copy.structuredContent = nil }
        return copy
    }
}

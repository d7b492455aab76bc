@testable import MCPCore

/// One message or value built with the library's types and encoded for a revision, with
/// the schema definitions it must satisfy.
struct SchemaSample {
    /// A short name, used in the file name.
    var name: String
    /// The JSON a peer of the revision would receive.
    var value: JSONValue
    /// `(definition, JSON pointer)` pairs: the value at the pointer must validate against
    /// the definition.
    var checks: [(definition: String, pointer: String)]
    /// The method or notification name the sample carries, if any.
    var method: String?
}

/// Who sends a message, which picks the union definition it must also belong to.
enum Sender {
    case client, server
}

/// Builds the samples of one revision.
struct SampleSet {
    let revision: ProtocolRevision
    private(set) var samples: [SchemaSample] = []

    init(revision: ProtocolRevision) {
        self.revision = revision
    }

    /// Whether the revision is `since` or later.
    func has(_ since: ProtocolRevision) -> Bool { revision >= since }

    var isModern: Bool { revision == .v2026_07_28 }

    private var nextID: JSONRPCID { JSONRPCID(Int64(samples.count + 1)) }

    mutating func add(_ name: String, _ value: JSONValue, _ checks: [(String, String)], method: String? = nil) {
        samples.append(
            SchemaSample(name: name, value: value, checks: checks.map { (definition: $0.0, pointer: $0.1) }, method: method))
    }

    // MARK: Messages

    /// A request, checked against `JSONRPCRequest`, its own definition and the union of
    /// its sender's requests.
    mutating func request<M: MCPMethod>(
        _ method: M.Type, _ params: M.Params, definition: String, from sender: Sender = .client
    ) throws {
        let value = try MCPRequestMessage<M>(id: nextID, params: params).encodedJSON(for: revision)
        add(
            "request-\(M.name)", value,
            [("JSONRPCRequest", ""), (definition, ""), (sender == .client ? "ClientRequest" : "ServerRequest", "")],
            method: M.name)
    }

    /// A successful response, checked against the response envelope, the result's
    /// definition at `/result`, the union of its sender's results, and (2026-07-28) the
    /// method's `...ResultResponse` definition.
    mutating func result<M: MCPMethod>(
        _ method: M.Type, _ result: M.Result, definition: String, response: String? = nil, from sender: Sender = .server
    ) throws {
        let value = try MCPResultMessage<M>(id: nextID, result: result).encodedJSON(for: revision)
        var checks = [
            (has(.v2025_11_25) ? "JSONRPCResultResponse" : "JSONRPCResponse", ""),
            (definition, "/result"),
            (sender == .server ? "ServerResult" : "ClientResult", "/result"),
        ]
        if let response { checks.append((response, "")) }
        add("result-\(M.name)", value, checks)
    }

    /// A notification, checked against `JSONRPCNotification`, its own definition and the
    /// union of its sender's notifications.
    mutating func notification<N: MCPNotification>(
        _ kind: N.Type, _ params: N.Params, definition: String, from sender: Sender
    ) throws {
        let value = try MCPNotificationMessage<N>(params: params).encodedJSON(for: revision)
        add(
            "notification-\(N.name)", value,
            [
                ("JSONRPCNotification", ""), (definition, ""),
                (sender == .client ? "ClientNotification" : "ServerNotification", ""),
            ],
            method: N.name)
    }

    /// An error response, checked against the error envelope and any further definitions.
    mutating func error(_ name: String, _ message: MCPErrorMessage, definitions: [(String, String)] = []) throws {
        let value = try message.encodedJSON(for: revision)
        add("error-\(name)", value, [(has(.v2025_11_25) ? "JSONRPCErrorResponse" : "JSONRPCError", "")] + definitions)
    }

    /// A bare value, checked against one definition.
    mutating func value(_ name: String, _ value: some Encodable, definition: String) throws {
        add(name, try JSONValueEncoder().encode(value), [(definition, "")])
    }

    // MARK: Building blocks

    /// The `_meta` of a client request: the reserved keys in 2026-07-28, a progress token
    /// before.
    func requestMeta(progressToken: ProgressToken? = nil) throws -> JSONObject? {
        var meta = MCPMeta()
        if isModern {
            meta.protocolVersion = revision.rawValue
            try meta.setClientInfo(implementation("sample-client"))
            try meta.setClientCapabilities(clientCapabilities())
            meta.logLevel = .info
        }
        meta.progressToken = progressToken
        return meta.object.isEmpty ? nil : meta.object
    }

    /// The `_meta` of a result: the server's identity in 2026-07-28.
    func resultMeta() throws -> JSONObject? {
        guard isModern else { return nil }
        var meta = MCPMeta(["com.example/trace": "abc"])
        try meta.setServerInfo(implementation("sample-server"))
        return meta.object
    }

    /// A free-form `_meta`, in revisions that put `_meta` on content and descriptions.
    var objectMeta: JSONObject? { has(.v2025_06_18) ? ["com.example/origin": "sample"] : nil }

    func implementation(_ name: String) -> Implementation {
        Implementation(
            name: name, version: "1.2.3", title: has(.v2025_06_18) ? "Sample" : nil,
            description: has(.v2025_11_25) ? "A sample implementation" : nil,
            icons: has(.v2025_11_25) ? icons : nil,
            websiteUrl: has(.v2025_11_25) ? "https://example.com" : nil)
    }

    var icons: [Icon] {
        [
            Icon(src: "https://example.com/icon.png", mimeType: "image/png", sizes: ["48x48"], theme: .light),
            Icon(src: "data:image/svg+xml;base64,PHN2Zy8+", mimeType: "image/svg+xml", sizes: ["any"]),
        ]
    }

    func clientCapabilities() -> ClientCapabilities {
        ClientCapabilities(
            experimental: ["com.example/feature": ["enabled": true]],
            roots: isModern ? .init() : .init(listChanged: true),
            sampling: has(.v2025_11_25) ? .init(context: [:], tools: [:]) : .init(),
            elicitation: has(.v2025_11_25) ? .init(form: [:], url: [:]) : (has(.v2025_06_18) ? .init() : nil),
            tasks: revision == .v2025_11_25
                ? .init(
                    list: [:], cancel: [:],
                    requests: .init(sampling: .init(createMessage: [:]), elicitation: .init(create: [:])))
                : nil,
            extensions: isModern ? ["io.modelcontextprotocol/ui": ["mimeTypes": ["text/html;profile=mcp-app"]]] : nil)
    }

    func serverCapabilities() -> ServerCapabilities {
        ServerCapabilities(
            experimental: ["com.example/feature": [:]],
            logging: [:],
            completions: has(.v2025_03_26) ? [:] : nil,
            prompts: .init(listChanged: true),
            resources: .init(subscribe: true, listChanged: true),
            tools: .init(listChanged: true),
            tasks: revision == .v2025_11_25
                ? .init(list: [:], cancel: [:], requests: .init(tools: .init(call: [:]))) : nil,
            extensions: isModern ? ["io.modelcontextprotocol/tasks": [:]] : nil)
    }

    var annotations: Annotations {
        Annotations(
            audience: [.user, .assistant], priority: 0.25, lastModified: has(.v2025_06_18) ? "2025-01-12T15:00:58Z" : nil)
    }

    /// Content blocks of every kind the revision allows in tool results and prompts.
    var contentBlocks: [ContentBlock] {
        var blocks: [ContentBlock] = [
            .text(TextContent(text: "Sunny, 22 °C", annotations: annotations, meta: objectMeta)),
            .image(ImageContent(data: "iVBORw0KGgo=", mimeType: "image/png", annotations: annotations, meta: objectMeta)),
            .resource(
                EmbeddedResource(
                    resource: .text(TextResourceContents(uri: "file:///notes.md", mimeType: "text/markdown", text: "# Notes")),
                    annotations: annotations, meta: objectMeta)),
            .resource(
                EmbeddedResource(
                    resource: .blob(BlobResourceContents(uri: "file:///logo.png", mimeType: "image/png", blob: "iVBORw0KGgo=")))),
        ]
        if has(.v2025_03_26) {
            blocks.append(.audio(AudioContent(data: "UklGRiQ=", mimeType: "audio/wav", annotations: annotations, meta: objectMeta)))
        }
        if has(.v2025_06_18) {
            blocks.append(
                .resourceLink(
                    ResourceLink(
                        uri: "file:///src/main.rs", name: "main.rs", title: "Main", description: "Entry point",
                        mimeType: "text/x-rust", size: 1024, annotations: annotations, icons: has(.v2025_11_25) ? icons : nil,
                        meta: objectMeta)))
        }
        return blocks
    }

    var tool: Tool {
        Tool(
            name: "get_weather", title: has(.v2025_06_18) ? "Weather" : nil, description: "Current weather for a city",
            inputSchema: [
                "type": "object", "properties": ["city": ["type": "string", "description": "City name"]], "required": ["city"],
            ],
            outputSchema: has(.v2025_06_18)
                ? ["type": "object", "properties": ["temperature": ["type": "number"]], "required": ["temperature"]] : nil,
            annotations: has(.v2025_03_26)
                ? ToolAnnotations(title: "Weather", readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true)
                : nil,
            icons: has(.v2025_11_25) ? icons : nil,
            execution: revision == .v2025_11_25 ? ToolExecution(taskSupport: .optional) : nil,
            meta: objectMeta)
    }

    var resource: Resource {
        Resource(
            uri: "file:///project/README.md", name: "README.md", title: has(.v2025_06_18) ? "Read me" : nil,
            description: "Project documentation", mimeType: "text/markdown", size: 2048, annotations: annotations,
            icons: has(.v2025_11_25) ? icons : nil, meta: objectMeta)
    }

    var resourceTemplate: ResourceTemplate {
        ResourceTemplate(
            uriTemplate: "file:///{path}", name: "files", title: has(.v2025_06_18) ? "Project files" : nil,
            description: "Files of the project", mimeType: "application/octet-stream", annotations: annotations,
            icons: has(.v2025_11_25) ? icons : nil, meta: objectMeta)
    }

    var prompt: Prompt {
        Prompt(
            name: "code_review", title: has(.v2025_06_18) ? "Code review" : nil, description: "Reviews code",
            arguments: [
                PromptArgument(name: "code", title: has(.v2025_06_18) ? "Code" : nil, description: "The code", required: true),
                PromptArgument(name: "language", required: false),
            ],
            icons: has(.v2025_11_25) ? icons : nil, meta: objectMeta)
    }

    /// A sampling request with every member the revision has.
    var createMessageParams: CreateMessageRequestParams {
        var messages = [
            SamplingMessage(role: .user, content: .single(.text(TextContent(text: "Weather in Paris?")))),
            SamplingMessage(role: .assistant, content: .single(.image(ImageContent(data: "iVBORw0KGgo=", mimeType: "image/png")))),
        ]
        if has(.v2025_03_26) {
            messages.append(SamplingMessage(role: .user, content: .single(.audio(AudioContent(data: "UklGRiQ=", mimeType: "audio/wav")))))
        }
        if has(.v2025_11_25) {
            messages.append(
                SamplingMessage(
                    role: .assistant,
                    content: .multiple([.toolUse(ToolUseContent(id: "call_1", name: "get_weather", input: ["city": "Paris"]))]),
                    meta: objectMeta))
            messages.append(
                SamplingMessage(
                    role: .user,
                    content: .multiple([
                        .toolResult(
                            ToolResultContent(
                                toolUseId: "call_1", content: [.text(TextContent(text: "18 °C"))],
                                structuredContent: ["temperature": 18], isError: false))
                    ])))
        }
        return CreateMessageRequestParams(
            messages: messages,
            modelPreferences: ModelPreferences(
                hints: [ModelHint(name: "claude-3-sonnet"), ModelHint(name: "claude")], costPriority: 0.3,
                speedPriority: 0.8, intelligencePriority: 0.5),
            systemPrompt: "You are a helpful assistant.", includeContext: .thisServer, temperature: 0.7, maxTokens: 100,
            stopSequences: ["\n\n"], metadata: ["provider": "sample"],
            tools: has(.v2025_11_25) ? [tool] : nil,
            toolChoice: has(.v2025_11_25) ? ToolChoice(mode: .auto) : nil)
    }

    var createMessageResult: CreateMessageResult {
        if has(.v2025_11_25) {
            return CreateMessageResult(
                role: .assistant,
                content: .multiple([.toolUse(ToolUseContent(id: "call_2", name: "get_weather", input: ["city": "London"]))]),
                model: "claude-3-sonnet", stopReason: "toolUse", meta: objectMeta)
        }
        return CreateMessageResult(
            role: .assistant, content: .single(.text(TextContent(text: "Paris is sunny."))), model: "claude-3-sonnet",
            stopReason: "endTurn")
    }

    /// An elicitation form with every kind of field the revision has.
    var elicitationForm: ElicitRequestFormParams {
        let modern = has(.v2025_11_25)
        var fields: OrderedMap<PrimitiveSchemaDefinition> = [
            "name": .string(StringSchema(title: "Name", description: "Your name", minLength: 1, maxLength: 50, default: modern ? "Ada" : nil)),
            "email": .string(StringSchema(title: "Email", format: .email)),
            "age": .number(NumberSchema(integer: true, title: "Age", minimum: 0, maximum: 150, default: modern ? 30 : nil)),
            "ratio": .number(NumberSchema(title: "Ratio", minimum: 0, maximum: 1)),
            "subscribe": .boolean(BooleanSchema(title: "Subscribe", default: false)),
            "size": .legacyTitledEnum(
                LegacyTitledEnumSchema(
                    title: "Size", values: ["s", "m", "l"], valueNames: ["Small", "Medium", "Large"], default: modern ? "m" : nil)),
        ]
        if modern {
            fields["color"] = .untitledSingleSelect(UntitledSingleSelectEnumSchema(title: "Color", values: ["red", "green"], default: "red"))
            fields["shade"] = .titledSingleSelect(
                TitledSingleSelectEnumSchema(
                    title: "Shade", options: [TitledOption(value: "#000", title: "Black"), TitledOption(value: "#fff", title: "White")],
                    default: "#000"))
            fields["tags"] = .untitledMultiSelect(
                UntitledMultiSelectEnumSchema(title: "Tags", minItems: 1, maxItems: 2, values: ["a", "b", "c"], default: ["a"]))
            fields["flags"] = .titledMultiSelect(
                TitledMultiSelectEnumSchema(
                    title: "Flags", options: [TitledOption(value: "x", title: "Ex"), TitledOption(value: "y", title: "Why")],
                    default: ["x"]))
        } else {
            fields["color"] = .untitledSingleSelect(UntitledSingleSelectEnumSchema(title: "Color", values: ["red", "green"]))
        }
        return ElicitRequestFormParams(
            message: "Please tell us about yourself",
            requestedSchema: ElicitationSchema(
                schema: modern ? "https://json-schema.org/draft/2020-12/schema" : nil, properties: fields,
                required: ["name", "email"]),
            declaresMode: modern)
    }

    var elicitResult: ElicitResult {
        ElicitResult(
            action: .accept,
            content: has(.v2025_11_25)
                ? ["name": "Ada", "age": 36, "subscribe": true, "tags": ["a", "b"]] : ["name": "Ada", "age": 36, "subscribe": true],
            meta: objectMeta)
    }

    var roots: ListRootsResult {
        ListRootsResult(
            roots: [Root(uri: "file:///home/user/project", name: "Project", meta: objectMeta), Root(uri: "file:///tmp")])
    }
}

@testable import MCPCore

extension SampleSet {
    /// The samples of 2026-07-28: every client request with its results (complete and
    /// input-required), the embedded server requests and their answers, every
    /// notification, and the error responses of the revision.
    static func modern() throws -> SampleSet {
        let revision = ProtocolRevision.v2026_07_28
        var set = SampleSet(revision: revision)
        try set.addDiscoveryAndSubscriptions()
        try set.addModernResources()
        try set.addModernPromptsAndTools()
        try set.addInputRequests()
        try set.addModernNotifications()
        try set.addModernErrors()
        return set
    }

    private func params() throws -> RequestParams {
        RequestParams(meta: try requestMeta())
    }

    private func paginated(_ cursor: String? = nil) throws -> PaginatedRequestParams {
        PaginatedRequestParams(cursor: cursor, meta: try requestMeta(progressToken: 11))
    }

    /// A result asking for every kind of input, with state to echo.
    private var inputRequired: InputRequiredResult {
        InputRequiredResult(
            inputRequests: [
                "login": .elicit(.form(elicitationForm)),
                "consent": .elicit(.url(ElicitRequestURLParams(message: "Connect your account", url: "https://example.com/connect"))),
                "capital": .createMessage(createMessageParams),
                "roots": .listRoots(nil),
                "roots_with_meta": .listRoots(RequestParams(meta: ["com.example/x": 1])),
            ],
            requestState: "eyJzdGVwIjoxfQ")
    }

    /// The answers to ``inputRequired``.
    private var inputResponses: InputResponses {
        [
            "login": .elicit(elicitResult),
            "consent": .elicit(ElicitResult(action: .accept)),
            "capital": .createMessage(createMessageResult),
            "roots": .listRoots(roots),
        ]
    }

    private mutating func addDiscoveryAndSubscriptions() throws {
        try request(Discover.self, try params(), definition: "DiscoverRequest")
        try result(
            Discover.self,
            DiscoverResult(
                supportedVersions: ["2026-07-28", "2025-11-25"], capabilities: serverCapabilities(),
                instructions: "Use get_weather for forecasts.", ttlMs: 3_600_000, cacheScope: .public, meta: try resultMeta()),
            definition: "DiscoverResult", response: "DiscoverResultResponse")
        try request(
            SubscriptionsListen.self,
            SubscriptionsListenRequestParams(
                notifications: SubscriptionFilter(
                    toolsListChanged: true, promptsListChanged: true, resourcesListChanged: false,
                    resourceSubscriptions: ["file:///project/config.json"]),
                meta: try requestMeta()),
            definition: "SubscriptionsListenRequest")
        var listenResult = SubscriptionsListenResult(subscriptionId: "listen-1")
        try listenResult.typedMeta.setServerInfo(implementation("sample-server"))
        try result(
            SubscriptionsListen.self, listenResult, definition: "SubscriptionsListenResult",
            response: "SubscriptionsListenResultResponse")
    }

    private mutating func addModernResources() throws {
        try request(ListResources.self, try paginated(), definition: "ListResourcesRequest")
        try result(
            ListResources.self,
            ListResourcesResult(resources: [resource], nextCursor: "page-2", ttlMs: 600_000, cacheScope: .private, meta: try resultMeta()),
            definition: "ListResourcesResult", response: "ListResourcesResultResponse")
        // Unset cache members are filled in with conservative values.
        try result(ListResources.self, ListResourcesResult(resources: []), definition: "ListResourcesResult", response: "ListResourcesResultResponse")
        try request(ListResourceTemplates.self, try paginated("t"), definition: "ListResourceTemplatesRequest")
        try result(
            ListResourceTemplates.self, ListResourceTemplatesResult(resourceTemplates: [resourceTemplate], ttlMs: 0, cacheScope: .public),
            definition: "ListResourceTemplatesResult", response: "ListResourceTemplatesResultResponse")
        try request(
            ReadResource.self, ReadResourceRequestParams(uri: "file:///project/README.md", meta: try requestMeta()),
            definition: "ReadResourceRequest")
        try result(
            ReadResource.self,
            .complete(
                ReadResourceResult(
                    contents: [
                        .text(TextResourceContents(uri: "file:///project/README.md", mimeType: "text/markdown", text: "# Read me")),
                        .blob(BlobResourceContents(uri: "file:///project/logo.png", mimeType: "image/png", blob: "iVBORw0KGgo=")),
                    ], ttlMs: 60_000, cacheScope: .private)),
            definition: "ReadResourceResult", response: "ReadResourceResultResponse")
        try result(
            ReadResource.self, .inputRequired(inputRequired), definition: "InputRequiredResult",
            response: "ReadResourceResultResponse")
        try request(
            ReadResource.self,
            ReadResourceRequestParams(
                uri: "file:///project/README.md", inputResponses: inputResponses, requestState: "eyJzdGVwIjoxfQ",
                meta: try requestMeta()),
            definition: "ReadResourceRequest")
    }

    private mutating func addModernPromptsAndTools() throws {
        try request(ListPrompts.self, try paginated(), definition: "ListPromptsRequest")
        try result(
            ListPrompts.self, ListPromptsResult(prompts: [prompt], ttlMs: 600_000, cacheScope: .public),
            definition: "ListPromptsResult", response: "ListPromptsResultResponse")
        try request(
            GetPrompt.self,
            GetPromptRequestParams(name: "code_review", arguments: ["code": "print(1)"], meta: try requestMeta()),
            definition: "GetPromptRequest")
        try result(
            GetPrompt.self,
            .complete(GetPromptResult(description: "Code review", messages: contentBlocks.map { PromptMessage(role: .user, content: $0) })),
            definition: "GetPromptResult", response: "GetPromptResultResponse")
        try result(
            GetPrompt.self, .inputRequired(InputRequiredResult(requestState: "only-state")), definition: "InputRequiredResult",
            response: "GetPromptResultResponse")
        try request(
            GetPrompt.self,
            GetPromptRequestParams(name: "code_review", inputResponses: inputResponses, requestState: "only-state", meta: try requestMeta()),
            definition: "GetPromptRequest")

        try request(ListTools.self, try paginated(), definition: "ListToolsRequest")
        try result(
            ListTools.self,
            ListToolsResult(
                tools: [
                    tool,
                    Tool(name: "list_users", inputSchema: ["type": "object", "additionalProperties": false], outputSchema: ["type": "array", "items": ["type": "string"]]),
                ], ttlMs: 300_000, cacheScope: .public, meta: try resultMeta()),
            definition: "ListToolsResult", response: "ListToolsResultResponse")
        try request(
            CallTool.self, CallToolRequestParams(name: "get_weather", arguments: ["city": "Paris"], meta: try requestMeta(progressToken: "p")),
            definition: "CallToolRequest")
        try result(
            CallTool.self,
            .complete(CallToolResult(content: contentBlocks, structuredContent: ["temperature": 22.5], isError: false, meta: try resultMeta())),
            definition: "CallToolResult", response: "CallToolResultResponse")
        // 2026-07-28 allows any JSON value as structured content.
        try result(
            CallTool.self, .complete(CallToolResult(content: [], structuredContent: [["id": "1"], ["id": "2"]])),
            definition: "CallToolResult", response: "CallToolResultResponse")
        try result(CallTool.self, .inputRequired(inputRequired), definition: "InputRequiredResult", response: "CallToolResultResponse")
        try request(
            CallTool.self,
            CallToolRequestParams(
                name: "get_weather", arguments: ["city": "Paris"], inputResponses: inputResponses, requestState: "eyJzdGVwIjoxfQ",
                meta: try requestMeta()),
            definition: "CallToolRequest")

        try request(
            Complete.self,
            CompleteRequestParams(
                ref: .prompt(PromptReference(name: "code_review", title: "Code review")), argument: .init(name: "language", value: "py"),
                context: .init(arguments: ["code": "print(1)"]), meta: try requestMeta()),
            definition: "CompleteRequest")
        try result(
            Complete.self, CompleteResult(completion: .init(values: ["python"], total: 1, hasMore: false)),
            definition: "CompleteResult", response: "CompleteResultResponse")
    }

    private mutating func addInputRequests() throws {
        try embedded(CreateMessage.self, createMessageParams, definition: "CreateMessageRequest")
        try embedded(Elicit.self, .form(elicitationForm), definition: "ElicitRequest")
        try embedded(Elicit.self, .url(ElicitRequestURLParams(message: "Set your API key", url: "https://example.com/key")), definition: "ElicitRequest")
        try embedded(ListRoots.self, nil, definition: "ListRootsRequest")
        try value("input-requests", inputRequired.inputRequests ?? [:], definition: "InputRequests")
        try value("input-responses", inputResponses, definition: "InputResponses")
        try value("create-message-result", createMessageResult, definition: "InputResponse")
        try value("roots-result", roots, definition: "ListRootsResult")
        try value("elicit-result", elicitResult, definition: "ElicitResult")
    }

    /// A server request in the embedded form of an ``InputRequiredResult``.
    private mutating func embedded<M: MCPMethod>(_ method: M.Type, _ params: M.Params, definition: String) throws {
        let value = try JSONValueEncoder().encode(MCPInputRequest<M>(params: params))
        add("input-request-\(M.name)", value, [(definition, ""), ("InputRequest", "")], method: M.name)
    }

    private mutating func addModernNotifications() throws {
        var stream = MCPMeta()
        stream.subscriptionId = "listen-1"
        try notification(
            CancelledNotification.self, CancelledNotificationParams(requestId: "call-1", reason: "User requested cancellation"),
            definition: "CancelledNotification", from: .client)
        try notification(
            ProgressNotification.self, ProgressNotificationParams(progressToken: 11, progress: 0.5, total: 1, message: "Half"),
            definition: "ProgressNotification", from: .server)
        try notification(
            SubscriptionsAcknowledgedNotification.self,
            SubscriptionsAcknowledgedNotificationParams(
                notifications: SubscriptionFilter(toolsListChanged: true, resourceSubscriptions: ["file:///project/config.json"]),
                meta: stream.object),
            definition: "SubscriptionsAcknowledgedNotification", from: .server)
        try notification(
            ResourceListChangedNotification.self, NotificationParams(meta: stream.object),
            definition: "ResourceListChangedNotification", from: .server)
        try notification(
            ResourceUpdatedNotification.self, ResourceUpdatedNotificationParams(uri: "file:///project/config.json", meta: stream.object),
            definition: "ResourceUpdatedNotification", from: .server)
        try notification(
            PromptListChangedNotification.self, NotificationParams(meta: stream.object), definition: "PromptListChangedNotification",
            from: .server)
        try notification(ToolListChangedNotification.self, nil, definition: "ToolListChangedNotification", from: .server)
        try notification(
            LoggingMessageNotification.self, LoggingMessageNotificationParams(level: .info, data: "Started"),
            definition: "LoggingMessageNotification", from: .server)
    }

    private mutating func addModernErrors() throws {
        try error(
            "header-mismatch",
            MCPErrorMessage(
                id: 1, error: JSONRPCError(code: .headerMismatch, message: "Mcp-Name header does not match the body")),
            definitions: [("HeaderMismatchError", "")])
        try error(
            "missing-capability",
            MCPErrorMessage(
                id: 2,
                error: JSONRPCError(
                    code: .missingRequiredClientCapability, message: "Elicitation is required",
                    data: ["requiredCapabilities": ["elicitation": [:]]])),
            definitions: [("MissingRequiredClientCapabilityError", "")])
        try error(
            "unsupported-version",
            MCPErrorMessage(id: "r", error: ProtocolNegotiation().unsupportedVersionError(requested: "1900-01-01")),
            definitions: [("UnsupportedProtocolVersionError", "")])
        try error("parse", MCPErrorMessage(id: nil, error: .parseError()), definitions: [("ParseError", "/error")])
        try error("invalid-request", MCPErrorMessage(id: 3, error: .invalidRequest()), definitions: [("InvalidRequestError", "/error")])
        try error("method-not-found", MCPErrorMessage(id: 4, error: .methodNotFound("x")), definitions: [("MethodNotFoundError", "/error")])
        try error("invalid-params", MCPErrorMessage(id: 5, error: .invalidParams("Unknown tool")), definitions: [("InvalidParamsError", "/error")])
        try error("internal", MCPErrorMessage(id: 6, error: .internalError), definitions: [("InternalError", "/error")])
    }
}

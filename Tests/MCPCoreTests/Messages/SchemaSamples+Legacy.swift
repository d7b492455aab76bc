@testable import MCPCore

extension SampleSet {
    /// The samples of a legacy-era revision (2024-11-05 to 2025-11-25): every request with
    /// its result, every notification, and error responses.
    static func legacy(_ revision: ProtocolRevision) throws -> SampleSet {
        var set = SampleSet(revision: revision)
        try set.addLifecycle()
        try set.addResources()
        try set.addPromptsToolsAndCompletion()
        try set.addServerRequests()
        try set.addLegacyNotifications()
        if revision == .v2025_11_25 { try set.addTasks() }
        try set.error("method-not-found", MCPErrorMessage(id: 99, error: .methodNotFound("tools/unknown")))
        try set.error(
            "with-data", MCPErrorMessage(id: "req-1", error: JSONRPCError(code: .invalidParams, message: "Bad", data: ["field": "x"])))
        if set.has(.v2025_11_25) {
            try set.error("without-id", MCPErrorMessage(id: nil, error: .parseError()))
            let required = try JSONRPCError.urlElicitationRequired(
                elicitations: [ElicitRequestURLParams(message: "Sign in first", url: "https://example.com/auth", elicitationId: "e-1")])
            try set.error(
                "url-elicitation-required", MCPErrorMessage(id: 7, error: required),
                definitions: [("URLElicitationRequiredError", "")])
        }
        return set
    }

    private mutating func addLifecycle() throws {
        try request(
            Initialize.self,
            InitializeRequestParams(
                protocolVersion: revision.rawValue, capabilities: clientCapabilities(),
                clientInfo: implementation("sample-client")),
            definition: "InitializeRequest")
        try result(
            Initialize.self,
            InitializeResult(
                protocolVersion: revision.rawValue, capabilities: serverCapabilities(),
                serverInfo: implementation("sample-server"), instructions: "Use get_weather for forecasts.",
                meta: ["com.example/session": "s-1"]),
            definition: "InitializeResult")
        try request(Ping.self, nil, definition: "PingRequest")
        try request(Ping.self, RequestParams(meta: try requestMeta(progressToken: "p-1")), definition: "PingRequest", from: .server)
        try result(Ping.self, EmptyResult(), definition: "EmptyResult")
        try request(SetLevel.self, SetLevelRequestParams(level: .warning), definition: "SetLevelRequest")
        try result(SetLevel.self, EmptyResult(), definition: "EmptyResult")
    }

    private mutating func addResources() throws {
        try request(ListResources.self, nil, definition: "ListResourcesRequest")
        try request(ListResources.self, PaginatedRequestParams(cursor: "page-2", meta: try requestMeta(progressToken: 7)), definition: "ListResourcesRequest")
        try result(ListResources.self, ListResourcesResult(resources: [resource], nextCursor: "page-3"), definition: "ListResourcesResult")
        try request(ListResourceTemplates.self, PaginatedRequestParams(), definition: "ListResourceTemplatesRequest")
        try result(
            ListResourceTemplates.self, ListResourceTemplatesResult(resourceTemplates: [resourceTemplate]),
            definition: "ListResourceTemplatesResult")
        try request(ReadResource.self, ReadResourceRequestParams(uri: "file:///project/README.md"), definition: "ReadResourceRequest")
        try result(
            ReadResource.self,
            .complete(
                ReadResourceResult(contents: [
                    .text(TextResourceContents(uri: "file:///project/README.md", mimeType: "text/markdown", text: "# Read me", meta: objectMeta)),
                    .blob(BlobResourceContents(uri: "file:///project/logo.png", mimeType: "image/png", blob: "iVBORw0KGgo=", meta: objectMeta)),
                ])),
            definition: "ReadResourceResult")
        try request(Subscribe.self, ResourceRequestParams(uri: "file:///project/README.md"), definition: "SubscribeRequest")
        try result(Subscribe.self, EmptyResult(), definition: "EmptyResult")
        try request(Unsubscribe.self, ResourceRequestParams(uri: "file:///project/README.md"), definition: "UnsubscribeRequest")
        try result(Unsubscribe.self, EmptyResult(), definition: "EmptyResult")
    }

    private mutating func addPromptsToolsAndCompletion() throws {
        try request(ListPrompts.self, nil, definition: "ListPromptsRequest")
        try result(ListPrompts.self, ListPromptsResult(prompts: [prompt]), definition: "ListPromptsResult")
        try request(
            GetPrompt.self, GetPromptRequestParams(name: "code_review", arguments: ["code": "print(1)", "language": "python"]),
            definition: "GetPromptRequest")
        try result(
            GetPrompt.self,
            .complete(
                GetPromptResult(
                    description: "Code review prompt",
                    messages: contentBlocks.map { PromptMessage(role: .user, content: $0) }
                        + [PromptMessage(role: .assistant, content: .text(TextContent(text: "Looks good.")))])),
            definition: "GetPromptResult")

        try request(ListTools.self, PaginatedRequestParams(cursor: "c"), definition: "ListToolsRequest")
        try result(ListTools.self, ListToolsResult(tools: [tool, Tool(name: "no_arguments")]), definition: "ListToolsResult")
        try request(
            CallTool.self, CallToolRequestParams(name: "get_weather", arguments: ["city": "Paris", "days": 3]),
            definition: "CallToolRequest")
        try result(
            CallTool.self,
            .complete(
                CallToolResult(
                    content: contentBlocks, structuredContent: has(.v2025_06_18) ? ["temperature": 22.5] : nil, isError: false,
                    meta: ["com.example/cost": 1])),
            definition: "CallToolResult")
        try result(
            CallTool.self, .complete(CallToolResult(content: [.text(TextContent(text: "Invalid city"))], isError: true)),
            definition: "CallToolResult")

        try request(
            Complete.self,
            CompleteRequestParams(
                ref: .prompt(PromptReference(name: "code_review", title: has(.v2025_06_18) ? "Code review" : nil)),
                argument: .init(name: "language", value: "py"),
                context: has(.v2025_06_18) ? .init(arguments: ["code": "print(1)"]) : nil),
            definition: "CompleteRequest")
        try request(
            Complete.self,
            CompleteRequestParams(ref: .resource(ResourceTemplateReference(uri: "file:///{path}")), argument: .init(name: "path", value: "src/")),
            definition: "CompleteRequest")
        try result(
            Complete.self, CompleteResult(completion: .init(values: ["python", "pytorch"], total: 10, hasMore: true)),
            definition: "CompleteResult")
    }

    private mutating func addServerRequests() throws {
        try request(CreateMessage.self, createMessageParams, definition: "CreateMessageRequest", from: .server)
        try result(CreateMessage.self, .complete(createMessageResult), definition: "CreateMessageResult", from: .client)
        try request(ListRoots.self, nil, definition: "ListRootsRequest", from: .server)
        try request(ListRoots.self, RequestParams(meta: try requestMeta(progressToken: "roots")), definition: "ListRootsRequest", from: .server)
        try result(ListRoots.self, roots, definition: "ListRootsResult", from: .client)
        guard has(.v2025_06_18) else { return }
        try request(Elicit.self, .form(elicitationForm), definition: "ElicitRequest", from: .server)
        try result(Elicit.self, .complete(elicitResult), definition: "ElicitResult", from: .client)
        try result(Elicit.self, .complete(ElicitResult(action: .decline)), definition: "ElicitResult", from: .client)
        guard has(.v2025_11_25) else { return }
        try request(
            Elicit.self,
            .url(ElicitRequestURLParams(message: "Connect your account", url: "https://example.com/connect", elicitationId: "e-1")),
            definition: "ElicitRequest", from: .server)
        try result(Elicit.self, .complete(ElicitResult(action: .accept)), definition: "ElicitResult", from: .client)
    }

    private mutating func addLegacyNotifications() throws {
        try notification(
            CancelledNotification.self, CancelledNotificationParams(requestId: 3, reason: "User requested cancellation"),
            definition: "CancelledNotification", from: .client)
        try notification(InitializedNotification.self, nil, definition: "InitializedNotification", from: .client)
        try notification(
            InitializedNotification.self, NotificationParams(meta: ["com.example/x": 1]), definition: "InitializedNotification",
            from: .client)
        try notification(
            ProgressNotification.self,
            ProgressNotificationParams(
                progressToken: "p-1", progress: 50, total: 100, message: has(.v2025_03_26) ? "Halfway" : nil),
            definition: "ProgressNotification", from: .server)
        try notification(RootsListChangedNotification.self, nil, definition: "RootsListChangedNotification", from: .client)
        try notification(ResourceListChangedNotification.self, nil, definition: "ResourceListChangedNotification", from: .server)
        try notification(
            ResourceUpdatedNotification.self, ResourceUpdatedNotificationParams(uri: "file:///project/README.md"),
            definition: "ResourceUpdatedNotification", from: .server)
        try notification(PromptListChangedNotification.self, nil, definition: "PromptListChangedNotification", from: .server)
        try notification(ToolListChangedNotification.self, NotificationParams(), definition: "ToolListChangedNotification", from: .server)
        try notification(
            LoggingMessageNotification.self,
            LoggingMessageNotificationParams(level: .error, logger: "database", data: ["error": "Connection failed", "port": 5432]),
            definition: "LoggingMessageNotification", from: .server)
        if has(.v2025_11_25) {
            try notification(
                ElicitationCompleteNotification.self, ElicitationCompleteNotificationParams(elicitationId: "e-1"),
                definition: "ElicitationCompleteNotification", from: .server)
        }
    }

    private mutating func addTasks() throws {
        let working = MCPTask(
            taskId: "task-1", status: .working, statusMessage: "Running", createdAt: "2025-11-25T10:00:00Z",
            lastUpdatedAt: "2025-11-25T10:00:05Z", ttl: 60_000, pollInterval: 1_000)
        var relatedMeta = MCPMeta()
        try relatedMeta.setRelatedTask(RelatedTaskMetadata(taskId: "task-1"))

        try request(
            CallTool.self, CallToolRequestParams(name: "get_weather", arguments: ["city": "Paris"], task: TaskMetadata(ttl: 60_000)),
            definition: "CallToolRequest")
        try result(CallTool.self, .task(CreateTaskResult(task: working)), definition: "CreateTaskResult")
        var withTask = createMessageParams
        withTask.task = TaskMetadata(ttl: 30_000)
        try request(CreateMessage.self, withTask, definition: "CreateMessageRequest", from: .server)
        try result(CreateMessage.self, .task(CreateTaskResult(task: working)), definition: "CreateTaskResult", from: .client)
        var formWithTask = elicitationForm
        formWithTask.task = TaskMetadata()
        try request(Elicit.self, .form(formWithTask), definition: "ElicitRequest", from: .server)

        try request(GetTask.self, TaskRequestParams(taskId: "task-1"), definition: "GetTaskRequest")
        try result(GetTask.self, TaskState(task: working, meta: relatedMeta.object), definition: "GetTaskResult")
        try request(GetTaskPayload.self, TaskRequestParams(taskId: "task-1"), definition: "GetTaskPayloadRequest", from: .server)
        var payload = try TaskPayloadResult(CallToolResult(content: [.text(TextContent(text: "Sunny"))], structuredContent: ["temperature": 22]))
        payload.payload["_meta"] = .object(relatedMeta.object)
        try result(GetTaskPayload.self, payload, definition: "GetTaskPayloadResult", from: .client)
        try request(ListTasks.self, PaginatedRequestParams(cursor: "t"), definition: "ListTasksRequest")
        try result(
            ListTasks.self,
            ListTasksResult(
                tasks: [
                    working,
                    MCPTask(taskId: "task-2", status: .completed, createdAt: "2025-11-25T09:00:00Z", lastUpdatedAt: "2025-11-25T09:01:00Z", ttl: nil),
                ], nextCursor: "n"),
            definition: "ListTasksResult")
        var cancelled = working
        cancelled.status = .cancelled
        cancelled.ttl = nil
        try request(CancelTask.self, TaskRequestParams(taskId: "task-1"), definition: "CancelTaskRequest")
        try result(CancelTask.self, TaskState(task: cancelled), definition: "CancelTaskResult")
        var failed = working
        failed.status = .failed
        failed.statusMessage = "Upstream unavailable"
        try notification(TaskStatusNotification.self, TaskState(task: failed), definition: "TaskStatusNotification", from: .server)
        try notification(
            CancelledNotification.self, CancelledNotificationParams(requestId: nil, reason: "no longer needed"),
            definition: "CancelledNotification", from: .server)
    }
}

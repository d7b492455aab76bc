import Testing

@testable import MCPCore

@Suite("MCP messages")
struct MessageTests {
    private let encoder = JSONValueEncoder()
    private let decoder = JSONValueDecoder()

    private func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try decoder.decode(type, fromText: text)
    }

    // MARK: Wrappers

    @Test func requestEncodesMembersInOrderAndKeepsArgumentsAsWritten() throws {
        let text = #"{"jsonrpc":"2.0","id":9007199254740993,"method":"tools/call","params":{"name":"echo","arguments":{"b":1.50,"a":[]}}}"#
        let request = try decode(MCPRequestMessage<CallTool>.self, text)
        #expect(request.id == .number(JSONNumber(text: "9007199254740993")!))
        #expect(request.params.name == "echo")
        #expect(request.method == "tools/call")
        #expect(try encoder.encodeText(request) == text)
    }

    @Test func optionalParamsAreLeftOut() throws {
        let request = MCPRequestMessage<ListTools>(id: "a")
        #expect(try encoder.encodeText(request) == #"{"jsonrpc":"2.0","id":"a","method":"tools/list"}"#)
        let decoded = try decode(MCPRequestMessage<ListTools>.self, #"{"jsonrpc":"2.0","id":"a","method":"tools/list"}"#)
        #expect(decoded.params == nil)
        let withParams = try decode(
            MCPRequestMessage<ListTools>.self, #"{"jsonrpc":"2.0","id":"a","method":"tools/list","params":{"cursor":"c"}}"#)
        #expect(withParams.params?.cursor == "c")
        let notification = MCPNotificationMessage<ToolListChangedNotification>()
        #expect(try encoder.encodeText(notification) == #"{"jsonrpc":"2.0","method":"notifications/tools/list_changed"}"#)
    }

    @Test func requiredParamsMustBePresent() {
        #expect(throws: DecodingError.self) {
            try decode(MCPRequestMessage<CallTool>.self, #"{"jsonrpc":"2.0","id":1,"method":"tools/call"}"#)
        }
    }

    @Test func wrongVersionOrMethodIsRefusedAtThatMember() throws {
        let cases: [(String, String)] = [
            (#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#, "jsonrpc"),
            (#"{"jsonrpc":"2.0","id":1,"method":"tools/list"}"#, "method"),
        ]
        for (text, member) in cases {
            do {
                _ = try decode(MCPRequestMessage<Ping>.self, text)
                Issue.record("decoded \(text)")
            } catch let DecodingError.dataCorrupted(context) {
                #expect(context.codingPath.map(\.stringValue) == [member])
            }
        }
        #expect(throws: DecodingError.self) { try decode(MCPRequestMessage<Ping>.self, #"{"id":1,"method":"ping"}"#) }
        #expect(throws: DecodingError.self) { try decode(MCPRequestMessage<Ping>.self, #"{"jsonrpc":"2.0","method":"ping"}"#) }
        #expect(throws: DecodingError.self) {
            try decode(MCPResultMessage<Ping>.self, #"{"jsonrpc":"2","id":1,"result":{}}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(MCPNotificationMessage<InitializedNotification>.self, #"{"jsonrpc":"2.0","method":"initialized"}"#)
        }
        // A notification has no id.
        #expect(throws: DecodingError.self) {
            try decode(
                MCPNotificationMessage<InitializedNotification>.self,
                #"{"jsonrpc":"2.0","id":1,"method":"notifications/initialized"}"#)
        }
        #expect(throws: DecodingError.self) {
            try decode(MCPErrorMessage.self, #"{"jsonrpc":"3.0","id":1,"error":{"code":1,"message":"m"}}"#)
        }
    }

    @Test func errorMessageIDByRevision() throws {
        let message = MCPErrorMessage(id: nil, error: .parseError())
        #expect(try encoder.encodeText(message) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        for revision in ProtocolRevision.allCases {
            let value = try message.encodedJSON(for: revision)
            #expect(value["id"] == (revision >= .v2025_11_25 ? nil : .null), "\(revision)")
        }
        let withID = MCPErrorMessage(id: 7, error: .methodNotFound("x"))
        #expect(try withID.encodedJSON(for: .v2026_07_28)["id"] == 7)
        #expect(try decode(MCPErrorMessage.self, #"{"jsonrpc":"2.0","error":{"code":1,"message":"m"}}"#).id == nil)
        #expect(try decode(MCPErrorMessage.self, #"{"jsonrpc":"2.0","id":null,"error":{"code":1,"message":"m"}}"#).id == nil)
        let response = JSONRPCErrorResponse(id: 3, error: .internalError)
        #expect(MCPErrorMessage(response).jsonRPCErrorResponse == response)
    }

    @Test func conversionsWithTheJSONRPCLayer() throws {
        let bytes = Array(#"{"jsonrpc":"2.0","id":"r","method":"tools/call","params":{"name":"echo","arguments":{"n":1.0}}}"#.utf8)
        guard case .request(let request) = try JSONRPCMessage(parsing: bytes) else {
            Issue.record("not a request")
            return
        }
        let typed = try MCPRequestMessage<CallTool>(request)
        #expect(typed.params.arguments?["n"]?.numberValue?.text == "1.0")
        #expect(try typed.jsonRPCRequest() == request)
        #expect(throws: DecodingError.self) { try MCPRequestMessage<ListTools>(request) }

        let response = try MCPResultMessage<ListTools>(id: "r", result: ListToolsResult(tools: [])).jsonRPCResponse(for: .v2026_07_28)
        #expect(response.result["resultType"] == "complete")
        #expect(try MCPResultMessage<ListTools>(response).result.tools.isEmpty)

        let notification = try MCPNotificationMessage<ProgressNotification>(
            params: ProgressNotificationParams(progressToken: "t", progress: 1)).jsonRPCNotification()
        #expect(notification.method == "notifications/progress")
        #expect(try MCPNotificationMessage<ProgressNotification>(notification).params.progressToken == "t")
        #expect(try MCPNotificationMessage<ToolListChangedNotification>().jsonRPCNotification().params == nil)
    }

    // MARK: Revision shapes

    @Test func resultsCarryResultTypeAndCacheFieldsOnlyIn20260728() throws {
        let result = ListToolsResult(tools: [Tool(name: "t")])
        for revision in ProtocolRevision.allCases {
            let value = try MCPResultMessage<ListTools>(id: 1, result: result).encodedJSON(for: revision)
            let body = try #require(value["result"])
            if revision == .v2026_07_28 {
                #expect(body["resultType"] == "complete")
                #expect(body["ttlMs"] == 0)
                #expect(body["cacheScope"] == "private")
            } else {
                #expect(body["resultType"] == nil, "\(revision)")
                #expect(body["ttlMs"] == nil)
                #expect(body["cacheScope"] == nil)
            }
        }
        // Values set by the server are kept in 2026-07-28 and removed before.
        let cached = ListToolsResult(tools: [], ttlMs: 60_000, cacheScope: .public)
        #expect(try cached.encodedJSON(for: .v2026_07_28)["cacheScope"] == "public")
        #expect(try cached.encodedJSON(for: .v2026_07_28)["ttlMs"] == 60000)
        #expect(try cached.encodedJSON(for: .v2025_11_25)["ttlMs"] == nil)
        // Plain encoding writes what the value holds.
        #expect(try encoder.encode(cached)["resultType"] == nil)

        let call = CallTool.Result.complete(CallToolResult(content: [.text(TextContent(text: "x"))]))
        #expect(try call.encodedJSON(for: .v2026_07_28)["resultType"] == "complete")
        #expect(try call.encodedJSON(for: .v2025_06_18)["resultType"] == nil)
        #expect(try call.encodedJSON(for: .v2026_07_28)["ttlMs"] == nil)
        // Client results never carry resultType.
        let roots = ListRootsResult(roots: [])
        #expect(try roots.encodedJSON(for: .v2026_07_28) == ["roots": []])
    }

    @Test func completableResultChoosesItsCase() throws {
        let legacy = try decode(CallTool.Result.self, #"{"content":[]}"#)
        #expect(legacy.completeResult?.content == [])
        let modern = try decode(CallTool.Result.self, #"{"resultType":"complete","content":[],"isError":true}"#)
        #expect(modern.completeResult?.isError == true)
        let input = try decode(
            CallTool.Result.self,
            #"{"resultType":"input_required","inputRequests":{"r":{"method":"roots/list"}},"requestState":"s"}"#)
        guard case .inputRequired(let required) = input else {
            Issue.record("not input_required: \(input)")
            return
        }
        #expect(required.requestState == "s")
        #expect(required.inputRequests?["r"] == .listRoots(nil))
        let task = try decode(
            CallTool.Result.self,
            #"{"task":{"taskId":"t","status":"working","createdAt":"a","lastUpdatedAt":"b","ttl":null}}"#)
        guard case .task(let created) = task else {
            Issue.record("not a task: \(task)")
            return
        }
        #expect(created.task.ttl == nil)
        #expect(try encoder.encode(created)["task"]?["ttl"] == .null)
    }

    @Test func inputRequiredResultNeedsItsResultType() throws {
        #expect(throws: DecodingError.self) { try decode(InputRequiredResult.self, #"{"requestState":"s"}"#) }
        #expect(throws: DecodingError.self) {
            try decode(InputRequiredResult.self, #"{"resultType":"complete","requestState":"s"}"#)
        }
        let result = InputRequiredResult(
            inputRequests: [
                "name": .elicit(
                    .form(
                        ElicitRequestFormParams(
                            message: "Name?",
                            requestedSchema: ElicitationSchema(properties: ["name": .string(StringSchema())]))))
            ], requestState: "opaque")
        #expect(
            try encoder.encodeText(result)
                == #"{"resultType":"input_required","inputRequests":{"name":{"method":"elicitation/create","params":{"mode":"form","message":"Name?","requestedSchema":{"type":"object","properties":{"name":{"type":"string"}}}}}},"requestState":"opaque"}"#
        )
    }

    @Test func retriedRequestCarriesInputResponses() throws {
        var params = CallToolRequestParams(name: "deploy", requestState: "opaque")
        params.inputResponses = [
            "confirm": .elicit(ElicitResult(action: .accept, content: ["ok": true])),
            "roots": .listRoots(ListRootsResult(roots: [Root(uri: "file:///r")])),
            "llm": .createMessage(
                CreateMessageResult(role: .assistant, content: .single(.text(TextContent(text: "yes"))), model: "m")),
        ]
        let value = try encoder.encode(params)
        #expect(value["inputResponses"]?.objectValue?.keys == ["confirm", "roots", "llm"])
        let decoded = try decoder.decode(CallToolRequestParams.self, from: value)
        #expect(decoded == params)
        #expect(try encoder.encode(decoded) == value)
    }

    // MARK: Content and unknown values

    @Test func unknownContentBlocksRoundTrip() throws {
        let text = #"{"type":"hologram","frames":[1,2.50],"meta":{"z":0,"a":1}}"#
        let block = try decode(ContentBlock.self, text)
        #expect(block == .unknown(try JSONValue(parsing: text)))
        #expect(block.type == "hologram")
        #expect(try encoder.encodeText(block) == text)
        #expect(throws: DecodingError.self) { try decode(ContentBlock.self, #"{"text":"no type"}"#) }
        #expect(throws: DecodingError.self) { try decode(ContentBlock.self, #"{"type":"text"}"#) }
        #expect(throws: DecodingError.self) { try decode(TextContent.self, #"{"type":"image","text":"x"}"#) }
    }

    @Test func samplingContentKeepsItsShape() throws {
        let single = #"{"role":"user","content":{"type":"text","text":"hi"}}"#
        let multiple = #"{"role":"user","content":[{"type":"text","text":"hi"}]}"#
        #expect(try encoder.encodeText(decode(SamplingMessage.self, single)) == single)
        #expect(try encoder.encodeText(decode(SamplingMessage.self, multiple)) == multiple)
        #expect(try decode(SamplingMessage.self, multiple).content.blocks.count == 1)
    }

    @Test func elicitationFormModeIsKeptAsWritten() throws {
        let without = #"{"message":"m","requestedSchema":{"type":"object","properties":{}}}"#
        let params = try decode(ElicitRequestParams.self, without)
        guard case .form(let form) = params else {
            Issue.record("not a form: \(params)")
            return
        }
        #expect(!form.declaresMode)
        #expect(try encoder.encodeText(params) == without)
        #expect(try decode(ElicitRequestParams.self, #"{"mode":"mystery","message":"m"}"#) == .unknown(["mode": "mystery", "message": "m"]))
        #expect(throws: DecodingError.self) {
            try decode(ElicitRequestFormParams.self, #"{"mode":"url","message":"m","requestedSchema":{"type":"object","properties":{}}}"#)
        }
    }

    @Test func legacyEnumSchemaIsToldFromUntitled() throws {
        let legacy = try decode(
            PrimitiveSchemaDefinition.self, #"{"type":"string","enum":["a","b"],"enumNames":["A","B"]}"#)
        #expect(legacy == .legacyTitledEnum(LegacyTitledEnumSchema(values: ["a", "b"], valueNames: ["A", "B"])))
        let integer = try decode(PrimitiveSchemaDefinition.self, #"{"type":"integer","minimum":1}"#)
        #expect(integer == .number(NumberSchema(integer: true, minimum: 1)))
        #expect(try decode(PrimitiveSchemaDefinition.self, #"{"type":"object"}"#) == .unknown(["type": "object"]))
    }

    @Test func capabilitiesKeepUnknownMembers() throws {
        let text = #"{"roots":{"listChanged":true},"futureThing":{"level":2},"experimental":{"x":{}}}"#
        let capabilities = try decode(ClientCapabilities.self, text)
        #expect(capabilities.roots?.listChanged == true)
        #expect(capabilities.other == ["futureThing": ["level": 2]])
        #expect(try encoder.encode(capabilities) == (try JSONValue(parsing: text)))
        let server = try decode(ServerCapabilities.self, #"{"tasks":{"requests":{"tools":{"call":{}}}},"z":1}"#)
        #expect(server.tasks?.requests?.tools?.call == [:])
        #expect(server.other == ["z": 1])
    }

    @Test func toolAnnotationDefaults() {
        let none = ToolAnnotations()
        #expect(!none.isReadOnly)
        #expect(none.isDestructive)
        #expect(!none.isIdempotent)
        #expect(none.isOpenWorld)
        let readOnly = ToolAnnotations(readOnlyHint: true, destructiveHint: true)
        #expect(!readOnly.isDestructive)
        #expect(readOnly.isIdempotent)
        #expect(!ToolAnnotations(openWorldHint: false).isOpenWorld)
    }

    @Test func openStringValuesKeepUnknownText() throws {
        #expect(try decode(Role.self, #""moderator""#).rawValue == "moderator")
        #expect(try encoder.encode(Role.assistant) == "assistant")
        #expect(LoggingLevel.error.passes(.warning))
        #expect(!LoggingLevel.info.passes(.warning))
        #expect(LoggingLevel("verbose").passes(.warning))
        #expect(LoggingLevel.emergency.severity == 7)
        #expect(TaskStatus.cancelled.isTerminal && !TaskStatus.inputRequired.isTerminal)
    }

    // MARK: _meta

    @Test func metaAccessorsReadAndWriteTheReservedKeys() throws {
        var meta = MCPMeta(["com.example/trace": "t"])
        meta.protocolVersion = "2026-07-28"
        meta.progressToken = 5
        meta.logLevel = .warning
        meta.subscriptionId = "listen-1"
        try meta.setClientInfo(Implementation(name: "c", version: "1"))
        try meta.setClientCapabilities(ClientCapabilities(roots: .init()))
        try meta.setServerInfo(Implementation(name: "s", version: "2"))
        try meta.setRelatedTask(RelatedTaskMetadata(taskId: "task-1"))
        #expect(
            meta.object.keys == [
                "com.example/trace", MCPMetaKey.protocolVersion, MCPMetaKey.progressToken, MCPMetaKey.logLevel,
                MCPMetaKey.subscriptionId, MCPMetaKey.clientInfo, MCPMetaKey.clientCapabilities, MCPMetaKey.serverInfo,
                MCPMetaKey.relatedTask,
            ])
        #expect(meta.protocolRevision == .v2026_07_28)
        #expect(meta.progressToken == 5)
        #expect(meta.logLevel == .warning)
        #expect(meta.subscriptionId == "listen-1")
        #expect(try meta.clientInfo?.name == "c")
        #expect(try meta.clientCapabilities?.roots != nil)
        #expect(try meta.serverInfo?.version == "2")
        #expect(try meta.relatedTask?.taskId == "task-1")
        try meta.setClientInfo(nil)
        #expect(try meta.clientInfo == nil)

        var params = PaginatedRequestParams()
        params.typedMeta.protocolVersion = "2026-07-28"
        #expect(params.meta == [MCPMetaKey.protocolVersion: "2026-07-28"])
        var empty = PaginatedRequestParams()
        empty.typedMeta = MCPMeta()
        #expect(empty.meta == nil)

        let malformed = MCPMeta([MCPMetaKey.clientInfo: "not an object", MCPMetaKey.progressToken: true])
        #expect(throws: DecodingError.self) { try malformed.clientInfo }
        #expect(malformed.progressToken == nil)
    }

    @Test func subscriptionsListenResultNamesItsStream() throws {
        let result = SubscriptionsListenResult(subscriptionId: "listen-1")
        #expect(result.typedMeta.subscriptionId == "listen-1")
        #expect(try encoder.encodeText(result) == #"{"resultType":"complete","_meta":{"io.modelcontextprotocol/subscriptionId":"listen-1"}}"#)
    }

    @Test func taskPayloadCarriesTheOriginalResult() throws {
        let payload = try TaskPayloadResult(CallToolResult(content: [], isError: false))
        #expect(try payload.decode(as: CallToolResult.self).isError == false)
        #expect(try encoder.encode(payload) == ["content": [], "isError": false])
        #expect(throws: EncodingError.self) { try TaskPayloadResult("not an object") }
    }

    @Test func urlElicitationRequiredError() throws {
        let error = try JSONRPCError.urlElicitationRequired(
            elicitations: [ElicitRequestURLParams(message: "Sign in", url: "https://example.com", elicitationId: "e")])
        #expect(error.code == .urlElicitationRequired)
        let data = try decoder.decode(URLElicitationRequiredData.self, from: try #require(error.data))
        #expect(data.elicitations.first?.elicitationId == "e")
        #expect(error.data?["elicitations"]?.arrayValue?.first?["mode"] == "url")
    }
}

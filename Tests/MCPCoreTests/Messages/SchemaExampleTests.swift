import Foundation
import Testing

@testable import MCPCore

/// Decodes a value as one type and encodes it again.
struct RoundTrip: Sendable {
    let typeName: String
    let run: @Sendable (JSONValue) throws -> JSONValue

    static func of<T: Codable & Sendable>(_ type: T.Type) -> RoundTrip {
        RoundTrip(typeName: String(describing: type)) { value in
            try JSONValueEncoder().encode(JSONValueDecoder().decode(T.self, from: value))
        }
    }
}

/// Every official example of 2026-07-28 decodes into its Swift type and encodes back to an
/// equal value.
@Suite("Schema examples (2026-07-28)")
struct SchemaExampleTests {
    /// The Swift type of each example directory, named after the schema type.
    static let types: [String: RoundTrip] = [
        "AudioContent": .of(AudioContent.self),
        "BlobResourceContents": .of(BlobResourceContents.self),
        "BooleanSchema": .of(BooleanSchema.self),
        "CallToolRequest": .of(MCPRequestMessage<CallTool>.self),
        "CallToolRequestParams": .of(CallToolRequestParams.self),
        "CallToolResult": .of(CallToolResult.self),
        "CallToolResultResponse": .of(MCPResultMessage<CallTool>.self),
        "CancelledNotification": .of(MCPNotificationMessage<CancelledNotification>.self),
        "CancelledNotificationParams": .of(CancelledNotificationParams.self),
        "ClientCapabilities": .of(ClientCapabilities.self),
        "CompleteRequest": .of(MCPRequestMessage<Complete>.self),
        "CompleteRequestParams": .of(CompleteRequestParams.self),
        "CompleteResult": .of(CompleteResult.self),
        "CompleteResultResponse": .of(MCPResultMessage<Complete>.self),
        "CreateMessageRequest": .of(MCPInputRequest<CreateMessage>.self),
        "CreateMessageRequestParams": .of(CreateMessageRequestParams.self),
        "CreateMessageResult": .of(CreateMessageResult.self),
        "DiscoverRequest": .of(MCPRequestMessage<Discover>.self),
        "DiscoverResult": .of(DiscoverResult.self),
        "DiscoverResultResponse": .of(MCPResultMessage<Discover>.self),
        "ElicitRequest": .of(MCPInputRequest<Elicit>.self),
        "ElicitRequestFormParams": .of(ElicitRequestFormParams.self),
        "ElicitRequestURLParams": .of(ElicitRequestURLParams.self),
        "ElicitResult": .of(ElicitResult.self),
        "EmbeddedResource": .of(EmbeddedResource.self),
        "GetPromptRequest": .of(MCPRequestMessage<GetPrompt>.self),
        "GetPromptRequestParams": .of(GetPromptRequestParams.self),
        "GetPromptResult": .of(GetPromptResult.self),
        "GetPromptResultResponse": .of(MCPResultMessage<GetPrompt>.self),
        "HeaderMismatchError": .of(MCPErrorMessage.self),
        "ImageContent": .of(ImageContent.self),
        "InputRequests": .of(InputRequests.self),
        "InputRequiredResult": .of(InputRequiredResult.self),
        "InputResponses": .of(InputResponses.self),
        "InternalError": .of(JSONRPCError.self),
        "InvalidParamsError": .of(JSONRPCError.self),
        "ListPromptsRequest": .of(MCPRequestMessage<ListPrompts>.self),
        "ListPromptsResult": .of(ListPromptsResult.self),
        "ListPromptsResultResponse": .of(MCPResultMessage<ListPrompts>.self),
        "ListResourceTemplatesRequest": .of(MCPRequestMessage<ListResourceTemplates>.self),
        "ListResourceTemplatesResult": .of(ListResourceTemplatesResult.self),
        "ListResourceTemplatesResultResponse": .of(MCPResultMessage<ListResourceTemplates>.self),
        "ListResourcesRequest": .of(MCPRequestMessage<ListResources>.self),
        "ListResourcesResult": .of(ListResourcesResult.self),
        "ListResourcesResultResponse": .of(MCPResultMessage<ListResources>.self),
        "ListRootsRequest": .of(MCPInputRequest<ListRoots>.self),
        "ListRootsResult": .of(ListRootsResult.self),
        "ListToolsRequest": .of(MCPRequestMessage<ListTools>.self),
        "ListToolsResult": .of(ListToolsResult.self),
        "ListToolsResultResponse": .of(MCPResultMessage<ListTools>.self),
        "LoggingMessageNotification": .of(MCPNotificationMessage<LoggingMessageNotification>.self),
        "LoggingMessageNotificationParams": .of(LoggingMessageNotificationParams.self),
        "MethodNotFoundError": .of(JSONRPCError.self),
        "MissingRequiredClientCapabilityError": .of(MCPErrorMessage.self),
        "ModelPreferences": .of(ModelPreferences.self),
        "NumberSchema": .of(NumberSchema.self),
        "PaginatedRequestParams": .of(PaginatedRequestParams.self),
        "ParseError": .of(JSONRPCError.self),
        "ProgressNotification": .of(MCPNotificationMessage<ProgressNotification>.self),
        "ProgressNotificationParams": .of(ProgressNotificationParams.self),
        "PromptListChangedNotification": .of(MCPNotificationMessage<PromptListChangedNotification>.self),
        "ReadResourceRequest": .of(MCPRequestMessage<ReadResource>.self),
        "ReadResourceResult": .of(ReadResourceResult.self),
        "ReadResourceResultResponse": .of(MCPResultMessage<ReadResource>.self),
        "Resource": .of(Resource.self),
        "ResourceLink": .of(ResourceLink.self),
        "ResourceListChangedNotification": .of(MCPNotificationMessage<ResourceListChangedNotification>.self),
        "ResourceUpdatedNotification": .of(MCPNotificationMessage<ResourceUpdatedNotification>.self),
        "ResourceUpdatedNotificationParams": .of(ResourceUpdatedNotificationParams.self),
        "Root": .of(Root.self),
        "SamplingMessage": .of(SamplingMessage.self),
        "ServerCapabilities": .of(ServerCapabilities.self),
        "StringSchema": .of(StringSchema.self),
        "SubscriptionsAcknowledgedNotification": .of(MCPNotificationMessage<SubscriptionsAcknowledgedNotification>.self),
        "SubscriptionsListenRequest": .of(MCPRequestMessage<SubscriptionsListen>.self),
        "SubscriptionsListenResult": .of(SubscriptionsListenResult.self),
        "SubscriptionsListenResultResponse": .of(MCPResultMessage<SubscriptionsListen>.self),
        "TextContent": .of(TextContent.self),
        "TextResourceContents": .of(TextResourceContents.self),
        "TitledMultiSelectEnumSchema": .of(TitledMultiSelectEnumSchema.self),
        "TitledSingleSelectEnumSchema": .of(TitledSingleSelectEnumSchema.self),
        "Tool": .of(Tool.self),
        "ToolListChangedNotification": .of(MCPNotificationMessage<ToolListChangedNotification>.self),
        "ToolResultContent": .of(ToolResultContent.self),
        "ToolUseContent": .of(ToolUseContent.self),
        "UnsupportedProtocolVersionError": .of(MCPErrorMessage.self),
        "UntitledMultiSelectEnumSchema": .of(UntitledMultiSelectEnumSchema.self),
        "UntitledSingleSelectEnumSchema": .of(UntitledSingleSelectEnumSchema.self),
    ]

    /// Examples that must also round-trip through a union type, landing in one case.
    static let unions: [String: (RoundTrip, @Sendable (JSONValue) throws -> String)] = [
        "TextContent": (.of(ContentBlock.self), { try caseName(ContentBlock.self, $0) }),
        "ImageContent": (.of(ContentBlock.self), { try caseName(ContentBlock.self, $0) }),
        "AudioContent": (.of(ContentBlock.self), { try caseName(ContentBlock.self, $0) }),
        "ResourceLink": (.of(ContentBlock.self), { try caseName(ContentBlock.self, $0) }),
        "EmbeddedResource": (.of(ContentBlock.self), { try caseName(ContentBlock.self, $0) }),
        "ToolUseContent": (.of(ContentBlock.self), { try caseName(ContentBlock.self, $0) }),
        "ToolResultContent": (.of(ContentBlock.self), { try caseName(ContentBlock.self, $0) }),
        "StringSchema": (.of(PrimitiveSchemaDefinition.self), { try caseName(PrimitiveSchemaDefinition.self, $0) }),
        "NumberSchema": (.of(PrimitiveSchemaDefinition.self), { try caseName(PrimitiveSchemaDefinition.self, $0) }),
        "BooleanSchema": (.of(PrimitiveSchemaDefinition.self), { try caseName(PrimitiveSchemaDefinition.self, $0) }),
        "UntitledSingleSelectEnumSchema": (
            .of(PrimitiveSchemaDefinition.self), { try caseName(PrimitiveSchemaDefinition.self, $0) }
        ),
        "TitledSingleSelectEnumSchema": (
            .of(PrimitiveSchemaDefinition.self), { try caseName(PrimitiveSchemaDefinition.self, $0) }
        ),
        "UntitledMultiSelectEnumSchema": (
            .of(PrimitiveSchemaDefinition.self), { try caseName(PrimitiveSchemaDefinition.self, $0) }
        ),
        "TitledMultiSelectEnumSchema": (
            .of(PrimitiveSchemaDefinition.self), { try caseName(PrimitiveSchemaDefinition.self, $0) }
        ),
        "ElicitRequestFormParams": (.of(ElicitRequestParams.self), { try caseName(ElicitRequestParams.self, $0) }),
        "ElicitRequestURLParams": (.of(ElicitRequestParams.self), { try caseName(ElicitRequestParams.self, $0) }),
        "CallToolResult": (.of(CallTool.Result.self), { try caseName(CallTool.Result.self, $0) }),
        "GetPromptResult": (.of(GetPrompt.Result.self), { try caseName(GetPrompt.Result.self, $0) }),
        "ReadResourceResult": (.of(ReadResource.Result.self), { try caseName(ReadResource.Result.self, $0) }),
        "InputRequiredResult": (.of(CallTool.Result.self), { try caseName(CallTool.Result.self, $0) }),
        "CreateMessageResult": (.of(InputResponse.self), { try caseName(InputResponse.self, $0) }),
        "ElicitResult": (.of(InputResponse.self), { try caseName(InputResponse.self, $0) }),
        "ListRootsResult": (.of(InputResponse.self), { try caseName(InputResponse.self, $0) }),
    ]

    /// The case each union example must land in.
    static let expectedCases: [String: String] = [
        "TextContent": "text", "ImageContent": "image", "AudioContent": "audio", "ResourceLink": "resourceLink",
        "EmbeddedResource": "resource", "ToolUseContent": "toolUse", "ToolResultContent": "toolResult",
        "StringSchema": "string", "NumberSchema": "number", "BooleanSchema": "boolean",
        "UntitledSingleSelectEnumSchema": "untitledSingleSelect", "TitledSingleSelectEnumSchema": "titledSingleSelect",
        "UntitledMultiSelectEnumSchema": "untitledMultiSelect", "TitledMultiSelectEnumSchema": "titledMultiSelect",
        "ElicitRequestFormParams": "form", "ElicitRequestURLParams": "url",
        "CallToolResult": "complete", "GetPromptResult": "complete", "ReadResourceResult": "complete",
        "InputRequiredResult": "inputRequired",
        "CreateMessageResult": "createMessage", "ElicitResult": "elicit", "ListRootsResult": "listRoots",
    ]

    static func caseName<T: Decodable>(_ type: T.Type, _ value: JSONValue) throws -> String {
        let decoded = try JSONValueDecoder().decode(type, from: value)
        let description = String(describing: decoded)
        return String(description.prefix { $0 != "(" })
    }

    static func load(_ url: URL) throws -> JSONValue {
        try JSONParser().parse(Array(try Data(contentsOf: url)))
    }

    @Test func everyExampleDirectoryHasAType() throws {
        let directories = try SchemaFixtures.exampleDirectories()
        #expect(directories.count >= 80)
        for name in directories {
            #expect(Self.types[name] != nil, "no Swift type for the examples of \(name)")
        }
        #expect(Set(Self.types.keys).subtracting(directories).isEmpty, "types for missing directories")
    }

    @Test(arguments: try SchemaFixtures.exampleDirectories())
    func examplesRoundTrip(_ name: String) throws {
        let roundTrip = try #require(Self.types[name], "no Swift type for \(name)")
        let files = try SchemaFixtures.exampleFiles(name)
        #expect(!files.isEmpty)
        for file in files {
            let value = try Self.load(file)
            let encoded: JSONValue
            do {
                encoded = try roundTrip.run(value)
            } catch {
                Issue.record("\(name)/\(file.lastPathComponent) does not decode as \(roundTrip.typeName): \(error)")
                continue
            }
            #expect(encoded == value, "\(name)/\(file.lastPathComponent) changed:\n\(value)\n\(encoded)")
            if let (union, caseOf) = Self.unions[name] {
                #expect(try union.run(value) == value, "\(name)/\(file.lastPathComponent) through \(union.typeName)")
                #expect(try caseOf(value) == Self.expectedCases[name], "\(name)/\(file.lastPathComponent)")
            }
        }
    }

    @Test func exampleFileCount() throws {
        let count = try SchemaFixtures.exampleDirectories().reduce(0) { $0 + (try SchemaFixtures.exampleFiles($1).count) }
        #expect(count == 129)
    }
}

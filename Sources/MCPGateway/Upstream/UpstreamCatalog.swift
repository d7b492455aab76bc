import MCPCore

/// What an upstream offers, as it last said: its `initialize` result and its lists of
/// tools, prompts, resources and resource templates, fetched whole (every page) after
/// each start and again when the upstream says a list changed.
struct UpstreamCatalog: Sendable, Hashable {
    /// The kinds of list the gateway caches.
    enum List: String, Sendable, CaseIterable {
        case tools
        case prompts
        case resources
        case resourceTemplates

        /// The method that reads the list.
        var method: String {
            switch self {
            case .tools: "tools/list"
            case .prompts: "prompts/list"
            case .resources: "resources/list"
            case .resourceTemplates: "resources/templates/list"
            }
        }

        /// The member of the result that holds the items.
        var member: String { rawValue }

        /// The capability an upstream declares when it has this list.
        var capability: String {
            switch self {
            case .tools: "tools"
            case .prompts: "prompts"
            case .resources, .resourceTemplates: "resources"
            }
        }

        /// The list a `notifications/.../list_changed` notification is about.
        init?(changeNotification method: String) {
            switch method {
            case "notifications/tools/list_changed": self = .tools
            case "notifications/prompts/list_changed": self = .prompts
            case "notifications/resources/list_changed": self = .resources
            default: return nil
            }
        }
    }

    /// The upstream's `initialize` result.
    var initializeResult: JSONObject
    /// The items of each list, in the upstream's order.
    var items: [List: [JSONObject]] = [:]

    /// The upstream's capabilities.
    var capabilities: JSONObject { initializeResult["capabilities"]?.objectValue ?? [:] }

    /// Whether the upstream declares the capability behind a list.
    func offers(_ list: List) -> Bool { capabilities[list.capability] != nil }

    /// Reads every page of one list, up to `maxItems` items and a bounded number of pages.
    static func fetch(
        _ list: List, maxItems: Int, using request: (String, JSONValue?) async throws -> JSONValue
    ) async throws -> [JSONObject] {
        var collected: [JSONObject] = []
        var cursor: String?
        var seenCursors: Set<String> = []
        for _ in 0..<1000 {
            let params: JSONValue? = cursor.map { ["cursor": .string($0)] }
            let result = try await request(list.method, params)
            for item in result[list.member]?.arrayValue ?? [] {
                guard let object = item.objectValue else { continue }
                guard collected.count < maxItems else { return collected }
                collected.append(object)
            }
            // A server that hands out the same cursor twice would page forever.
            guard let next = result["nextCursor"]?.stringValue, !next.isEmpty, seenCursors.insert(next).inserted else {
                break
            }
            cursor = next
        }
        return collected
    }
}

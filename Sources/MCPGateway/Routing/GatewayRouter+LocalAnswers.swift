import MCPCore

extension GatewayRouter {

    /// `server/discover` of 2026-07-28: the revisions the gateway speaks and what its
    /// upstreams offer together.
    func discoverResult(_ request: GatewayRequest) -> MessageEnvelope {
        var result: JSONObject = [
            "supportedVersions": .array(negotiation.supported.sorted(by: >).map { .string($0.rawValue) }),
            "capabilities": .object(mergedCapabilities()),
            "_meta": [
                "io.modelcontextprotocol/serverInfo": [
                    "name": "mcp-gateway", "version": .string(GatewayVersion.current),
                ]
            ],
            "ttlMs": 0,
            "cacheScope": "private",
        ]
        if supervisors.count == 1, let instructions = supervisors[0].catalog?.initializeResult["instructions"] {
            result["instructions"] = instructions
        }
        return request.resultResponse(result)
    }

    /// The capabilities of every upstream taken together.
    func mergedCapabilities() -> JSONObject {
        var capabilities: JSONObject = [:]
        for catalog in supervisors.map(\.catalog).compactMap({ $0 }) {
            for key in ["tools", "prompts", "resources", "logging", "completions"]
            where catalog.capabilities[key] != nil {
                var merged = capabilities[key]?.objectValue ?? [:]
                // The gateway tells clients when an upstream says a list changed.
                if key == "tools" || key == "prompts" || key == "resources" { merged["listChanged"] = true }
                if key == "resources", catalog.capabilities["resources"]?["subscribe"]?.boolValue == true {
                    merged["subscribe"] = true
                }
                capabilities[key] = .object(merged)
            }
        }
        return capabilities
    }

    func initializeResult(_ request: GatewayRequest) -> MessageEnvelope {
        let requested = request.message.decodeParams()?["protocolVersion"]?.stringValue ?? ""
        guard let chosen = negotiation.answerInitialize(requested: requested) else {
            return request.errorResponse(negotiation.unsupportedVersionError(requested: requested))
        }
        metrics.recordSessionStarted()
        let catalogs = supervisors.map(\.catalog)
        if supervisors.count == 1 {
            // Pass-through: the upstream introduces itself.
            guard var result = catalogs[0]?.initializeResult else {
                return request.errorResponse(
                    JSONRPCError(
                        code: .internalError, message: "Upstream \(configuration.upstreams[0].name) is not initialized")
                )
            }
            result["protocolVersion"] = .string(chosen.rawValue)
            return request.resultResponse(result)
        }
        let result: JSONObject = [
            "protocolVersion": .string(chosen.rawValue),
            "capabilities": .object(mergedCapabilities()),
            "serverInfo": ["name": "mcp-gateway", "version": .string(GatewayVersion.current)],
        ]
        return request.resultResponse(result)
    }

    /// One page of a merged list. The cursor is opaque to clients: it carries the offset
    /// into the merged, deterministically ordered list.
    func mergedList(_ list: UpstreamCatalog.List, _ request: GatewayRequest) throws -> MessageEnvelope {
        let items = routeTable().items[list] ?? []
        var offset = 0
        if let cursor = request.message.decodeParams()?["cursor"] {
            guard let text = cursor.stringValue, let decoded = ListCursor(text), decoded.offset <= items.count else {
                throw JSONRPCError.invalidParams("Invalid cursor")
            }
            offset = decoded.offset
        }
        let end = min(items.count, offset + configuration.limits.pageSize)
        var result: JSONObject = [list.member: .array(items[offset..<end].map { .object($0) })]
        if end < items.count { result["nextCursor"] = .string(ListCursor(offset: end).text) }
        return request.resultResponse(result)
    }

    /// `logging/setLevel` goes to every upstream that logs; the client gets one answer.
    func setLevel(_ request: GatewayRequest) async -> MessageEnvelope {
        guard let level = request.message.decodeParams()?["level"] else {
            return request.errorResponse(.invalidParams("level is required"))
        }
        await withTaskGroup(of: Void.self) { group in
            for supervisor in supervisors where supervisor.catalog?.capabilities["logging"] != nil {
                guard let connection = try? supervisor.connection() else { continue }
                group.addTask { _ = try? await connection.request("logging/setLevel", params: ["level": level]) }
            }
        }
        return request.resultResponse([:])
    }

    /// `subscriptions/listen` of 2026-07-28: acknowledges the list notifications and the
    /// resource subscriptions the gateway can serve, then sends each notification on this
    /// request's stream until the client closes it (or the gateway stops).
    func listen(_ request: GatewayRequest) async -> MessageEnvelope {
        let wanted = request.message.decodeParams()?["notifications"]?.objectValue ?? [:]
        var accepted: JSONObject = [:]
        var methods: Set<String> = []
        for (key, method) in [
            ("toolsListChanged", "notifications/tools/list_changed"),
            ("promptsListChanged", "notifications/prompts/list_changed"),
            ("resourcesListChanged", "notifications/resources/list_changed"),
        ] where wanted[key]?.boolValue == true {
            accepted[key] = true
            methods.insert(method)
        }
        // Resource subscriptions: those an upstream serves and can subscribe to, subscribed
        // there on the gateway's own session (bounded).
        var uris: Set<String> = []
        if let requested = wanted["resourceSubscriptions"]?.arrayValue {
            let routes = routeTable()
            for uri in requested.prefix(100).compactMap(\.stringValue) {
                guard let index = routes.upstream(forResource: uri),
                    supervisors[index].catalog?.capabilities["resources"]?["subscribe"]?.boolValue == true,
                    let connection = try? supervisors[index].connection(),
                    (try? await connection.request("resources/subscribe", params: ["uri": .string(uri)])) != nil
                else { continue }
                uris.insert(uri)
            }
            accepted["resourceSubscriptions"] = .array(uris.sorted().map { .string($0) })
        }
        let subscription: JSONValue = request.message.id.map { $0.jsonValue } ?? .null
        let meta: JSONObject = [
            "io.modelcontextprotocol/subscriptionId": subscription.stringValue.map { .string($0) } ?? subscription
        ]
        guard let stream = notifier.listen() else {
            return request.errorResponse(JSONRPCError(code: .internalError, message: "Too many listeners"))
        }
        let acknowledged: JSONValue = [
            "jsonrpc": "2.0", "method": "notifications/subscriptions/acknowledged",
            "params": ["_meta": .object(meta), "notifications": .object(accepted)],
        ]
        await request.related(acknowledged.serialized)
        for await event in stream {
            let notification: JSONValue
            switch event {
            case .listChanged(let method) where methods.contains(method):
                notification = ["jsonrpc": "2.0", "method": .string(method), "params": ["_meta": .object(meta)]]
            case .resourceUpdated(let uri) where uris.contains(uri):
                notification = [
                    "jsonrpc": "2.0", "method": "notifications/resources/updated",
                    "params": ["uri": .string(uri), "_meta": .object(meta)],
                ]
            default:
                continue
            }
            await request.related(notification.serialized)
        }
        return request.resultResponse(["_meta": .object(meta)])
    }
}

public import MCPCore
public import MCPPolicy

/// Who can call what: for each principal, every tool, prompt and resource the upstreams
/// offer now, with the policy's static decision (no rate limit, loop count or approval is
/// touched), for periodic access reviews.
public enum AccessReview {
    /// One line of the review.
    public struct Entry: Sendable, Hashable {
        /// The principal.
        public var principal: PolicyPrincipal
        /// The upstream's name.
        public var upstream: String
        /// `tool`, `prompt` or `resource`.
        public var kind: String
        /// The name (or URI) as the upstream knows it.
        public var name: String
        /// The name (or URI) as clients see it.
        public var exposedName: String
        /// `allow`, `deny` or `requireApproval` (with no policy: `allow`).
        public var outcome: String
        /// The rules that matched.
        public var ruleIDs: [String]
    }

    /// Starts the configured upstreams, reads what they offer, and decides every item for
    /// every principal.
    ///
    /// - Parameters:
    ///   - configuration: the gateway's configuration (its upstreams are started and
    ///     stopped again).
    ///   - engine: the policy; `nil` allows everything.
    ///   - principals: who to review.
    /// - Returns: the entries, by principal, then in the order clients see the items.
    /// - Throws: when no upstream can be started.
    public static func run(
        configuration: GatewayConfiguration, engine: PolicyEngine?, principals: [PolicyPrincipal]
    ) async throws -> [Entry] {
        let gateway = Gateway(configuration: configuration)
        return try await gateway.withResponder { _ in
            guard let router = gateway.router else { return [] }
            let routes = router.routeTable()
            var entries: [Entry] = []
            let now = PolicyTime.now
            for principal in principals {
                for (list, kind, key, operation) in [
                    (UpstreamCatalog.List.tools, "tool", "name", OperationKind.toolCall),
                    (.prompts, "prompt", "name", .promptGet), (.resources, "resource", "uri", .resourceRead),
                ] {
                    for item in routes.items[list] ?? [] {
                        guard let exposed = item[key]?.stringValue else { continue }
                        let upstream: String
                        let name: String
                        var annotations = ToolAnnotations()
                        if list == .resources {
                            guard let index = routes.upstream(forResource: exposed) else { continue }
                            upstream = configuration.upstreams[index].name
                            name = exposed
                        } else {
                            guard let route = routes.route(list, named: exposed) else { continue }
                            upstream = configuration.upstreams[route.upstream].name
                            name = route.name
                            if let value = route.definition["annotations"],
                                let decoded = try? JSONValueDecoder().decode(ToolAnnotations.self, from: value)
                            {
                                annotations = decoded
                            }
                        }
                        var entry = Entry(
                            principal: principal, upstream: upstream, kind: kind, name: name, exposedName: exposed,
                            outcome: "allow",
                            ruleIDs: [])
                        if let engine {
                            let decision = engine.evaluate(
                                PolicyRequest(
                                    principal: principal, upstream: upstream, kind: operation, name: name,
                                    annotations: annotations),
                                now: now)
                            entry.outcome = decision.outcome.rawValue
                            entry.ruleIDs = decision.matchedRuleIDs
                        }
                        entries.append(entry)
                    }
                }
            }
            return entries
        }
    }

    /// The entries as a JSON array.
    public static func json(_ entries: [Entry]) -> JSONValue {
        .array(
            entries.map { entry in
                [
                    "subject": .string(entry.principal.subject), "organization": .string(entry.principal.organization),
                    "teams": .array(entry.principal.teams.map { .string($0) }), "upstream": .string(entry.upstream),
                    "kind": .string(entry.kind), "name": .string(entry.name), "exposedName": .string(entry.exposedName),
                    "outcome": .string(entry.outcome), "ruleIds": .array(entry.ruleIDs.map { .string($0) }),
                ]
            })
    }

    /// The entries as RFC 4180 CSV with a header line.
    public static func csv(_ entries: [Entry]) -> String {
        func field(_ text: String) -> String {
            var safe = text
            // A spreadsheet must not run a field as a formula.
            if let first = safe.first, "=+-@\t\r".contains(first) { safe = "'" + safe }
            guard safe.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return safe }
            var quoted = "\""
            for character in safe {
                if character == "\"" { quoted.append("\"") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        var lines = ["subject,organization,teams,upstream,kind,name,exposedName,outcome,ruleIds"]
        for entry in entries {
            lines.append(
                [
                    entry.principal.subject, entry.principal.organization, entry.principal.teams.joined(separator: ";"),
                    entry.upstream,
                    entry.kind, entry.name, entry.exposedName, entry.outcome, entry.ruleIDs.joined(separator: ";"),
                ].map(field).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}

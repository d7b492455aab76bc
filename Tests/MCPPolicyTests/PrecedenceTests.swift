import MCPCore
import MCPPolicy
import Testing

@Suite("Effects and precedence")
struct PrecedenceTests {
    let now = wednesdayNoon

    @Test("the default effect decides when no rule matches; an organization without documents is denied")
    func defaults() throws {
        let open = try engine(allowAll())
        #expect(open.decide(call("anything"), now: now).outcome == .allow)
        #expect(open.decide(call("anything"), now: now).decidingRule == nil)
        let closed = try engine(denyAll())
        #expect(closed.decide(call("anything"), now: now).outcome == .deny)
        #expect(closed.decide(call("anything"), now: now).reason == "no policy rule allows this call")
        let unset = try engine(#"{"id":"d","organization":"acme"}"#)
        #expect(unset.decide(call("anything"), now: now).outcome == .deny)
        #expect(open.decide(call("anything", as: principal(org: "globex")), now: now).outcome == .deny)
    }

    @Test("an explicit deny wins over allow and approval in every layer")
    func denyWins() throws {
        let org = denyAll(
            #"{"id":"allow-all","effect":"allow"},{"id":"approve","effect":"requireApproval","when":{"names":["merge"]}}"#
        )
        let team =
            #"{"id":"ops","organization":"acme","layer":"team","team":"ops","rules":[{"id":"no-merge","effect":"deny","reason":"ops may not merge","when":{"names":["merge"]}}]}"#
        let user =
            #"{"id":"alice","organization":"acme","layer":"user","subject":"alice","rules":[{"id":"merge-ok","effect":"allow","when":{"names":["merge"]}}]}"#
        let policy = try engine(org, team, user)
        let inOps = policy.decide(call("merge", as: principal(teams: ["ops"])), now: now)
        #expect(inOps.outcome == .deny)
        #expect(inOps.reason == "ops may not merge")
        #expect(inOps.decidingRule?.description == "ops/no-merge")
        // Reported by layer: user, team, organization, then document order.
        #expect(inOps.matchedRuleIDs == ["alice/merge-ok", "ops/no-merge", "acme-base/allow-all", "acme-base/approve"])
        let notInOps = policy.decide(call("merge"), now: now)
        #expect(notInOps.outcome == .requireApproval)
        #expect(notInOps.decidingRule?.description == "acme-base/approve")
        let bob = policy.decide(call("merge", as: principal("bob")), now: now)
        #expect(bob.matchedRuleIDs == ["acme-base/allow-all", "acme-base/approve"])
    }

    @Test("team and user documents apply only to their team and subject")
    func layerScope() throws {
        let team =
            #"{"id":"dev","organization":"acme","layer":"team","team":"dev","rules":[{"id":"deploy","effect":"allow","when":{"names":["deploy"]}}]}"#
        let user =
            #"{"id":"bob","organization":"acme","layer":"user","subject":"bob","rules":[{"id":"search","effect":"allow","when":{"names":["search"]}}]}"#
        let policy = try engine(denyAll(), team, user)
        #expect(policy.decide(call("deploy", as: principal(teams: ["dev"])), now: now).outcome == .allow)
        #expect(policy.decide(call("deploy", as: principal(teams: ["qa"])), now: now).outcome == .deny)
        #expect(policy.decide(call("search", as: principal("bob")), now: now).outcome == .allow)
        #expect(policy.decide(call("search", as: principal("alice")), now: now).outcome == .deny)
        #expect(policy.decide(call("search", as: principal("bob", org: "globex")), now: now).outcome == .deny)
    }

    @Test("a rule of one organization never affects another")
    func organizationIsolation() throws {
        let acme = allowAll(#"{"id":"no-delete","effect":"deny","when":{"names":["delete"]}}"#)
        let globex = denyAll(#"{"id":"delete-ok","effect":"allow","when":{"names":["delete"]}}"#, org: "globex")
        let policy = try engine(acme, globex)
        #expect(policy.decide(call("delete"), now: now).outcome == .deny)
        #expect(policy.decide(call("delete", as: principal(org: "globex")), now: now).outcome == .allow)
        #expect(policy.decide(call("other", as: principal(org: "globex")), now: now).outcome == .deny)
        #expect(policy.decide(call("other"), now: now).outcome == .allow)
    }

    @Test("shadow rules and shadow documents are reported, never enforced")
    func shadowMode() throws {
        let org = allowAll(
            #"{"id":"trial-deny","effect":"deny","shadow":true,"reason":"would block","when":{"names":["drop_*"]}}"#)
        let shadowDoc =
            #"{"id":"next","organization":"acme","layer":"team","team":"dev","shadow":true,"rules":[{"id":"approve-all","effect":"requireApproval"}]}"#
        let policy = try engine(org, shadowDoc)
        let decision = policy.decide(call("drop_table"), now: now)
        #expect(decision.outcome == .allow)
        #expect(decision.matchedRules.isEmpty)
        #expect(decision.shadow?.outcome == .deny)
        #expect(decision.shadow?.reason == "would block")
        #expect(decision.shadow?.matchedRules.map(\.description) == ["acme-base/trial-deny"])
        #expect(decision.matchedRuleIDs == ["acme-base/trial-deny"])
        let dev = policy.decide(call("search", as: principal(teams: ["dev"])), now: now)
        #expect(dev.outcome == .allow)
        #expect(dev.approvalID == nil)
        #expect(dev.shadow?.outcome == .requireApproval)
        #expect(policy.decide(call("search"), now: now).shadow == nil)
    }

    @Test("features turn off tools, resources, prompts, sampling and elicitation per upstream and principal")
    func features() throws {
        let org = allowAll(
            "",
            extra:
                #","features":[{"id":"web-quiet","when":{"upstreams":["web"]},"disable":["sampling","elicitation"]},{"when":{"teams":["interns"],"upstreams":["db"]},"disable":["tools","resources","prompts"],"reason":"not for interns"}]"#
        )
        let policy = try engine(org)
        #expect(policy.decide(call("", upstream: "web", kind: .sampling), now: now).outcome == .deny)
        #expect(
            policy.decide(call("", upstream: "web", kind: .elicitation), now: now).decidingRule?.ruleID == "web-quiet")
        #expect(policy.decide(call("", upstream: "db", kind: .sampling), now: now).outcome == .allow)
        #expect(policy.decide(call("search", upstream: "web"), now: now).outcome == .allow)
        let intern = principal(teams: ["interns"])
        for kind in [OperationKind.toolCall, .resourceRead, .promptGet] {
            let decision = policy.decide(call("x", upstream: "db", kind: kind, as: intern), now: now)
            #expect(decision.outcome == .deny)
            #expect(decision.reason == "not for interns")
            #expect(decision.decidingRule?.ruleID == "features[1]")
            #expect(!policy.isVisible(call("x", upstream: "db", kind: kind, as: intern), now: now))
        }
        #expect(policy.decide(call("x", upstream: "db", kind: .sampling, as: intern), now: now).outcome == .allow)
    }

    static let readOnlyPolicy = allowAll(
        "",
        extra:
            #","tools":[{"upstream":"github","names":["get_*","list_issues"],"traits":["readOnly"]},{"names":["get_secret"],"traits":["destructive"]}],"readOnlyMode":[{"id":"contractors","when":{"teams":["contractors"]}}]"#
    )

    @Test("read-only mode lets through only tools the policy declares read-only, never annotations")
    func readOnlyMode() throws {
        let policy = try engine(Self.readOnlyPolicy)
        let contractor = principal(teams: ["contractors"])
        #expect(policy.decide(call("get_issue", as: contractor), now: now).outcome == .allow)
        #expect(policy.decide(call("list_issues", as: contractor), now: now).outcome == .allow)
        let hinted = call(
            "create_issue", as: contractor, annotations: ToolAnnotations(readOnlyHint: true, destructiveHint: false))
        let decision = policy.decide(hinted, now: now)
        #expect(decision.outcome == .deny)
        #expect(decision.decidingRule?.ruleID == "contractors")
        #expect(!policy.isVisible(hinted, now: now))
        // Another upstream's get_issue is not declared.
        #expect(policy.decide(call("get_issue", upstream: "jira", as: contractor), now: now).outcome == .deny)
        // Declared readOnly and destructive by two declarations: not proven.
        #expect(policy.decide(call("get_secret", as: contractor), now: now).outcome == .deny)
        // Reads of resources and prompts are not tool calls.
        #expect(policy.decide(call("file:///a", kind: .resourceRead, as: contractor), now: now).outcome == .allow)
        #expect(policy.decide(call("create_issue"), now: now).outcome == .allow)
    }

    @Test("a connection another layer marks read-only gets the same treatment")
    func readOnlyConnection() throws {
        let policy = try engine(Self.readOnlyPolicy)
        let decision = policy.decide(call("create_issue", readOnly: true), now: now)
        #expect(decision.outcome == .deny)
        #expect(decision.decidingRule?.description == "request/read-only-connection")
        #expect(policy.decide(call("get_issue", readOnly: true), now: now).outcome == .allow)
        #expect(!policy.isVisible(call("create_issue", readOnly: true), now: now))
    }

    @Test("listing agrees with enforcement; argument conditions, rate limits and approvals never hide")
    func visibility() throws {
        let policy = try engine(
            denyAll(
                #"""
                {"id":"read","effect":"allow","when":{"names":["get_*"]}},
                {"id":"approve","effect":"requireApproval","when":{"names":["merge"]}},
                {"id":"limit","effect":"rateLimit","when":{"names":["get_*"]},"rateLimit":{"capacity":1,"refillPerSecond":0.001}},
                {"id":"write-own","effect":"allow","when":{"names":["write"],"arguments":[{"path":"owner","op":"equals","value":"me"}]}},
                {"id":"no-prod","effect":"deny","when":{"names":["get_*"],"arguments":[{"path":"env","op":"equals","value":"prod"}]}},
                {"id":"no-drop","effect":"deny","when":{"names":["get_drop"]}}
                """#))
        let names = ["get_a", "get_drop", "merge", "write", "delete"]
        #expect(policy.visibleNames(names, for: call(""), now: now) == ["get_a", "merge", "write"])
        _ = policy.decide(call("get_a"), now: now)
        #expect(policy.decide(call("get_a"), now: now).outcome == .rateLimited)
        #expect(policy.isVisible(call("get_a"), now: now))
        #expect(policy.decide(call("get_a", arguments: ["env": "prod"]), now: now).outcome == .deny)
        #expect(policy.decide(call("write", arguments: ["owner": "me"]), now: now).outcome == .allow)
        #expect(policy.decide(call("write", arguments: ["owner": "you"]), now: now).outcome == .deny)
    }

    @Test("a remembered rule's reason and a generated reason are shown for each effect")
    func reasons() throws {
        let policy = try engine(
            denyAll(
                #"{"id":"a","effect":"allow","when":{"names":["x"]}},{"id":"d","effect":"deny","when":{"names":["y"]}},{"id":"p","effect":"requireApproval","when":{"names":["z"]}}"#
            ))
        #expect(policy.decide(call("x"), now: now).reason == "allowed by policy rule a")
        #expect(policy.decide(call("y"), now: now).reason == "denied by policy rule d")
        #expect(policy.decide(call("z"), now: now).reason == "this call needs approval (rule p)")
        #expect(policy.decide(call("z"), now: now).approvalID != nil)
    }
}

@Suite("Operation kinds")
struct OperationKindTests {
    @Test("MCP methods map to the kinds they call or list")
    func methods() {
        #expect(OperationKind(method: "tools/call") == .toolCall)
        #expect(OperationKind(method: "resources/read") == .resourceRead)
        #expect(OperationKind(method: "prompts/get") == .promptGet)
        #expect(OperationKind(method: "sampling/createMessage") == .sampling)
        #expect(OperationKind(method: "elicitation/create") == .elicitation)
        #expect(OperationKind(method: "tools/list") == nil)
        #expect(OperationKind(listMethod: "tools/list") == .toolCall)
        #expect(OperationKind(listMethod: "resources/templates/list") == .resourceRead)
        #expect(OperationKind(listMethod: "prompts/list") == .promptGet)
        #expect(OperationKind(listMethod: "tools/call") == nil)
    }
}

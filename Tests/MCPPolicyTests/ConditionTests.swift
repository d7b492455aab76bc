import MCPCore
import MCPPolicy
import Testing

/// Each condition, in a deny rule over an allow-by-default organization: the call is
/// denied exactly when the condition holds.
@Suite("Conditions")
struct ConditionTests {
    struct Case: CustomStringConvertible, Sendable {
        let description: String
        let when: String
        let request: PolicyRequest
        let denied: Bool
        var time: PolicyTime = wednesdayNoon
    }

    static let args: JSONValue = [
        "repo": "prod-api", "count": 42, "ratio": 0.5, "tags": ["a", "urgent"], "nested": ["path": ["deep": true]],
        "files": [["path": "/etc/passwd"], ["path": "/tmp/x"]], "empty": nil,
    ]

    static let cases: [Case] = [
        Case(description: "subjects hit", when: #""subjects":["alice","bob"]"#, request: call("t"), denied: true),
        Case(description: "subjects miss", when: #""subjects":["bob"]"#, request: call("t"), denied: false),
        Case(
            description: "teams hit", when: #""teams":["ops"]"#,
            request: call("t", as: principal(teams: ["dev", "ops"])), denied: true),
        Case(
            description: "teams miss", when: #""teams":["ops"]"#, request: call("t", as: principal(teams: ["dev"])),
            denied: false),
        Case(
            description: "agents hit", when: #""agents":["cli"]"#, request: call("t", as: principal(agent: "cli")),
            denied: true),
        Case(description: "agents none", when: #""agents":["cli"]"#, request: call("t"), denied: false),
        Case(
            description: "connections hit", when: #""connections":["c1"]"#, request: call("t", connection: "c1"),
            denied: true),
        Case(
            description: "connections miss", when: #""connections":["c1"]"#, request: call("t", connection: "c2"),
            denied: false),
        Case(
            description: "scopes all present", when: #""scopes":["a","b"]"#,
            request: call("t", as: principal(scopes: ["b", "a", "c"])), denied: true),
        Case(
            description: "scopes one missing", when: #""scopes":["a","b"]"#,
            request: call("t", as: principal(scopes: ["a"])), denied: false),
        Case(
            description: "lacksScopes one missing", when: #""lacksScopes":["a","b"]"#,
            request: call("t", as: principal(scopes: ["a"])), denied: true),
        Case(
            description: "lacksScopes none missing", when: #""lacksScopes":["a"]"#,
            request: call("t", as: principal(scopes: ["a"])), denied: false),
        Case(description: "upstreams hit", when: #""upstreams":["github"]"#, request: call("t"), denied: true),
        Case(description: "upstreams miss", when: #""upstreams":["jira"]"#, request: call("t"), denied: false),
        Case(
            description: "kinds hit", when: #""kinds":["resourceRead"]"#,
            request: call("file:///x", kind: .resourceRead), denied: true),
        Case(description: "kinds miss", when: #""kinds":["resourceRead"]"#, request: call("t"), denied: false),
        Case(
            description: "exact name hit", when: #""names":["delete_repo"]"#, request: call("delete_repo"), denied: true
        ),
        Case(
            description: "exact name miss", when: #""names":["delete_repo"]"#, request: call("delete_repos"),
            denied: false),
        Case(description: "glob hit", when: #""names":["delete_*"]"#, request: call("delete_branch"), denied: true),
        Case(description: "glob miss", when: #""names":["delete_*"]"#, request: call("undelete_x"), denied: false),
        Case(
            description: "glob on a URI", when: #""names":["file:///etc/*"]"#,
            request: call("file:///etc/hosts", kind: .resourceRead), denied: true),
        Case(description: "question mark", when: #""names":["get_?"]"#, request: call("get_é"), denied: true),
        Case(description: "escaped star is literal", when: #""names":["a\\*"]"#, request: call("ab"), denied: false),
        Case(
            description: "declared trait hit", when: #""traits":["readOnly"]"#, request: call("get_issue"), denied: true
        ),
        Case(
            description: "declared trait not declared", when: #""traits":["readOnly"]"#,
            request: call("create_issue", annotations: ToolAnnotations(readOnlyHint: true)), denied: false),
        Case(
            description: "hint from annotation", when: #""hints":["readOnly"]"#,
            request: call("create_issue", annotations: ToolAnnotations(readOnlyHint: true)), denied: true),
        Case(
            description: "hint default destructive", when: #""hints":["destructive"]"#, request: call("create_issue"),
            denied: true),
        Case(
            description: "declaration wins over annotation", when: #""hints":["destructive"]"#,
            request: call("get_issue", annotations: ToolAnnotations(readOnlyHint: false, destructiveHint: true)),
            denied: false),
        Case(
            description: "traits never match a resource", when: #""hints":["destructive"]"#,
            request: call("file:///x", kind: .resourceRead), denied: false),
        Case(
            description: "facts all present", when: #""facts":["untrusted-content","private-data"]"#,
            request: call("t", facts: ["private-data", "untrusted-content"]), denied: true),
        Case(
            description: "facts one absent", when: #""facts":["untrusted-content","private-data"]"#,
            request: call("t", facts: ["private-data"]), denied: false),
        Case(
            description: "withoutFacts none present", when: #""withoutFacts":["reviewed"]"#, request: call("t"),
            denied: true),
        Case(
            description: "withoutFacts one present", when: #""withoutFacts":["reviewed"]"#,
            request: call("t", facts: ["reviewed"]), denied: false),
        Case(
            description: "equals string", when: #""arguments":[{"path":"repo","op":"equals","value":"prod-api"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "equals number by value", when: #""arguments":[{"path":"count","op":"equals","value":42.0}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "equals object in any order",
            when: #""arguments":[{"path":"nested","op":"equals","value":{"path":{"deep":true}}}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "equals miss", when: #""arguments":[{"path":"repo","op":"equals","value":"dev"}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "in hit", when: #""arguments":[{"path":"repo","op":"in","values":["x","prod-api"]}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "in miss", when: #""arguments":[{"path":"repo","op":"in","values":["x"]}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "prefix hit", when: #""arguments":[{"path":"repo","op":"prefix","value":"prod-"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "prefix on a number", when: #""arguments":[{"path":"count","op":"prefix","value":"4"}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "regex hit", when: #""arguments":[{"path":"repo","op":"regex","value":"^prod-[a-z]+$"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "regex miss", when: #""arguments":[{"path":"repo","op":"regex","value":"^dev"}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "range inside", when: #""arguments":[{"path":"count","op":"range","min":10,"max":42}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "range above", when: #""arguments":[{"path":"count","op":"range","max":41.5}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "range fraction", when: #""arguments":[{"path":"ratio","op":"range","min":0.25,"max":0.75}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "range on a string", when: #""arguments":[{"path":"repo","op":"range","min":0}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "present", when: #""arguments":[{"path":"nested.path.deep","op":"present"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "present null counts", when: #""arguments":[{"path":"empty","op":"present"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "present miss", when: #""arguments":[{"path":"nested.path.shallow","op":"present"}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "absent", when: #""arguments":[{"path":"force","op":"absent"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "absent miss", when: #""arguments":[{"path":"repo","op":"absent"}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "position", when: #""arguments":[{"path":"tags[1]","op":"equals","value":"urgent"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "position out of range", when: #""arguments":[{"path":"tags[5]","op":"present"}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "any element", when: #""arguments":[{"path":"files[*].path","op":"prefix","value":"/etc/"}]"#,
            request: call("t", arguments: args), denied: true),
        Case(
            description: "any element miss",
            when: #""arguments":[{"path":"files[*].path","op":"prefix","value":"/home/"}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "all argument conditions must hold",
            when:
                #""arguments":[{"path":"repo","op":"prefix","value":"prod"},{"path":"count","op":"range","min":100}]"#,
            request: call("t", arguments: args), denied: false),
        Case(
            description: "arguments null", when: #""arguments":[{"path":"repo","op":"present"}]"#, request: call("t"),
            denied: false),
        Case(
            description: "time inside", when: #""time":{"days":["wed"],"from":"09:00","to":"17:00"}"#,
            request: call("t"), denied: true),
        Case(
            description: "time other day", when: #""time":{"days":["thu"],"from":"09:00","to":"17:00"}"#,
            request: call("t"), denied: false),
        Case(
            description: "time after hours", when: #""time":{"from":"13:00","to":"17:00"}"#, request: call("t"),
            denied: false),
        Case(
            description: "time offset moves the hour",
            when: #""time":{"from":"13:00","to":"17:00","utcOffset":"+02:00"}"#,
            request: call("t"), denied: true),
        Case(
            description: "time offset moves the day", when: #""time":{"days":["thu"],"utcOffset":"+13:00"}"#,
            request: call("t"), denied: true),
        Case(
            description: "time wraps midnight", when: #""time":{"from":"22:00","to":"06:00"}"#, request: call("t"),
            denied: true,
            time: PolicyTime(rfc3339: "2026-11-25T23:30:00Z")!),
        Case(
            description: "time wraps midnight miss", when: #""time":{"from":"22:00","to":"06:00"}"#, request: call("t"),
            denied: false),
        Case(
            description: "end is exclusive", when: #""time":{"from":"09:00","to":"12:00"}"#, request: call("t"),
            denied: false),
    ]

    static func policy(_ when: String) -> String {
        #"{"id":"acme-base","organization":"acme","defaultEffect":"allow","tools":[{"upstream":"github","names":["get_*"],"traits":["readOnly","idempotent"]}],"rules":[{"id":"r","effect":"deny","when":{"#
            + when + "}}]}"
    }

    @Test("a condition matches exactly the requests it describes", arguments: cases)
    func condition(_ testCase: Case) throws {
        let policy = try engine(Self.policy(testCase.when))
        let decision = policy.decide(testCase.request, now: testCase.time)
        #expect((decision.outcome == .deny) == testCase.denied)
        if testCase.denied {
            #expect(decision.decidingRule?.ruleID == "r")
            #expect(decision.matchedRuleIDs == ["acme-base/r"])
        } else {
            #expect(decision.matchedRules.isEmpty)
        }
    }
}

extension ConditionTests {
    static let openEnded: [(String, String, Bool)] = [
        (#""time":{"from":"09:00"}"#, "2026-11-25T23:59:00Z", true),
        (#""time":{"from":"09:00"}"#, "2026-11-25T08:59:00Z", false),
        (#""time":{"to":"09:00"}"#, "2026-11-25T08:59:00Z", true),
        (#""time":{"to":"09:00"}"#, "2026-11-25T09:00:00Z", false),
        (#""time":{"from":"09:00","to":"24:00"}"#, "2026-11-25T23:59:00Z", true),
        (#""time":{"from":"09:00","to":"09:00"}"#, "2026-11-25T03:00:00Z", true),
        (#""time":{"days":["tue"],"utcOffset":"-13:00"}"#, "2026-11-25T13:00:00Z", false),
        (#""time":{"days":["tue"],"utcOffset":"-13:00"}"#, "2026-11-25T12:59:00Z", true),
    ]

    @Test("time windows with one bound run to the end or from the start of the day", arguments: 0..<openEnded.count)
    func openEndedWindow(_ index: Int) throws {
        let (when, time, denied) = Self.openEnded[index]
        let policy = try engine(Self.policy(when))
        #expect((policy.decide(call("t"), now: PolicyTime(rfc3339: time)!).outcome == .deny) == denied)
    }
}

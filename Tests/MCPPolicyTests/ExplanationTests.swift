import MCPCore
import MCPPolicy
import Testing

@Suite("Explanations and request files")
struct ExplanationTests {
    static let policy = allowAll(
        #"""
        {"id":"no-prod-delete","effect":"deny","reason":"production repositories are protected","when":{"names":["delete_*"],"arguments":[{"path":"repo","op":"prefix","value":"prod-"}]}},
        {"id":"trial","effect":"requireApproval","shadow":true,"when":{"names":["delete_*"]}}
        """#)

    static let requestFile = #"""
        {"principal":{"subject":"alice","organization":"acme","teams":["dev"],"agent":"cli","scopes":["repo"]},
         "connection":"c-17","upstream":"github","kind":"toolCall","name":"delete_repo",
         "annotations":{"readOnlyHint":false,"destructiveHint":true},
         "arguments":{"repo":"prod-api","token":"s3cret-value"},"facts":["untrusted-content"],
         "time":"2026-11-25T10:00:00Z"}
        """#

    @Test("a request file reads into a request and a time")
    func requestFile() throws {
        let file = try PolicyTestRequest(parsing: Array(Self.requestFile.utf8))
        #expect(file.time == PolicyTime(rfc3339: "2026-11-25T10:00:00Z"))
        #expect(file.request.principal == principal(teams: ["dev"], agent: "cli", scopes: ["repo"]))
        #expect(file.request.connection == "c-17")
        #expect(file.request.kind == .toolCall && file.request.name == "delete_repo")
        #expect(file.request.annotations.destructiveHint == true)
        #expect(file.request.arguments["repo"] == "prod-api")
        #expect(file.request.facts == ["untrusted-content"])
        let seconds = try PolicyTestRequest(
            parsing: Array(
                #"{"principal":{"subject":"a","organization":"o"},"upstream":"u","kind":"sampling","time":0}"#.utf8))
        #expect(seconds.time == PolicyTime(unixMilliseconds: 0))
        let empty = try PolicyTestRequest(
            parsing: Array(
                #"{"principal":{"subject":"a","organization":"o","teams":[],"scopes":[]},"upstream":"u","kind":"toolCall","name":"x","facts":[]}"#
                    .utf8))
        #expect(empty.request.principal.teams.isEmpty && empty.request.facts.isEmpty && empty.time == nil)
        #expect(seconds.request.name == "")
    }

    static let badFiles: [(String, PolicyError.Code, String)] = [
        (#"{"upstream":"u","kind":"toolCall","name":"x"}"#, .missingKey, "principal"),
        (
            #"{"principal":{"subject":"a"},"upstream":"u","kind":"toolCall","name":"x"}"#, .missingKey,
            "principal.organization"
        ),
        (
            #"{"principal":{"subject":"a","organization":"o","role":"x"},"upstream":"u","kind":"toolCall","name":"x"}"#,
            .unknownKey, "principal.role"
        ),
        (
            #"{"principal":{"subject":"a","organization":"o"},"upstream":"u","kind":"call","name":"x"}"#, .invalidValue,
            "kind"
        ),
        (#"{"principal":{"subject":"a","organization":"o"},"upstream":"u","kind":"toolCall"}"#, .missingKey, "name"),
        (
            #"{"principal":{"subject":"a","organization":"o"},"upstream":"u","kind":"toolCall","name":"x","time":"noon"}"#,
            .invalidValue, "time"
        ),
        (
            #"{"principal":{"subject":"a","organization":"o"},"upstream":"u","kind":"toolCall","name":"x","annotations":{"readOnlyHint":"yes"}}"#,
            .typeMismatch, "annotations.readOnlyHint"
        ),
    ]

    @Test("a bad request file is refused with the key path of the error", arguments: 0..<badFiles.count)
    func badRequestFile(_ index: Int) {
        let (text, code, keyPath) = Self.badFiles[index]
        #expect(throws: PolicyError(code, at: keyPath, "")) { try PolicyTestRequest(parsing: Array(text.utf8)) }
    }

    @Test(
        "an explanation names the deciding and matched rules, shadow rules and listing, in text and JSON, without arguments"
    )
    func explanation() throws {
        let policy = try engine(Self.policy)
        let file = try PolicyTestRequest(parsing: Array(Self.requestFile.utf8))
        let explanation = policy.explain(file.request, now: try #require(file.time))
        #expect(
            explanation.text == """
                deny: production repositories are protected
                  request    alice of acme, toolCall github delete_repo, at 2026-11-25T10:00:00Z
                  decided by acme-base/no-prod-delete (organization, deny)
                  matched    acme-base/no-prod-delete (organization, deny)
                  shadow     would be deny: production repositories are protected
                             acme-base/trial (organization, requireApproval, shadow)
                  listed     yes
                """)
        let json = explanation.json
        #expect(json["outcome"] == "deny")
        #expect(json["decidingRule"]?["rule"] == "no-prod-delete")
        #expect(json["matchedRules"]?.arrayValue?.count == 1)
        #expect(json["shadow"]?["matchedRules"]?.arrayValue?.first?["rule"] == "trial")
        #expect(json["visible"] == true)
        #expect(json["request"]?["name"] == "delete_repo")
        let serialized = String(decoding: json.serialized, as: UTF8.self)
        #expect(!serialized.contains("s3cret") && !explanation.text.contains("s3cret"))
        // Explaining consumed nothing: no approval was opened.
        #expect(json["approvalID"] == nil)
    }

    @Test("an explanation of a default decision says so")
    func defaultExplanation() throws {
        let policy = try engine(denyAll())
        let explanation = policy.explain(call("anything"), now: wednesdayNoon)
        #expect(explanation.text.contains("decided by the organization's default"))
        #expect(explanation.text.contains("matched    no rule"))
        #expect(explanation.json["decidingRule"] == .null)
        #expect(explanation.json["visible"] == false)
    }
}

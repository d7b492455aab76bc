import MCPInspect
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("a full document sets rules, options, limits, pinning and flows")
    func full() throws {
        let text = """
            {
              "detectors": {
                "email": "redact",
                "aws-access-key-id": {"request": "block", "result": "redact"},
                "phone-number": "off",
                "instruction-phrase": {"result": "taint:untrusted-content"}
              },
              "options": {"allowedLinkDomains": ["example.com"], "knownToolNames": ["send_email"],
                          "maximumMatchLength": 8192, "minimumSecretEntropy": 3.5},
              "blockingLimit": 65536,
              "pinning": {"pinOnFirstSight": false},
              "flows": {"mail/read_inbox": ["reads-private-data"], "*/fetch": ["ingests-untrusted-content"],
                        "mail/send": ["sends-data-out"]}
            }
            """
        let configuration = try InspectionConfiguration(parsing: Array(text.utf8))
        #expect(configuration.rules.action(for: .email, in: .request) == .redact)
        #expect(configuration.rules.action(for: .awsAccessKeyID, in: .request) == .block)
        #expect(configuration.rules.action(for: .awsAccessKeyID, in: .toolDefinition) == .flag)
        #expect(configuration.rules.action(for: .phoneNumber, in: .result) == nil)
        #expect(configuration.rules.action(for: .instructionPhrase, in: .result) == .taint("untrusted-content"))
        #expect(configuration.options.allowedLinkDomains == ["example.com"])
        #expect(configuration.options.maximumMatchLength == 8192)
        #expect(configuration.options.minimumSecretEntropy == 3.5)
        #expect(configuration.blockingLimit == 65536)
        #expect(!configuration.pinOnFirstSight)
        #expect(configuration.toolLabels.capabilities(tool: "fetch", server: "web") == .ingestsUntrustedContent)
        #expect(configuration.toolLabels.capabilities(tool: "read_inbox", server: "mail") == .readsPrivateData)
        let inspector = try configuration.makeInspector(fingerprintKey: testKey)
        #expect(scan("mail bob@example.com", with: inspector, direction: .request).text == "mail [REDACTED:email]")
        #expect(try InspectionConfiguration(parsing: Array("{}".utf8)) == InspectionConfiguration())
    }

    @Test(
        "errors name the key path and change nothing",
        arguments: [
            ("[]", "$: expected an object"),
            ("{\"detectors\": {\"emial\": \"flag\"}}", "$.detectors.emial: unknown detector"),
            (
                "{\"detectors\": {\"email\": \"erase\"}}",
                "$.detectors.email: expected flag, redact, block, taint:<label> or off"
            ),
            (
                "{\"detectors\": {\"email\": {\"response\": \"flag\"}}}",
                "$.detectors.email.response: expected request, result or toolDefinition"
            ),
            ("{\"options\": {\"sliceLength\": 8}}", "$.options.sliceLength: expected an integer from 64 to 16777216"),
            ("{\"options\": {\"knownToolNames\": [\"a\", 2]}}", "$.options.knownToolNames[1]: expected a string"),
            ("{\"options\": {\"minimumBase64Length\": 20000}}", "$.options: minimumBase64Length is out of range"),
            ("{\"flows\": {\"fetch\": [\"sends-data-out\"]}}", "$.flows.fetch: expected server/tool (or */tool)"),
            (
                "{\"flows\": {\"a/b\": [\"leaks\"]}}",
                "$.flows.a/b[0]: expected reads-private-data, ingests-untrusted-content or sends-data-out"
            ),
            ("{\"pinning\": {\"pinOnFirstSight\": 1}}", "$.pinning.pinOnFirstSight: expected a boolean"),
            ("{\"blockingLimit\": 0}", "$.blockingLimit: expected an integer from 1 to 1073741824"),
            ("{\"extra\": 1}", "$.extra: unknown member"),
            ("{", "$: not valid JSON"),
        ])
    func errors(_ text: String, _ message: String) {
        do {
            _ = try InspectionConfiguration(parsing: Array(text.utf8))
            Issue.record("no error for \(text)")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.message.hasPrefix(message), "\(error.message)")
        }
    }
}

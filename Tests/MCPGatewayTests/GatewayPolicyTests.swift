import Foundation
import MCPCore
import MCPCrypto
import MCPPolicy
import MCPAudit
import MCPTestSupport
import Synchronization
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// gatewayd with a policy, driven by the official Python SDK client: a denied tool is
/// absent from tools/list and refused on a direct call, argument conditions hold, and a
/// loop of identical calls is stopped; `gatewayd policy test` explains decisions offline.
@Suite("Gateway policy")
struct GatewayPolicyTests {
    static let policy = #"""
        {
          "id": "base", "organization": "default", "defaultEffect": "allow",
          "tools": [ { "upstream": "example", "names": ["echo"], "traits": ["readOnly"] } ],
          "loopDetection": { "threshold": 3, "windowSeconds": 60, "action": "deny" },
          "rules": [
            { "id": "no-add-on-py", "effect": "deny", "reason": "adding is not allowed on py",
              "when": { "upstreams": ["py"], "names": ["add"] } },
            { "id": "approve-slow", "effect": "requireApproval", "reason": "slow calls need a yes",
              "when": { "upstreams": ["example"], "names": ["slow"] } },
            { "id": "big-limit", "effect": "deny", "reason": "at most 100 KB",
              "when": { "names": ["big"], "arguments": [ { "path": "kilobytes", "op": "range", "min": 101 } ] } }
          ]
        }
        """#

    static func temporaryDirectory() throws -> String {
        let directory = NSTemporaryDirectory() + "gatewayd-policy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory
    }

    static func run(_ arguments: [String], on loop: EventLoop) async throws -> (ChildProcessExit, String) {
        let process = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: TestPeers.binary("gatewayd"), arguments: arguments), on: loop)
        var output: [UInt8] = []
        while let chunk = try await process.output.next() { output += chunk }
        return (await process.wait(), String(decoding: output, as: UTF8.self))
    }

    @Test func theSDKClientSeesOnlyWhatThePolicyAllows() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.policy.write(toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
        let port = try PythonPeerProcess.freePort()
        // A signing key for the audit checkpoints, in the format gatewayd reads.
        let key = try Ed25519.PrivateKey()
        try (key.rawRepresentation.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() + "\n").write(
            toFile: directory + "/audit.key", atomically: true, encoding: .utf8)
        let configuration = #"""
            {"listen":{"port":\#(port)}, "dataDirectory":"data",
             "audit":{"path":"audit.sqlite","durability":"acknowledged","signingKeyFile":"../audit.key",
                      "sinks":[{"type":"file","path":"audit.jsonl"}],"retention":{"days":30,"organizations":{"short":1}}},
             "policy":{"files":["policy.json"],"anonymous":{"subject":"anonymous","organization":"default"}},
             "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"},
                          {"name":"py","command":"\#(TestPeers.python)","args":["\#(TestPeers.script("python_stdio_server.py"))"]}]}
            """#
        try configuration.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let (checked, checkOutput) = try await Self.run(["check-config", directory + "/gateway.json"], on: loop)
        #expect(checked == .exited(0), "\(checkOutput)")

        try await GatewaydProcess.serving(configuration: directory + "/gateway.json", on: loop) { gatewayd in
            let client = try await ChildProcess.spawn(
                ChildProcessConfiguration(
                    executable: TestPeers.python,
                    arguments: [TestPeers.script("policy_client.py"), "http://127.0.0.1:\(port)/mcp"]),
                on: loop)
            var output: [UInt8] = []
            while let chunk = try await client.output.next() { output += chunk }
            #expect(await client.wait() == .exited(0))
            let summary = try JSONValue(parsing: output)
            let tools = summary["tools"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(!tools.contains("py__add"), "a denied tool is not listed")
            #expect(tools.contains("py__echo") && tools.contains("example__add") && tools.contains("example__big"))
            #expect(summary["deniedDirect"]?["isError"] == true)
            #expect(summary["deniedDirect"]?["text"] == "Denied by policy: adding is not allowed on py")
            #expect(summary["bigTooLarge"]?["text"] == "Denied by policy: at most 100 KB")
            #expect(summary["bigSmall"]?["isError"] == false)
            let loopTexts = summary["loop"]?.arrayValue?.map { $0["isError"] == true } ?? []
            #expect(loopTexts == [false, false, true, true], "the third identical call within the window is stopped")
            #expect(summary["loop"]?.arrayValue?[2]["text"]?.stringValue?.contains("Denied by policy") == true)
            #expect(summary["otherArguments"]?["isError"] == false, "other arguments are another call")
            // A call that needs approval asks the user through elicitation.
            #expect(summary["approved"]?["isError"] == false, "\(summary)")
            #expect(summary["approved"]?["text"] == "done after 1 steps")
            #expect(summary["declined"]?["text"] == "Denied: the user did not approve the call")
            #expect(summary["questions"]?.arrayValue?.first?.stringValue?.contains("slow on example") == true)
            let metrics = try await GatewayMultiUpstreamTests.curl(["http://127.0.0.1:\(port)/metrics"])
            #expect(metrics.contains(#"mcp_gateway_policy_decisions_total{outcome="deny"}"#), "\(metrics)")
            #expect(metrics.contains(#"mcp_gateway_policy_decisions_total{outcome="allow"}"#))
        }

        // Every call left one attributed record with its decision, and the chain verifies
        // with the signing key.
        let database = directory + "/data/audit.sqlite"
        let (verified, verifyOutput) = try await Self.run(
            ["audit", "verify", "--db", database, "--key", directory + "/audit.key"], on: loop)
        #expect(verified == .exited(0), "\(verifyOutput)")
        #expect(verifyOutput.contains("signatures checked"), "\(verifyOutput)")
        let (_, calls) = try await Self.run(["audit", "query", "--db", database, "--method", "tools/call"], on: loop)
        let records = try calls.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        #expect(records.count == 10, "\(calls)")
        let denied = records.first { $0["action"]?["target"] == "py__add" }
        #expect(denied?["actor"]?["subject"] == "anonymous", "\(String(describing: denied))")
        #expect(denied?["decision"]?["effect"] == "deny")
        #expect(
            denied?["decision"]?["ruleIds"]?.arrayValue?.contains("base/no-add-on-py") == true,
            "\(String(describing: denied))")
        #expect(denied?["action"]?["upstream"] == "py")
        #expect(denied?["action"]?["argumentsDigest"]?.stringValue?.count == 64)
        let (_, csv) = try await Self.run(
            ["audit", "query", "--db", database, "--tool", "example__big", "--format", "csv"], on: loop)
        #expect(csv.split(separator: "\r\n").count == 3, "a header and two records: \(csv)")

        // The file sink got the same records.
        let exported = try String(contentsOfFile: directory + "/data/audit.jsonl", encoding: .utf8)
        #expect(exported.split(separator: "\n").count >= records.count, "\(exported.prefix(500))")
        #expect(exported.contains("py__add"))

        // A record changed behind the gateway's back is found.
        let sqlite = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: "/usr/bin/sqlite3",
                arguments: [database, "UPDATE audit_records SET subject = 'someone-else' WHERE seq = 3"]),
            on: loop)
        while try await sqlite.output.next() != nil {}
        _ = await sqlite.wait()
        let (tampered, tamperedOutput) = try await Self.run(["audit", "verify", "--db", database], on: loop)
        #expect(tampered == .exited(1), "\(tamperedOutput)")
        #expect(tamperedOutput.contains("FAILED"), "\(tamperedOutput)")
    }

    @Test func gatewaydAccessReviewSaysWhoCanCallWhat() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.policy.write(toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
        try
            #"{"upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"},{"name":"py","command":"\#(TestPeers.python)","args":["\#(TestPeers.script("python_stdio_server.py"))"]}],"policy":{"files":["policy.json"]}}"#
            .write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)
        try
            #"[{"subject":"ada","organization":"default","teams":["dev"]},{"subject":"eve","organization":"elsewhere"}]"#
            .write(toFile: directory + "/principals.json", atomically: true, encoding: .utf8)
        let loop = try EventLoop.start(name: "review")
        defer { loop.stop() }
        let (status, output) = try await Self.run(
            ["access-review", "--config", directory + "/gateway.json", "--principals", directory + "/principals.json"],
            on: loop)
        #expect(status == .exited(0), "\(output)")
        let entries = try JSONValue(parsing: Array(output.utf8)).arrayValue ?? []
        func outcome(_ subject: String, _ name: String) -> String? {
            entries.first { $0["subject"]?.stringValue == subject && $0["exposedName"]?.stringValue == name }?[
                "outcome"]?.stringValue
        }
        #expect(outcome("ada", "py__add") == "deny")
        #expect(outcome("ada", "py__echo") == "allow")
        #expect(outcome("ada", "example__slow") == "requireApproval")
        #expect(outcome("ada", "test://greeting") == "allow")
        #expect(outcome("eve", "py__echo") == "deny", "an organization without documents is denied")
        let items = entries.filter { $0["subject"] == "ada" }.count
        #expect(items == entries.count / 2 && items >= 12)

        let (_, csv) = try await Self.run(
            [
                "access-review", "--config", directory + "/gateway.json", "--principals",
                directory + "/principals.json", "--format", "csv",
            ],
            on: loop)
        let lines = csv.split(separator: "\r\n")
        #expect(lines.first == "subject,organization,teams,upstream,kind,name,exposedName,outcome,ruleIds")
        #expect(lines.count == entries.count + 1)
        #expect(lines.contains { $0.hasPrefix("ada,default,dev,py,tool,add,py__add,deny,base/no-add-on-py") }, "\(csv)")
    }

    @Test func gatewaydPolicyTestExplainsADecision() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Self.policy.write(toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
        try
            #"{"principal":{"subject":"ada","organization":"default"},"upstream":"py","kind":"toolCall","name":"add","arguments":{"a":1}}"#
            .write(toFile: directory + "/denied.json", atomically: true, encoding: .utf8)
        try
            #"{"principal":{"subject":"ada","organization":"default"},"upstream":"example","kind":"toolCall","name":"echo"}"#
            .write(toFile: directory + "/allowed.json", atomically: true, encoding: .utf8)
        let loop = try EventLoop.start(name: "policy-test")
        defer { loop.stop() }
        let (denied, deniedText) = try await Self.run(
            ["policy", "test", "--policy", directory + "/policy.json", "--request", directory + "/denied.json"],
            on: loop)
        #expect(denied == .exited(1))
        #expect(deniedText.contains("no-add-on-py"), "\(deniedText)")
        let (allowed, allowedJSON) = try await Self.run(
            [
                "policy", "test", "--policy", directory + "/policy.json", "--request", directory + "/allowed.json",
                "--json",
            ], on: loop)
        #expect(allowed == .exited(0))
        #expect(try JSONValue(parsing: Array(allowedJSON.utf8))["outcome"] == "allow")

        // A broken policy is refused with its file and key path.
        try #"{"id":"x","organization":"o","rules":[{"id":"r","effect":"maybe"}]}"#.write(
            toFile: directory + "/broken.json", atomically: true, encoding: .utf8)
        let process = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.binary("gatewayd"),
                arguments: [
                    "policy", "test", "--policy", directory + "/broken.json", "--request", directory + "/allowed.json",
                ]),
            on: loop, errorLine: { _ in })
        while try await process.output.next() != nil {}
        #expect(await process.wait() == .exited(2))
    }
}

/// A client that cannot be asked gets an approval link; an administrator approves there
/// and the call goes through when made again.
@Suite("Gateway approvals by an administrator")
struct GatewayAdminApprovalTests {
    @Test func anAdministratorApprovesThroughTheLink() async throws {
        let engine = try PolicyEngine(documents: [try PolicyDocument(parsing: GatewayPolicyTests.policy)])
        let policy = PolicyInterceptor(
            engine: engine, anonymousPrincipal: PolicyPrincipal(subject: "anonymous", organization: "default"),
            approvalLinkBase: "https://gateway.example")
        let token = "admin-token-0123456789abcdef"
        let configuration = GatewayConfiguration(
            listen: .init(port: 0), upstreams: [.init(name: "example", command: TestPeers.exampleServer)])
        let gateway = Gateway(
            configuration: configuration, interceptors: [policy],
            routes: [ApprovalEndpoint.pathPrefix: ApprovalEndpoint(policy: policy, adminToken: token)])
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await gateway.run() }
            let base = "http://\(try await gateway.listeningAddress())"
            let session = try await GatewayMultiUpstreamTests.initialize(base + "/mcp")
            let call =
                #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"slow","arguments":{"steps":1,"delayMs":1}}}"#
            let first = try await GatewayMultiUpstreamTests.post(base + "/mcp", session: session, call)
            #expect(first["error"]?["code"] == -32032, "\(first)")
            let link = try #require(first["error"]?["data"]?["approvalUrl"]?.stringValue)
            #expect(link.hasPrefix("https://gateway.example/admin/approvals/apr_"))
            let path = String(link.dropFirst("https://gateway.example".count))

            let anonymous = try await GatewayMultiUpstreamTests.curl([
                "-o", "/dev/null", "-w", "%{http_code}", base + path,
            ])
            #expect(anonymous == "401")
            let wrong = try await GatewayMultiUpstreamTests.curl(
                [
                    "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer admin-token-0123456789abcdeX",
                    base + path,
                ])
            #expect(wrong == "401")
            let pending = try JSONValue(
                parsing: Array(
                    try await GatewayMultiUpstreamTests.curl(["-H", "Authorization: Bearer \(token)", base + path]).utf8
                ))
            #expect(pending["status"] == "pending")
            #expect(pending["name"] == "slow")
            let bad = try await GatewayMultiUpstreamTests.curl(
                [
                    "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)", "-d",
                    #"{"decision":"maybe"}"#, base + path,
                ])
            #expect(bad == "400")
            let approved = try JSONValue(
                parsing: Array(
                    try await GatewayMultiUpstreamTests.curl([
                        "-H", "Authorization: Bearer \(token)", "-d", #"{"decision":"approve"}"#, base + path,
                    ]).utf8))
            #expect(approved["status"] == "approved")
            let again = try await GatewayMultiUpstreamTests.curl(
                [
                    "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(token)", "-d",
                    #"{"decision":"deny"}"#, base + path,
                ])
            #expect(again == "409", "an approval is decided once")

            let second = try await GatewayMultiUpstreamTests.post(base + "/mcp", session: session, call)
            #expect(second["result"]?["content"]?.arrayValue?.first?["text"] == "done after 1 steps", "\(second)")
            gateway.shutdown(gracePeriod: .seconds(2))
            try await group.waitForAll()
        }
    }
}

/// The audit record names which of the gateway's credentials a call used, never the
/// credential itself.
@Suite("Gateway audit attribution")
struct GatewayAuditAttributionTests {
    @Test func theRecordNamesTheUpstreamCredentialByFingerprint() async throws {
        let directory = try GatewayPolicyTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let loop = try EventLoop.start(name: "peers")
        defer { loop.stop() }
        try await PythonPeerProcess.with(transport: "streamable-http", on: loop) { http in
            var upstream = GatewayConfiguration.Upstream(name: "py", endpoint: .streamableHTTP(url: http.url))
            upstream.headers = ["Authorization": "Bearer upstream-secret-123"]
            let configuration = GatewayConfiguration(listen: .init(port: 0), upstreams: [upstream])
            var auditConfiguration = AuditLogConfiguration(path: directory + "/audit.sqlite")
            auditConfiguration.durability = .acknowledged
            try await AuditLog.withAuditLog(configuration: auditConfiguration) { log in
                try await GatewayMultiUpstreamTests.withGateway(
                    configuration, interceptors: [AuditInterceptor(log: log)]
                ) { _, base in
                    let session = try await GatewayMultiUpstreamTests.initialize(base + "/mcp")
                    let answer = try await GatewayMultiUpstreamTests.post(
                        base + "/mcp", session: session,
                        #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":1,"b":2}}}"#
                    )
                    #expect(answer["result"]?["content"]?.arrayValue?.first?["text"] == "3")
                }
            }
            let records = try AuditReader(path: directory + "/audit.sqlite").records(matching: AuditQuery())
            let call = try #require(records.first { $0.event.action.method == "tools/call" })
            let expected =
                "Authorization:"
                + SHA256.hash(Array("Bearer upstream-secret-123".utf8)).prefix(6)
                .map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
            #expect(call.event.actor.upstreamCredential == expected)
            for file in ["/audit.sqlite", "/audit.sqlite-wal"] {
                guard let data = FileManager.default.contents(atPath: directory + file) else { continue }
                #expect(!String(decoding: data, as: UTF8.self).contains("upstream-secret-123"), "\(file)")
            }
        }
    }
    @Test func theArgumentsDigestIgnoresKeyOrder() throws {
        let written = try JSONValue(parsing: Array(#"{"b":1,"a":[{"y":2,"x":"\u00e9"}]}"#.utf8))
        let reordered = try JSONValue(parsing: Array(#"{"a":[{"x":"é","y":2}],"b":1}"#.utf8))
        let canonical = Array(#"{"a":[{"x":"é","y":2}],"b":1}"#.utf8)
        #expect(AuditInterceptor.digest(written) == AuditInterceptor.digest(reordered))
        #expect(
            AuditInterceptor.digest(written)
                == SHA256.hash(canonical).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
    }
}

/// A policy file changed behind a running gatewayd: SIGHUP puts a good one in force, and a
/// broken one is reported while the running policy stays.
@Suite("Gateway policy reload")
struct GatewayPolicyReloadTests {
    @Test func sighupReloadsThePolicyAndKeepsItOnAnError() async throws {
        let directory = try GatewayPolicyTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func policy(denying tool: String) -> String {
            #"{"id":"p","organization":"o","defaultEffect":"allow","rules":[{"id":"no-\#(tool)","effect":"deny","when":{"names":["\#(tool)"]}}]}"#
        }
        try policy(denying: "add").write(toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
        let port = try PythonPeerProcess.freePort()
        try #"""
        {"listen":{"port":\#(port)},"policy":{"files":["policy.json"],"anonymous":{"subject":"a","organization":"o"}},
         "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"}]}
        """#.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)
        let loop = try EventLoop.start(name: "policy-reload")
        defer { loop.stop() }
        func isDenied(_ tool: String, session: String) async throws -> Bool {
            let answer = try await GatewayMultiUpstreamTests.post(
                "http://127.0.0.1:\(port)/mcp", session: session,
                #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"\#(tool)","arguments":{"a":1,"b":1,"text":"x"}}}"#
            )
            return answer["result"]?["isError"] == true
        }
        try await GatewaydProcess.serving(configuration: directory + "/gateway.json", on: loop) { gatewayd in
            let session = try await GatewayMultiUpstreamTests.initialize("http://127.0.0.1:\(port)/mcp")
            #expect(try await isDenied("add", session: session))
            #expect(try await !isDenied("echo", session: session))

            try policy(denying: "echo").write(toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
            kill(gatewayd.process.pid, SIGHUP)
            #expect(try await gatewayd.waitForLog("gateway.reloaded"))
            #expect(try await isDenied("echo", session: session))
            #expect(try await !isDenied("add", session: session))

            try #"{"id":"p","organization":"o","rules":[{"id":"r","effect":"sometimes"}]}"#.write(
                toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
            kill(gatewayd.process.pid, SIGHUP)
            #expect(try await gatewayd.waitForLog("policy: "))
            #expect(gatewayd.log.contains { $0.contains("rules[0].effect") && $0.contains("stays in force") })
            #expect(try await isDenied("echo", session: session), "the running policy stays")
        }
    }
}

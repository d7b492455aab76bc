import Foundation
import MCPCore
import MCPInspect
import MCPTestSupport
import Synchronization
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// gatewayd with inspection, driven by the official Python SDK client against a Python SDK
/// server that leaks a secret, serves poisoned content and changes a tool's description
/// between two lists.
@Suite("Gateway inspection")
struct GatewayInspectionTests {
    @Test func secretsAreRedactedToxicFlowsStoppedAndRugPullsWithheld() async throws {
        let directory = try GatewayPolicyTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try PythonPeerProcess.freePort()
        let configuration = #"""
            {"listen":{"port":\#(port)}, "dataDirectory":"data", "admin":{"tokenFile":"admin.token"},
             "audit":{"path":"audit.sqlite","durability":"acknowledged"},
             "inspection":{
               "detectors":{"aws-access-key-id":"redact","email":"redact",
                            "instruction-tag":{"result":"taint:untrusted-content"}},
               "flows":{"*/read_inbox":["reads-private-data"],"*/fetch_page":["ingests-untrusted-content"],
                        "*/send_mail":["sends-data-out"]}},
             "upstreams":[{"name":"peer","command":"\#(TestPeers.python)","args":["\#(TestPeers.script("inspect_server.py"))"]}]}
            """#
        try configuration.write(toFile: directory + "/gateway.json", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let token = "inspection-admin-token-42"
        try token.write(toFile: directory + "/data/admin.token", atomically: true, encoding: .utf8)
        let loop = try EventLoop.start(name: "inspection")
        defer { loop.stop() }
        let (checked, checkOutput) = try await GatewayPolicyTests.run(
            ["check-config", directory + "/gateway.json"], on: loop)
        #expect(checked == .exited(0), "\(checkOutput)")
        try await GatewaydProcess.serving(configuration: directory + "/gateway.json", on: loop) { gatewayd in
            let client = try await ChildProcess.spawn(
                ChildProcessConfiguration(
                    executable: TestPeers.python,
                    arguments: [TestPeers.script("inspect_client.py"), "http://127.0.0.1:\(port)/mcp"]),
                on: loop)
            var output: [UInt8] = []
            while let chunk = try await client.output.next() { output += chunk }
            #expect(await client.wait() == .exited(0))
            let summary = try JSONValue(parsing: output)

            // The secret and the address never reach the client; the rest does.
            let leak = summary["leak"]?["text"]?.stringValue ?? ""
            #expect(!leak.contains("AKIAIOSFODNN7EXAMPLE") && !leak.contains("alice@example.com"), "\(leak)")
            #expect(leak.contains("aws_access_key_id = ") && leak.contains("REDACTED"), "\(leak)")

            // Sending mail is fine until the session read private data and took in
            // untrusted content; then it is stopped.
            #expect(summary["sendBeforeFlow"]?["isError"] == false)
            #expect(summary["inbox"]?["isError"] == false)
            #expect(summary["page"]?["isError"] == false)
            #expect(summary["sendAfterFlow"]?["isError"] == true, "\(summary)")
            #expect(summary["sendAfterFlow"]?["text"]?.stringValue?.contains("untrusted content") == true)

            // The changed tool definition (a rug pull) is withheld from the next list.
            #expect(summary["before"]?["weather"] == "Returns the weather of a city.")
            #expect(summary["rugPull"]?["text"] == "changed")
            // The upstream's list_changed reached the client on its standalone stream.
            #expect(
                summary["notifications"]?.arrayValue?.contains("notifications/tools/list_changed") == true, "\(summary)"
            )
            #expect(summary["after"]?["weather"] == nil, "\(summary)")
            #expect(summary["after"]?["leak"] != nil)
            #expect(
                gatewayd.log.contains { $0.contains("inspection.tool_withheld") && $0.contains("weather") })

            // Findings are counted for /metrics, by detector and action.
            let metrics = try await GatewayMultiUpstreamTests.curl(["http://127.0.0.1:\(port)/metrics"])
            #expect(
                metrics.contains(
                    #"mcp_gateway_inspection_findings_total{detector="aws-access-key-id",action="redact"}"#),
                "\(metrics)")
            #expect(metrics.contains(#"mcp_gateway_inspection_findings_total{detector="email",action="redact"}"#))

            // An administrator reviews the change and approves it: the tool is back.
            let base = "http://127.0.0.1:\(port)"
            let approve = base + "/admin/tools/peer/weather/approve"
            #expect(
                try await GatewayMultiUpstreamTests.curl([
                    "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", approve,
                ]) == "401")
            #expect(
                try await GatewayMultiUpstreamTests.curl(
                    [
                        "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Authorization: Bearer \(token)",
                        base + "/admin/tools/peer/nothing/approve",
                    ]) == "404")
            #expect(
                try await GatewayMultiUpstreamTests.curl(
                    [
                        "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Authorization: Bearer \(token)",
                        approve,
                    ]) == "200")
            let session = try await GatewayMultiUpstreamTests.initialize(base + "/mcp")
            let names = try await GatewayReloadTests.toolNames(base + "/mcp", session: session)
            #expect(names.contains("weather"), "\(names)")
        }

        // The audit trail has the findings (fingerprints, never the secret).
        let database = directory + "/data/audit.sqlite"
        let (_, leakRecords) = try await GatewayPolicyTests.run(
            ["audit", "query", "--db", database, "--tool", "leak"], on: loop)
        let record = try JSONValue(
            parsing: Array((leakRecords.split(separator: "\n").first.map(String.init) ?? "").utf8))
        let detectors = record["findings"]?.arrayValue?.compactMap { $0["detector"]?.stringValue } ?? []
        #expect(detectors.contains("aws-access-key-id") && detectors.contains("email"), "\(record)")
        #expect(!leakRecords.contains("AKIAIOSFODNN7EXAMPLE"))
    }
}

/// A blocking rule needs the whole message: a larger one is refused, and says why.
@Suite("Gateway inspection limits")
struct GatewayInspectionLimitTests {
    @Test func aResultTooLargeToBlockIsRefusedPlainly() async throws {
        let settings = try InspectionConfiguration(
            parsing: Array(#"{"detectors":{"aws-access-key-id":{"result":"block"}},"blockingLimit":65536}"#.utf8))
        let inspection = try InspectionInterceptor(configuration: settings)
        let configuration = GatewayConfiguration(
            listen: .init(port: 0), upstreams: [.init(name: "example", command: TestPeers.exampleServer)])
        try await GatewayMultiUpstreamTests.withGateway(configuration, interceptors: [inspection]) { _, base in
            let url = base + "/mcp"
            let session = try await GatewayMultiUpstreamTests.initialize(url)
            let small = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"big","arguments":{"kilobytes":8}}}"#)
            #expect(small["result"]?["isError"] != true)
            let large = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"big","arguments":{"kilobytes":128}}}"#
            )
            #expect(large["result"]?["isError"] == true)
            let text = large["result"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            #expect(text.contains("more than the 65536 bytes inspection may hold"), "\(text)")
            let blocked = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"echo","arguments":{"text":"key AKIAIOSFODNN7EXAMPLE"}}}"#
            )
            #expect(blocked["result"]?["isError"] == true, "the echoed key is blocked in the result")
            #expect(!"\(blocked)".contains("AKIAIOSFODNN7EXAMPLE"))
        }
    }
}

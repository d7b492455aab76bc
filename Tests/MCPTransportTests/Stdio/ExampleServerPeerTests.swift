import Foundation
import MCPCore
import Synchronization
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The example server (our stdio server transport) driven by the official MCP Python SDK
/// client: initialize, tools, progress notifications, a large result, an unknown tool.
@Suite("Example server with the Python SDK client")
struct ExampleServerPeerTests {
    @Test func theSDKClientUsesEveryTool() async throws {
        let loop = try EventLoop.start(name: "sdk-client")
        defer { loop.stop() }
        let errors = ErrorLines()
        let client = try await ChildProcess.spawn(
            ChildProcessConfiguration(
                executable: TestPeers.python, arguments: [TestPeers.script("sdk_client.py"), TestPeers.exampleServer]),
            on: loop
        ) { line in errors.append(line) }
        var output: [UInt8] = []
        while let chunk = try await client.output.next() { output += chunk }
        let exit = await client.wait()
        #expect(exit == .exited(0), "\(errors.lines.suffix(20).joined(separator: "\n"))")
        let summary = try JSONValue(parsing: output)
        #expect(summary["protocolVersion"] == "2025-11-25")
        #expect(summary["serverName"] == "mcp-example-server")
        #expect(summary["tools"] == ["add", "big", "echo", "slow"])
        #expect(summary["structured"] == ["sum": 42])
        #expect(summary["progress"]?.arrayValue?.count == 3)
        #expect(summary["progress"]?.arrayValue?.last == [3.0, 3.0, "step 3 of 3"])
        #expect(summary["bigLength"] == 262_144)
        #expect(summary["unknownToolError"] == -32602)
    }
}

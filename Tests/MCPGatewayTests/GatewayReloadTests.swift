import Foundation
import MCPCore
import MCPTestSupport
import Synchronization
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// A configuration reloaded while clients are connected: unchanged upstreams keep their
/// process and session, new ones start, removed ones stop, clients keep their sessions.
@Suite("Gateway reload")
struct GatewayReloadTests {
    static func toolNames(_ url: String, session: String) async throws -> [String] {
        let list = try await GatewayMultiUpstreamTests.post(
            url, session: session, #"{"jsonrpc":"2.0","id":"l","method":"tools/list"}"#)
        return list["result"]?["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    @Test func anUnchangedUpstreamKeepsItsProcessAcrossAReload() async throws {
        let first = GatewayConfiguration(
            listen: .init(port: 0), upstreams: [.init(name: "a", command: TestPeers.exampleServer)])
        try await GatewayMultiUpstreamTests.withGateway(first) { gateway, base in
            let url = base + "/mcp"
            let session = try await GatewayMultiUpstreamTests.initialize(url)
            #expect(
                try await Self.toolNames(url, session: session) == ["echo", "add", "slow", "big"],
                "one upstream: no prefix")
            let pid = try #require(gateway.router?.supervisors[0].pid)

            var second = first
            second.upstreams.append(
                .init(name: "b", command: TestPeers.python, args: [TestPeers.script("python_stdio_server.py")]))
            try await gateway.reload(configuration: second)
            #expect(gateway.router?.supervisors[0].pid == pid, "a kept its process and session")
            // b comes up in the background; the client's session goes on meanwhile.
            var names: [String] = []
            for _ in 0..<100 {
                names = try await Self.toolNames(url, session: session)
                if names.contains("b__echo") { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(
                names == [
                    "a__echo", "a__add", "a__slow", "a__big", "b__echo", "b__add", "b__fail", "b__ask_model",
                    "b__ask_user", "b__resolve_user", "b__resolve_model", "b__count_roots",
                ])
            let call = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"b__add","arguments":{"a":2,"b":3}}}"#)
            #expect(call["result"]?["content"]?.arrayValue?.first?["text"] == "5")

            // Removing a stops it; b keeps its process.
            let bPID = try #require(gateway.router?.supervisors[1].pid)
            var third = first
            third.upstreams = [second.upstreams[1]]
            try await gateway.reload(configuration: third)
            #expect(gateway.router?.supervisors.count == 1)
            #expect(gateway.router?.supervisors[0].pid == bPID)
            #expect(
                try await Self.toolNames(url, session: session) == [
                    "echo", "add", "fail", "ask_model", "ask_user", "resolve_user", "resolve_model", "count_roots",
                ])
            // The process of a is gone (its group was stopped), within a bounded wait.
            var gone = false
            for _ in 0..<50 where !gone {
                gone = kill(pid, 0) != 0
                if !gone { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(gone)

            // A listener change is refused and changes nothing.
            var moved = third
            moved.listen.path = "/elsewhere"
            await #expect(throws: GatewayConfigurationError.self) { try await gateway.reload(configuration: moved) }
            #expect(
                try await Self.toolNames(url, session: session) == [
                    "echo", "add", "fail", "ask_model", "ask_user", "resolve_user", "resolve_model", "count_roots",
                ])
        }
    }

    @Test func gatewaydReloadsOnSIGHUPAndKeepsTheOldConfigurationOnAnError() async throws {
        let directory = NSTemporaryDirectory() + "gatewayd-reload-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try PythonPeerProcess.freePort()
        let path = directory + "/gateway.json"
        func write(_ upstreams: String) throws {
            try #"{"listen":{"port":\#(port)},"upstreams":[\#(upstreams)]}"#.write(
                toFile: path, atomically: true, encoding: .utf8)
        }
        let example = #"{"name":"a","command":"\#(TestPeers.exampleServer)"}"#
        try write(example)
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        try await GatewaydProcess.serving(configuration: path, on: loop) { gatewayd in
            let url = "http://127.0.0.1:\(port)/mcp"
            let session = try await GatewayMultiUpstreamTests.initialize(url)

            try write(example + #",{"name":"b","command":"\#(TestPeers.exampleServer)"}"#)
            kill(gatewayd.process.pid, SIGHUP)
            #expect(
                try await gatewayd.waitForLog(#""event":"gateway.reloaded","kept":["a"],"started":["b"],"stopped":[]"#))

            try "{ not json".write(toFile: path, atomically: true, encoding: .utf8)
            kill(gatewayd.process.pid, SIGHUP)
            #expect(try await gatewayd.waitForLog("the running configuration stays in force"))
            var names: [String] = []
            for _ in 0..<100 {
                names = try await Self.toolNames(url, session: session)
                if names.count == 8 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(names.contains("b__echo") && names.contains("a__echo"))
        }
    }
}

/// A virtual server: its own endpoint over some upstreams, exposing only matching names,
/// with names passed through when it has one upstream.
@Suite("Gateway virtual servers")
struct GatewayVirtualServerTests {
    @Test func aVirtualServerExposesOnlyItsPartAndRefusesTheRest() async throws {
        var configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [
                .init(name: "a", command: TestPeers.exampleServer), .init(name: "b", command: TestPeers.exampleServer),
            ])
        configuration.servers = [
            .init(name: "only-b", path: "/mcp/b", upstreams: ["b"], tools: ["echo", "a*"]),
            .init(name: "both", path: "/mcp/both", upstreams: ["b", "a"], tools: ["*__echo"]),
        ]
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let main = try await GatewayMultiUpstreamTests.initialize(base + "/mcp")
            #expect(try await GatewayReloadTests.toolNames(base + "/mcp", session: main).count == 8)

            let onlyB = try await GatewayMultiUpstreamTests.initialize(base + "/mcp/b")
            #expect(try await GatewayReloadTests.toolNames(base + "/mcp/b", session: onlyB) == ["echo", "add"])
            let add = try await GatewayMultiUpstreamTests.post(
                base + "/mcp/b", session: onlyB,
                #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"add","arguments":{"a":2,"b":2}}}"#)
            #expect(add["result"]?["content"]?.arrayValue?.first?["text"] == "4")
            // A tool the server does not expose is refused even in pass-through mode.
            let big = try await GatewayMultiUpstreamTests.post(
                base + "/mcp/b", session: onlyB,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"big","arguments":{"kilobytes":1}}}"#)
            #expect(big["error"]?["code"] == -32602)

            let both = try await GatewayMultiUpstreamTests.initialize(base + "/mcp/both")
            #expect(
                try await GatewayReloadTests.toolNames(base + "/mcp/both", session: both) == ["b__echo", "a__echo"])
            let slow = try await GatewayMultiUpstreamTests.post(
                base + "/mcp/both", session: both,
                #"{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"a__slow","arguments":{}}}"#)
            #expect(slow["error"]?["code"] == -32602)
            // Sessions belong to their endpoint.
            let crossed = try await GatewayMultiUpstreamTests.post(
                base + "/mcp/both", session: onlyB, #"{"jsonrpc":"2.0","id":4,"method":"tools/list"}"#)
            #expect(crossed["result"] == nil)
        }
    }
}

/// A client that subscribed to a resource hears when the upstream says it changed, on its
/// session's standalone stream.
@Suite("Gateway resource subscriptions")
struct GatewayResourceSubscriptionTests {
    @Test func aSubscribedSessionHearsTheUpdate() async throws {
        let configuration = GatewayConfiguration(
            listen: .init(port: 0),
            upstreams: [.init(name: "res", command: TestPeers.python, args: [TestPeers.script("resource_server.py")])])
        try await GatewayMultiUpstreamTests.withGateway(configuration) { _, base in
            let url = base + "/mcp"
            let session = try await GatewayMultiUpstreamTests.initialize(url)
            let client = try HTTPClient()
            defer { client.shutdown() }
            let stream = try await client.execute(
                HTTPClientRequest(
                    url: url, headers: [("Accept", "text/event-stream"), ("Mcp-Session-Id", session)], timeout: nil))
            #expect(stream.status == 200)
            let subscribed = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"example://counter"}}"#)
            #expect(subscribed["result"] != nil, "\(subscribed)")
            let bumped = try await GatewayMultiUpstreamTests.post(
                url, session: session,
                #"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"bump","arguments":{}}}"#)
            #expect(bumped["result"]?["content"]?.arrayValue?.first?["text"] == "1")
            var parser = SSEParser()
            var update: JSONValue?
            while update == nil, let chunk = try await stream.body.next() {
                parser.append(chunk)
                while let event = try parser.next() {
                    if let data = event.data, let message = try? JSONValue(parsing: data),
                        message["method"] == "notifications/resources/updated"
                    {
                        update = message
                    }
                }
            }
            #expect(update?["params"]?["uri"] == "example://counter")
            stream.body.cancel()
        }
    }
}

import MCPCore
import Testing

@testable import MCPGateway

@Suite("Gateway configuration")
struct GatewayConfigurationTests {
    private func parse(_ text: String) throws(GatewayConfigurationError) -> GatewayConfiguration {
        try GatewayConfiguration(parsing: Array(text.utf8))
    }

    private func expectError(_ text: String, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try parse(text)
            Issue.record("accepted \(text)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.path == path, "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func readsAFullConfiguration() throws {
        let configuration = try parse(
            #"{"listen":{"host":"127.0.0.1","port":9000,"path":"/gw","allowedOrigins":["https://a.example"]},"upstreams":[{"name":"time","command":"uvx","args":["mcp-server-time"],"env":{"TZ":"UTC"},"timeoutSeconds":5}]}"#)
        #expect(configuration.listen.port == 9000)
        #expect(configuration.listen.path == "/gw")
        #expect(configuration.upstreams[0].args == ["mcp-server-time"])
        #expect(configuration.upstreams[0].env == ["TZ": "UTC"])
        #expect(configuration.upstreams[0].timeoutSeconds == 5)
    }

    @Test func everyErrorNamesItsKeyPath() {
        expectError("[]", path: "")
        expectError("{", path: "")
        expectError(#"{"upstreams":[{"name":"a","command":"b"}],"listn":{}}"#, path: "listn")
        expectError(#"{}"#, path: "upstreams")
        expectError(#"{"upstreams":{}}"#, path: "upstreams")
        expectError(#"{"upstreams":[{"command":"b"}]}"#, path: "upstreams[0].name")
        expectError(#"{"upstreams":[{"name":"a"}]}"#, path: "upstreams[0].command")
        expectError(#"{"upstreams":[{"name":"a","command":5}]}"#, path: "upstreams[0].command")
        expectError(#"{"upstreams":[{"name":"a b","command":"x"}]}"#, path: "upstreams[0].name")
        expectError(#"{"upstreams":[{"name":"a","command":"x","args":["ok",1]}]}"#, path: "upstreams[0].args[1]")
        expectError(#"{"upstreams":[{"name":"a","command":"x","env":{"K":1}}]}"#, path: "upstreams[0].env.K")
        expectError(#"{"upstreams":[{"name":"a","command":"x","timeoutSeconds":0}]}"#, path: "upstreams[0].timeoutSeconds")
        expectError(#"{"upstreams":[{"name":"a","command":"x","tmeout":1}]}"#, path: "upstreams[0].tmeout")
        expectError(#"{"listen":{"port":70000},"upstreams":[{"name":"a","command":"x"}]}"#, path: "listen.port")
        expectError(#"{"listen":{"path":"mcp"},"upstreams":[{"name":"a","command":"x"}]}"#, path: "listen.path")
        expectError(#"{"upstreams":[{"name":"a","command":"x"},{"name":"a","command":"y"}]}"#, path: "upstreams[1].name")
        expectError(#"{"upstreams":[]}"#, path: "upstreams")
    }
}

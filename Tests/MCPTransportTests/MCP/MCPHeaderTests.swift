import MCPCore
import Testing

@testable import MCPTransport

@Suite("MCP headers")
struct MCPHeaderTests {
    private func envelope(_ text: String) throws -> MessageEnvelope {
        try MessageEnvelope(parsing: Array(text.utf8))
    }

    @Test func valueEncoding() {
        #expect(MCPHeaderValue.encode("get_weather") == "get_weather")
        #expect(MCPHeaderValue.encode("Zürich") == "=?base64?WsO8cmljaA==?=")
        #expect(MCPHeaderValue.encode(" padded") == "=?base64?IHBhZGRlZA==?=")
        #expect(MCPHeaderValue.encode("a\r\nInjected: b").hasPrefix("=?base64?"))
        #expect(MCPHeaderValue.encode("=?base64?abc?=") == "=?base64?PT9iYXNlNjQ/YWJjPz0=?=")
        for value in ["plain", "Zürich", " x ", "=?base64?abc?=", "tab\there", ""] {
            #expect(MCPHeaderValue.decode(MCPHeaderValue.encode(value)) == value)
        }
        #expect(MCPHeaderValue.decode("=?base64?not base64!?=") == nil)
        #expect(MCPHeaderValue.decode("=?base64?/w==?=") == nil)  // 0xFF is not UTF-8
        #expect(MCPHeaderValue.decode("=?base64?x") == "=?base64?x")  // no wrapper: literal
    }

    @Test func methodAndNameMustMatchTheBody() throws {
        let check = MCPRoutingHeaders(requireHeaders: true)
        let call = try envelope(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_weather","arguments":{}}}"#)
        #expect(check.check(["Mcp-Method": "tools/call", "Mcp-Name": "get_weather"], against: call) == nil)
        let cases: [HTTPFields] = [
            ["Mcp-Method": "tools/list", "Mcp-Name": "get_weather"],
            ["Mcp-Method": "tools/call", "Mcp-Name": "delete_everything"],
            ["Mcp-Method": "tools/call"],
            ["Mcp-Name": "get_weather"],
            ["Mcp-Method": "tools/call", "Mcp-Name": "=?base64?!!?="],
        ]
        for fields in cases {
            let error = check.check(fields, against: call)
            #expect(error?.code == .headerMismatch, "\(fields)")
            #expect(error?.code.rawValue == -32020)
        }
        var repeated: HTTPFields = ["Mcp-Method": "tools/call", "Mcp-Name": "get_weather"]
        repeated.append(name: "Mcp-Name", value: "other")
        #expect(check.check(repeated, against: call)?.code == .headerMismatch)

        let read = try envelope(#"{"jsonrpc":"2.0","id":2,"method":"resources/read","params":{"uri":"file:///Zürich.txt"}}"#)
        #expect(check.check(["Mcp-Method": "resources/read", "Mcp-Name": MCPHeaderValue.encode("file:///Zürich.txt")], against: read) == nil)
        let list = try envelope(#"{"jsonrpc":"2.0","id":3,"method":"tools/list"}"#)
        #expect(check.check(["Mcp-Method": "tools/list"], against: list) == nil)
        #expect(check.check(["Mcp-Method": "tools/list", "Mcp-Name": "x"], against: list)?.code == .headerMismatch)
        // Optional headers (legacy revisions) are checked only when present.
        let lenient = MCPRoutingHeaders(requireHeaders: false)
        #expect(lenient.check([:], against: call) == nil)
        #expect(lenient.check(["Mcp-Name": "other"], against: call)?.code == .headerMismatch)
    }

    @Test func parameterHeaders() throws {
        let check = MCPRoutingHeaders(requireHeaders: true)
        let call = try envelope(
            #"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"deploy","arguments":{"region":"eu-west","count":42,"dry":false,"note":null}}}"#)
        let mapping = ["Region": "region", "Count": "count", "Dry": "dry", "Note": "note", "Absent": "missing"]
        let base: HTTPFields = ["Mcp-Method": "tools/call", "Mcp-Name": "deploy"]
        var fields = base
        fields.append(name: "Mcp-Param-Region", value: "eu-west")
        fields.append(name: "Mcp-Param-Count", value: "42.0")
        fields.append(name: "Mcp-Param-Dry", value: "false")
        #expect(check.check(fields, against: call, parameterHeaders: mapping) == nil)

        var wrong = base
        wrong.append(name: "Mcp-Param-Region", value: "us-east")
        wrong.append(name: "Mcp-Param-Count", value: "42")
        wrong.append(name: "Mcp-Param-Dry", value: "false")
        #expect(check.check(wrong, against: call, parameterHeaders: mapping)?.code == .headerMismatch)

        var missing = base
        missing.append(name: "Mcp-Param-Region", value: "eu-west")
        missing.append(name: "Mcp-Param-Dry", value: "false")
        #expect(check.check(missing, against: call, parameterHeaders: mapping)?.code == .headerMismatch)
    }

    @Test func originPolicy() {
        let policy = OriginPolicy(allowedOrigins: ["https://App.Example.com"])
        #expect(policy.allows(nil))
        #expect(policy.allows("https://app.example.com"))
        #expect(policy.allows("http://localhost:6274"))
        #expect(policy.allows("http://127.0.0.1"))
        #expect(policy.allows("http://[::1]:8080"))
        #expect(!policy.allows("https://evil.example"))
        #expect(!policy.allows("http://localhost.evil.example"))
        #expect(!policy.allows("http://localhost:80.evil"))
        #expect(!policy.allows("null"))
        #expect(!OriginPolicy(allowsLoopback: false).allows("http://localhost:3000"))
    }
}

import Testing

@testable import MCPAuth

/// The small parsers of the authorization server: form parameters, redirect URIs, bearer
/// headers and internal addresses.
@Suite("Request parsing")
struct RequestParsingTests {
    @Test func formParametersAreDecodedOnceEach() throws {
        let form = try FormParameters(parsing: Array("a=1&b=x+y%21&c=&d=%C3%A9".utf8))
        #expect(form["a"] == "1")
        #expect(form["b"] == "x y!")
        #expect(form["c"] == nil, "an empty value is the same as none")
        #expect(form["d"] == "é")
        for bad in ["a=1&a=2", "a=%ZZ", "a=%4", "a=%FF%FE"] {
            #expect(throws: OAuthError(.invalidRequest, ""), "\(bad)") { try FormParameters(parsing: Array(bad.utf8)) }
        }
        #expect(throws: OAuthError(.invalidRequest, "")) {
            try FormParameters(
                parsing: Array((0..<65).map { "p\($0)=1" }.joined(separator: "&").utf8), maximumCount: 64)
        }
        #expect(FormParameters.encode("a b&c=é") == "a%20b%26c%3D%C3%A9")
    }

    @Test func redirectURIsMatchExactlyExceptLoopbackPorts() {
        let registered = ["https://app.example/cb", "http://127.0.0.1/callback", "com.example.app:/oauth"]
        #expect(RedirectURI.matches("https://app.example/cb", registered: registered))
        #expect(RedirectURI.matches("http://127.0.0.1:51234/callback", registered: registered))
        #expect(RedirectURI.matches("com.example.app:/oauth", registered: registered))
        for attempt in [
            "https://app.example/cb/extra", "https://app.example/c", "HTTPS://app.example/cb", "https://APP.example/cb",
            "https://app.example/cb%2F..", "https://app.example/cb?next=https://evil.example",
            "https://app.example@evil.example/cb", "https://app.example/cb#frag", "http://127.0.0.1:51234/callback/x",
            "http://127.0.0.2/callback", "http://localhost:1/callback",
        ] {
            #expect(!RedirectURI.matches(attempt, registered: registered), "\(attempt)")
        }
        #expect(RedirectURI.problem(with: "https://app.example/cb") == nil)
        #expect(RedirectURI.problem(with: "http://localhost:3000/cb") == nil)
        for bad in [
            "javascript:alert(1)", "data:text/html,x", "http://app.example/cb", "https://app.example/cb#x", "cb",
            "https://user@app.example/cb", "https://app.example/a b", "",
        ] {
            #expect(RedirectURI.problem(with: bad) != nil, "\(bad)")
        }
    }

    @Test func bearerTokensAreReadFromTheHeaderOnly() {
        #expect(ProtectedResource.bearerToken("Bearer abc.def-ghi_jkl") == "abc.def-ghi_jkl")
        #expect(ProtectedResource.bearerToken("bearer abc") == "abc")
        for bad in ["Basic abc", "Bearer", "Bearer ", "Bearer a b", "Bearer a\"b", "Token abc"] {
            #expect(ProtectedResource.bearerToken(bad) == nil, "\(bad)")
        }
        #expect(
            ProtectedResource.metadataURL(for: "https://gw.example/mcp")
                == "https://gw.example/.well-known/oauth-protected-resource/mcp")
        #expect(
            ProtectedResource.metadataURL(for: "http://127.0.0.1:8080/")
                == "http://127.0.0.1:8080/.well-known/oauth-protected-resource")
    }

    @Test func internalAddressesAreRecognizedInEverySpelling() throws {
        let guardrail = AddressGuard()
        for host in [
            "127.0.0.1", "localhost", "2130706433", "0x7f000001", "0177.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "0.0.0.0", "[::1]", "::1", "[::ffff:127.0.0.1]", "fe80::1", "fd00::1",
            "::ffff:169.254.169.254", "224.0.0.1",
        ] {
            #expect(throws: OAuthError(.invalidClientMetadata, ""), "\(host)") { try guardrail.check(host: host) }
        }
        #expect(try guardrail.check(host: "93.184.215.14") == ["93.184.215.14"])
        #expect(try guardrail.check(host: "2606:2800:21f:cb07:6820:80da:af6b:8b2c").count == 1)
        #expect(try AddressGuard(allowsInternalAddresses: true).check(host: "127.0.0.1") == ["127.0.0.1"])
    }
}

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
            #"{"listen":{"host":"127.0.0.1","port":9000,"path":"/gw","allowedOrigins":["https://a.example"]},"upstreams":[{"name":"time","command":"uvx","args":["mcp-server-time"],"env":{"TZ":"UTC"},"timeoutSeconds":5}]}"#
        )
        #expect(configuration.listen.port == 9000)
        #expect(configuration.listen.path == "/gw")
        #expect(
            configuration.upstreams[0].endpoint
                == .stdio(command: "uvx", args: ["mcp-server-time"], env: ["TZ": "UTC"], workingDirectory: nil))
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
        expectError(
            #"{"upstreams":[{"name":"a","command":"x","timeoutSeconds":0}]}"#, path: "upstreams[0].timeoutSeconds")
        expectError(#"{"upstreams":[{"name":"a","command":"x","tmeout":1}]}"#, path: "upstreams[0].tmeout")
        expectError(#"{"listen":{"port":70000},"upstreams":[{"name":"a","command":"x"}]}"#, path: "listen.port")
        expectError(#"{"listen":{"path":"mcp"},"upstreams":[{"name":"a","command":"x"}]}"#, path: "listen.path")
        expectError(
            #"{"upstreams":[{"name":"a","command":"x"},{"name":"a","command":"y"}]}"#, path: "upstreams[1].name")
        expectError(#"{"upstreams":[]}"#, path: "upstreams")
        expectError(#"{"upstreams":[{"name":"a","url":"ftp://x"}]}"#, path: "upstreams[0].url")
        expectError(#"{"upstreams":[{"name":"a","url":"http://x/mcp","command":"y"}]}"#, path: "upstreams[0].url")
        expectError(
            #"{"upstreams":[{"name":"a","url":"http://x/mcp","transport":"websocket"}]}"#,
            path: "upstreams[0].transport")
        expectError(#"{"upstreams":[{"name":"a","url":"http://x/mcp","args":[]}]}"#, path: "upstreams[0].args")
        expectError(#"{"upstreams":[{"name":"a","command":"x","transport":"sse"}]}"#, path: "upstreams[0].transport")
        expectError(
            #"{"upstreams":[{"name":"a","url":"http://x/mcp","headers":{"Bad Name":"v"}}]}"#,
            path: "upstreams[0].headers.Bad Name")
        expectError(
            #"{"upstreams":[{"name":"a","url":"http://x/mcp","headers":{"X":"a\nb"}}]}"#, path: "upstreams[0].headers.X"
        )
        expectError(
            #"{"upstreams":[{"name":"a","command":"x","revision":"2024-01-01"}]}"#, path: "upstreams[0].revision")
        expectError(#"{"upstreams":[{"name":"a","command":"x","prefix":"a b"}]}"#, path: "upstreams[0].prefix")
        expectError(
            #"{"upstreams":[{"name":"a","command":"x","prefix":"p"},{"name":"b","command":"y","prefix":"p"}]}"#,
            path: "upstreams[1].prefix")
        expectError(
            #"{"namespacing":{"separator":"/"},"upstreams":[{"name":"a","command":"x"}]}"#,
            path: "namespacing.separator")
        expectError(
            #"{"namespacing":{"onCollision":"merge"},"upstreams":[{"name":"a","command":"x"}]}"#,
            path: "namespacing.onCollision")
        expectError(#"{"limits":{"pageSize":0},"upstreams":[{"name":"a","command":"x"}]}"#, path: "limits.pageSize")
        expectError(
            #"{"limits":{"maxListItem":5},"upstreams":[{"name":"a","command":"x"}]}"#, path: "limits.maxListItem")
        expectError(
            #"{"recovery":{"sessionLostPatterns":["ok",""]},"upstreams":[{"name":"a","command":"x"}]}"#,
            path: "recovery.sessionLostPatterns[1]")
        expectError(#"{"listen":{"path":"/metrics"},"upstreams":[{"name":"a","command":"x"}]}"#, path: "listen.path")
    }

    @Test func authorizationErrorsNameTheirKeyPaths() {
        let upstream = #"{"name":"u","url":"https://u.example/mcp","auth":"#
        for (text, path) in [
            (#"{"upstreams":[\#(upstream){"type":"oauth","catalogSubject":"a"}}]}"#, "upstreams[0].auth"),
            (#"{"authorization":{},"upstreams":[\#(upstream){"type":"oauth"}}]}"#, "upstreams[0].auth.catalogSubject"),
            (#"{"authorization":{},"upstreams":[\#(upstream){"type":"bearer"}}]}"#, "upstreams[0].auth.catalogSubject"),
            (
                #"{"authorization":{},"upstreams":[\#(upstream){"type":"clientCredentials","clientID":"c","clientSecretFile":"s"}}]}"#,
                "upstreams[0].auth.issuer"
            ),
            (#"{"authorization":{},"upstreams":[\#(upstream){"type":"magic"}}]}"#, "upstreams[0].auth.type"),
            (
                #"{"authorization":{"issuer":"http://x/"},"upstreams":[\#(upstream){"type":"bearer","secretFile":"f"}}]}"#,
                "authorization.issuer"
            ),
            (
                #"{"authorization":{"scopes":["offline_access"]},"upstreams":[{"name":"e","command":"x"}]}"#,
                "authorization.scopes[0]"
            ),
            (
                #"{"authorization":{"unusedClientLifetimeSeconds":60},"upstreams":[{"name":"e","command":"x"}]}"#,
                "authorization.unusedClientLifetimeSeconds"
            ),
            (
                #"{"authorization":{"maximumDynamicClients":0},"upstreams":[{"name":"e","command":"x"}]}"#,
                "authorization.maximumDynamicClients"
            ),
            (
                #"{"listen":{"tls":{"certificateFile":"c.pem"}},"upstreams":[{"name":"e","command":"x"}]}"#,
                "listen.tls.privateKeyFile"
            ),
            (#"{"upstreams":[{"name":"e","command":"x","auth":{"type":"bearer"}}]}"#, "upstreams[0].auth"),
        ] {
            expectError(text, path: path)
        }
    }

    @Test func readsTheGovernanceSections() throws {
        let configuration = try parse(
            #"""
            {"upstreams":[{"name":"a","command":"x"}],"dataDirectory":"data",
             "policy":{"files":["p.json"],"anonymous":{"subject":"anon","organization":"o","teams":["t"]}},
             "audit":{"path":"a.sqlite","durability":"failClosed","signingKeyFile":"k","recordArguments":true,
                      "sinks":[{"type":"file","path":"a.jsonl"},{"type":"syslog","host":"127.0.0.1","port":514,"protocol":"tcp"}],
                      "retention":{"days":90,"organizations":{"acme":30}}}}
            """#)
        #expect(
            configuration.policy
                == .init(files: ["p.json"], anonymousSubject: "anon", anonymousOrganization: "o", anonymousTeams: ["t"])
        )
        let audit = try #require(configuration.audit)
        #expect(audit.durability == .failClosed && audit.recordArguments && audit.signingKeyFile == "k")
        #expect(audit.sinks == [.file(path: "a.jsonl"), .syslog(host: "127.0.0.1", port: 514, tcp: true)])
        #expect(audit.retentionDays == 90 && audit.organizationRetentionDays == ["acme": 30])
        let base = #""upstreams":[{"name":"a","command":"x"}]"#
        expectError(#"{\#(base),"policy":{}}"#, path: "policy.files")
        expectError(#"{\#(base),"policy":{"files":[]}}"#, path: "policy.files")
        expectError(#"{\#(base),"policy":{"files":["p"],"anonymous":{"subject":"s"}}}"#, path: "policy.anonymous")
        expectError(#"{\#(base),"audit":{"durability":"sometimes"}}"#, path: "audit.durability")
        expectError(#"{\#(base),"audit":{"sinks":[{"type":"kafka"}]}}"#, path: "audit.sinks[0].type")
        expectError(
            #"{\#(base),"audit":{"sinks":[{"type":"syslog","host":"h","port":0}]}}"#, path: "audit.sinks[0].port")
        expectError(
            #"{\#(base),"audit":{"sinks":[{"type":"syslog","host":"h","port":1,"protocol":"quic"}]}}"#,
            path: "audit.sinks[0].protocol")
        expectError(#"{\#(base),"audit":{"retention":{"days":0}}}"#, path: "audit.retention.days")
        expectError(
            #"{\#(base),"audit":{"retention":{"organizations":{"x":"y"}}}}"#, path: "audit.retention.organizations.x")
        expectError(#"{\#(base),"audit":{"recordArguments":"yes"}}"#, path: "audit.recordArguments")
    }

    @Test func readsSeveralUpstreamsWithTheirTransportsAndPrefixes() throws {
        let configuration = try parse(
            #"""
            {"namespacing":{"separator":".","onCollision":"hide"},"limits":{"pageSize":7},
             "upstreams":[
               {"name":"local","command":"server"},
               {"name":"remote","url":"https://mcp.example/mcp","headers":{"Authorization":"Bearer upstream-token"},"revision":"2025-06-18"},
               {"name":"old","url":"http://127.0.0.1:9/sse","transport":"sse","prefix":""}]}
            """#)
        #expect(configuration.upstreams.map(\.name) == ["local", "remote", "old"])
        #expect(configuration.upstreams[1].endpoint == .streamableHTTP(url: "https://mcp.example/mcp"))
        #expect(configuration.upstreams[1].headers == ["Authorization": "Bearer upstream-token"])
        #expect(configuration.upstreams[1].revision == .v2025_06_18)
        #expect(configuration.upstreams[2].endpoint == .legacySSE(url: "http://127.0.0.1:9/sse"))
        #expect(configuration.upstreams.map { configuration.prefix(of: $0) } == ["local", "remote", ""])
        #expect(configuration.namespacing == .init(separator: ".", onCollision: .hide))
        #expect(configuration.limits.pageSize == 7)
        // A single upstream passes its names through unchanged.
        let single = try parse(#"{"upstreams":[{"name":"only","command":"server"}]}"#)
        #expect(single.prefix(of: single.upstreams[0]) == "")
    }
}

@Suite("Virtual server configuration")
struct VirtualServerConfigurationTests {
    private func expectError(_ text: String, path: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try GatewayConfiguration(parsing: Array(text.utf8))
            Issue.record("accepted \(text)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.path == path, "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func readsServersAndScopesTheirUpstreams() throws {
        let configuration = try GatewayConfiguration(
            parsing: Array(
                #"{"upstreams":[{"name":"a","command":"x"},{"name":"b","command":"y"}],"servers":[{"name":"dev","path":"/mcp/dev","upstreams":["b"],"tools":["e*","add"]}]}"#
                    .utf8))
        #expect(
            configuration.servers == [.init(name: "dev", path: "/mcp/dev", upstreams: ["b"], tools: ["e*", "add"])])
        let scoped = configuration.scoped(to: configuration.servers[0])
        #expect(scoped.upstreams.map(\.name) == ["b"])
        #expect(scoped.prefix(of: scoped.upstreams[0]) == "", "one upstream: names pass through")
    }

    @Test func everyServerErrorNamesItsKeyPath() {
        let upstreams = #""upstreams":[{"name":"a","command":"x"}]"#
        expectError(#"{\#(upstreams),"servers":{}}"#, path: "servers")
        expectError(#"{\#(upstreams),"servers":[{"path":"/p","upstreams":["a"]}]}"#, path: "servers[0].name")
        expectError(#"{\#(upstreams),"servers":[{"name":"s","upstreams":["a"]}]}"#, path: "servers[0].path")
        expectError(#"{\#(upstreams),"servers":[{"name":"s","path":"p","upstreams":["a"]}]}"#, path: "servers[0].path")
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/mcp","upstreams":["a"]}]}"#, path: "servers[0].path")
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/metrics","upstreams":["a"]}]}"#, path: "servers[0].path")
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/p","upstreams":["zz"]}]}"#, path: "servers[0].upstreams[0]"
        )
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/p","upstreams":[]}]}"#, path: "servers[0].upstreams")
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/p","upstreams":["a","a"]}]}"#, path: "servers[0].upstreams"
        )
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/p","upstreams":["a"],"tools":[""]}]}"#,
            path: "servers[0].tools[0]")
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/p","upstreams":["a"],"tool":["x"]}]}"#,
            path: "servers[0].tool")
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/p","upstreams":["a"]},{"name":"t","path":"/p","upstreams":["a"]}]}"#,
            path: "servers[1].path")
        expectError(
            #"{\#(upstreams),"servers":[{"name":"s","path":"/p","upstreams":["a"]},{"name":"s","path":"/q","upstreams":["a"]}]}"#,
            path: "servers[1].name")
    }

    @Test func patternsMatchWholeNames() {
        let cases: [(String, String, Bool)] = [
            ("echo", "echo", true), ("echo", "echoes", false), ("e*", "echo", true), ("e*", "add", false),
            ("*", "", true),
            ("a?d", "add", true), ("a?d", "ad", false), ("*__get_*", "time__get_current_time", true),
            ("*x*y*", "axbxcy", true),
            ("*x*y*", "axbxc", false), ("**", "anything", true), ("file:///logs/*", "file:///logs/a.txt", true),
        ]
        for (pattern, name, expected) in cases {
            #expect(NamePattern(pattern).matches(name) == expected, "\(pattern) ~ \(name)")
        }
    }
}

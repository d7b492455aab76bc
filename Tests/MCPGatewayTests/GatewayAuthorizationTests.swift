import Foundation
import MCPAuth
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPGateway
@testable import MCPTransport

/// gatewayd as an OAuth 2.1 authorization server and protected resource, driven by peers
/// nobody here wrote: the official MCP Python SDK client (registering through Dynamic
/// Client Registration and through a Client ID Metadata Document) and Authlib's client.
/// Users and teams come from `gatewayd orgs|teams|users`; each call is decided by the
/// policy for the signed-in user's teams and recorded in the audit trail under the user.
@Suite("Gateway authorization")
struct GatewayAuthorizationTests {
    static let policy = #"""
        {
          "id": "acme", "organization": "acme", "defaultEffect": "allow",
          "rules": [
            { "id": "no-add-for-interns", "effect": "deny", "reason": "interns may not add",
              "when": { "teams": ["interns"], "names": ["add"] } }
          ]
        }
        """#

    /// A directory with a configuration (authorization, policy, audit) and the identity
    /// graph made with the command line: alice in acme/eng, bob in acme/interns.
    struct Setup {
        let directory: String
        let port: UInt16
        var configuration: String { directory + "/gateway.json" }
        var url: String { "http://127.0.0.1:\(port)/mcp" }
        var issuer: String { "http://127.0.0.1:\(port)" }
    }

    static func setUp(on loop: EventLoop) async throws -> Setup {
        let directory = NSTemporaryDirectory() + "gatewayd-auth-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try policy.write(toFile: directory + "/policy.json", atomically: true, encoding: .utf8)
        let port = try PythonPeerProcess.freePort()
        let configuration = #"""
            {"listen":{"port":\#(port)}, "dataDirectory":"data",
             "authorization":{"allowInternalAddresses":true, "accessTokenLifetimeSeconds":300},
             "policy":{"files":["policy.json"]},
             "audit":{"path":"audit.sqlite","durability":"acknowledged"},
             "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"}]}
            """#
        let setup = Setup(directory: directory, port: port)
        try configuration.write(toFile: setup.configuration, atomically: true, encoding: .utf8)
        let steps: [([String], String?)] = [
            (["orgs", "add", "--config", setup.configuration, "acme"], nil),
            (["teams", "add", "--config", setup.configuration, "--org", "acme", "eng"], nil),
            (["teams", "add", "--config", setup.configuration, "--org", "acme", "interns"], nil),
            (
                [
                    "users", "add", "--config", setup.configuration, "--org", "acme", "--user", "alice",
                    "--password-stdin",
                ],
                "correct horse battery\n"
            ),
            (
                [
                    "users", "add", "--config", setup.configuration, "--org", "acme", "--user", "bob",
                    "--password-stdin",
                ],
                "bob's long password\n"
            ),
            (
                [
                    "teams", "add-member", "--config", setup.configuration, "--org", "acme", "--team", "eng", "--user",
                    "alice",
                ], nil
            ),
            (
                [
                    "teams", "add-member", "--config", setup.configuration, "--org", "acme", "--team", "interns",
                    "--user", "bob",
                ], nil
            ),
        ]
        for (arguments, input) in steps {
            let (exit, output) = try await run(arguments, input: input, on: loop)
            #expect(exit == .exited(0), "gatewayd \(arguments.joined(separator: " ")): \(output)")
        }
        return setup
    }

    static func run(_ arguments: [String], input: String? = nil, on loop: EventLoop) async throws -> (
        ChildProcessExit, String
    ) {
        try await runProgram(TestPeers.binary("gatewayd"), arguments, input: input, on: loop)
    }

    static func runProgram(_ executable: String, _ arguments: [String], input: String? = nil, on loop: EventLoop)
        async throws -> (ChildProcessExit, String)
    {
        let process = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: executable, arguments: arguments), on: loop)
        if let input { try await process.write(Array(input.utf8)) }
        await process.closeInput()
        var output: [UInt8] = []
        while let chunk = try await process.output.next() { output += chunk }
        let exit = await process.wait()
        if exit != .exited(0) {
            let errors = await process.recentErrorLines()
            return (exit, String(decoding: output, as: UTF8.self) + errors.joined(separator: "\n"))
        }
        return (exit, String(decoding: output, as: UTF8.self))
    }

    @Test func theIdentityGraphIsManagedFromTheCommandLine() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let setup = try await Self.setUp(on: loop)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let (listed, users) = try await Self.run(
            ["users", "list", "--config", setup.configuration, "--org", "acme", "--json"], on: loop)
        #expect(listed == .exited(0))
        let records = try users.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        #expect(records.map { $0["username"] } == ["alice", "bob"])
        #expect(records.first?["teams"] == ["eng"])
        // The key that seals the signing keys is readable by its owner only, and so is the store.
        let key = try FileManager.default.attributesOfItem(atPath: setup.directory + "/data/master.key")
        #expect((key[.posixPermissions] as? Int) == 0o600)
        let store = try FileManager.default.attributesOfItem(atPath: setup.directory + "/data/auth.sqlite")
        #expect((store[.posixPermissions] as? Int) == 0o600)

        // Refusals change nothing and say why.
        _ = try await Self.run(["orgs", "add", "--config", setup.configuration, "globex"], on: loop)
        _ = try await Self.run(["teams", "add", "--config", setup.configuration, "--org", "globex", "ops"], on: loop)
        let refusals: [([String], String?, String)] = [
            (
                ["users", "add", "--config", setup.configuration, "--org", "acme", "--user", "alice"], nil,
                "exists already"
            ),
            (
                ["users", "add", "--config", setup.configuration, "--org", "nowhere", "--user", "dan"], nil,
                "no organization"
            ),
            (
                [
                    "users", "add", "--config", setup.configuration, "--org", "acme", "--user", "eve",
                    "--password-stdin",
                ],
                "short\n", "8 to"
            ),
            (
                ["users", "add", "--config", setup.configuration, "--org", "acme", "--user", "bad name"], nil,
                "names are"
            ),
            // A team of another organization is out of reach: tenants are isolated.
            (
                [
                    "teams", "add-member", "--config", setup.configuration, "--org", "globex", "--team", "ops",
                    "--user", "alice",
                ],
                nil, "no user alice in organization globex"
            ),
        ]
        for (arguments, input, message) in refusals {
            let (exit, output) = try await Self.run(arguments, input: input, on: loop)
            #expect(exit == .exited(1), "\(arguments): \(output)")
            #expect(output.contains(message), "\(arguments): \(output)")
        }
        let (_, after) = try await Self.run(
            ["users", "list", "--config", setup.configuration, "--org", "acme", "--json"], on: loop)
        #expect(after.split(separator: "\n").count == 2, "\(after)")
        let (_, globex) = try await Self.run(
            ["users", "list", "--config", setup.configuration, "--org", "globex"], on: loop)
        #expect(globex.isEmpty, "no user of acme is listed in globex: \(globex)")
    }

    @Test func theSDKClientSignsInThroughRegistrationAndMetadataDocuments() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let setup = try await Self.setUp(on: loop)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        try await GatewaydProcess.serving(configuration: setup.configuration, on: loop) { gatewayd in
            // Without a token: 401 pointing at the resource metadata.
            let client = try HTTPClient()
            defer { client.shutdown() }
            let refused = try await client.execute(
                HTTPClientRequest(
                    method: "POST", url: setup.url, headers: [("Content-Type", "application/json")],
                    body: Array(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#.utf8)))
            #expect(refused.status == 401)
            #expect(
                refused.header("WWW-Authenticate")
                    == #"Bearer resource_metadata="\#(setup.issuer)/.well-known/oauth-protected-resource/mcp", scope="mcp""#
            )
            let metadata = try JSONValue(
                parsing: try await client.execute(
                    HTTPClientRequest(url: setup.issuer + "/.well-known/oauth-protected-resource/mcp")
                ).collectBody())
            #expect(metadata["resource"] == .string(setup.url))
            #expect(metadata["authorization_servers"] == [.string(setup.issuer)])

            // alice (team eng) through Dynamic Client Registration, bob (interns) through
            // a Client ID Metadata Document; the policy decides by team.
            for (user, password, registration) in [
                ("alice", "correct horse battery", "dcr"), ("bob", "bob's long password", "cimd"),
            ] {
                let (exit, output) = try await Self.runProgram(
                    TestPeers.python,
                    [
                        TestPeers.script("oauth_sdk_client.py"), setup.url, "--username", user, "--password", password,
                        "--registration", registration, "--call", "echo", #"{"text":"hello from \#(user)"}"#, "--call",
                        "add", #"{"a":2,"b":3}"#,
                    ], on: loop)
                #expect(exit == .exited(0), "\(output)\n\(gatewayd.log.suffix(20))")
                let summary = try JSONValue(parsing: Array(output.utf8))
                #expect(summary["registration"] == .string(registration))
                #expect(summary["tokenType"]?.stringValue?.lowercased() == "bearer")
                #expect(summary["tools"]?.arrayValue?.contains("echo") == true, "\(summary)")
                let calls = summary["calls"]?.arrayValue ?? []
                #expect(calls.first?["text"] == .string("hello from \(user)"), "\(summary)")
                if user == "alice" {
                    #expect(summary["clientId"]?.stringValue?.hasPrefix("mcp_") == true)
                    #expect(calls.last?["isError"] == false, "\(summary)")
                } else {
                    #expect(summary["clientId"]?.stringValue?.hasPrefix("http://127.0.0.1:") == true)
                    #expect(summary["documentFetches"] == 1)
                    #expect(calls.last?["isError"] == true, "\(summary)")
                    #expect(calls.last?["text"] == "Denied by policy: interns may not add", "\(summary)")
                }
            }
            // No token, secret or password ever reaches the log.
            for line in gatewayd.log {
                for secret in ["eyJ", "mcprt_", "correct horse", "long password", "client_secret"] {
                    #expect(!line.contains(secret), "the log shows \(secret): \(line)")
                }
            }
        }
        // Every call is attributed to the signed-in user, organization, team and agent.
        let database = setup.directory + "/data/audit.sqlite"
        let (_, bobCalls) = try await Self.run(
            ["audit", "query", "--db", database, "--subject", "bob", "--method", "tools/call"], on: loop)
        let records = try bobCalls.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        #expect(records.count == 2, "\(bobCalls)")
        #expect(records.first?["actor"]?["organization"] == "acme", "\(bobCalls)")
        #expect(records.first?["actor"]?["teams"] == ["interns"], "\(bobCalls)")
        #expect(
            records.first?["actor"]?["clientId"]?.stringValue?.hasPrefix("http://127.0.0.1:") == true, "\(bobCalls)")
        #expect(records.contains { $0["decision"]?["effect"] == "deny" }, "\(bobCalls)")
        let (_, aliceCalls) = try await Self.run(
            ["audit", "query", "--db", database, "--subject", "alice", "--method", "tools/call"], on: loop)
        #expect(aliceCalls.split(separator: "\n").count == 2, "\(aliceCalls)")
    }

    @Test func authlibCompletesTheFlowAsASecondClient() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let setup = try await Self.setUp(on: loop)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        try await GatewaydProcess.serving(configuration: setup.configuration, on: loop) { gatewayd in
            for confidential in [false, true] {
                let (exit, output) = try await Self.runProgram(
                    TestPeers.python,
                    [
                        TestPeers.script("oauth_authlib_client.py"), setup.issuer, setup.url, "--username", "alice",
                        "--password", "correct horse battery", "--call", "echo", #"{"text":"authlib"}"#,
                    ] + (confidential ? ["--confidential"] : []), on: loop)
                #expect(exit == .exited(0), "\(output)\n\(gatewayd.log.suffix(20))")
                let summary = try JSONValue(parsing: Array(output.utf8))
                #expect(summary["confidential"] == .bool(confidential))
                #expect(summary["issChecked"] == true)
                #expect(summary["refreshed"] == true)
                #expect(summary["calls"]?[0]?["text"] == "authlib", "\(summary)")
                // A rotated-out refresh token presented again is reuse: refused, and the
                // grant is revoked, so revoking it afterwards still answers 200.
                #expect(summary["rotatedRefreshTokenReuse"] == "invalid_grant", "\(summary)")
                #expect(summary["revoked"] == true)
                // Revoking the grant revokes its access tokens too.
                #expect(summary["accessTokenAfterRevoke"] == 401, "\(summary)")
            }
        }
    }
}

extension JSONValue {
    fileprivate subscript(index: Int) -> JSONValue? {
        guard let array = arrayValue, array.indices.contains(index) else { return nil }
        return array[index]
    }
}

/// Sessions belong to the principal that initialized them.
@Suite("Gateway session ownership")
struct GatewaySessionOwnershipTests {
    /// An access token for the gateway's main endpoint, signed with the gateway's own key (read
    /// from its data directory, as an administrator's tool could).
    static func token(for subject: String, directory: String, port: UInt16) throws -> String {
        let store = try AuthStore(path: directory + "/data/auth.sqlite")
        let keys = try SigningKeyRing(
            store: store, masterKey: try MasterKey(contentsOfFile: directory + "/data/master.key"))
        let (keyID, key) = keys.current
        let now = AuthClock.system.now()
        return try JSONWebToken.sign(
            [
                "iss": .string("http://127.0.0.1:\(port)"), "sub": .string(subject),
                "aud": .string("http://127.0.0.1:\(port)/mcp"),
                "exp": .number(JSONNumber(now + 300)), "iat": .number(JSONNumber(now)), "jti": .string(subject + "-1"),
                "client_id": "test", "scope": "mcp", "org": "acme", "groups": [],
            ], with: key, keyID: keyID, type: "at+jwt")
    }

    @Test func anotherUsersSessionIsUnknownToThem() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let setup = try await GatewayAuthorizationTests.setUp(on: loop)
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        try await GatewaydProcess.serving(configuration: setup.configuration, on: loop) { _ in
            let alice = try Self.token(for: "alice", directory: setup.directory, port: setup.port)
            let bob = try Self.token(for: "bob", directory: setup.directory, port: setup.port)
            let client = try HTTPClient()
            defer { client.shutdown() }
            func post(_ token: String, _ body: String, session: String? = nil) async throws -> HTTPClientResponse {
                var headers = [
                    ("Authorization", "Bearer " + token), ("Content-Type", "application/json"),
                    ("Accept", "application/json, text/event-stream"),
                ]
                if let session {
                    headers += [("Mcp-Session-Id", session), ("MCP-Protocol-Version", "2025-11-25")]
                }
                return try await client.execute(
                    HTTPClientRequest(method: "POST", url: setup.url, headers: headers, body: Array(body.utf8)))
            }
            let initialized = try await post(
                alice,
                #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}"#
            )
            _ = try await initialized.collectBody()
            let session = try #require(initialized.header("Mcp-Session-Id"))
            let list = #"{"jsonrpc":"2.0","id":2,"method":"tools/list"}"#
            let stolen = try await post(bob, list, session: session)
            _ = try await stolen.collectBody()
            #expect(stolen.status == 404, "bob cannot use alice's session")
            let stream = try await client.execute(
                HTTPClientRequest(
                    url: setup.url,
                    headers: [
                        ("Authorization", "Bearer " + bob), ("Accept", "text/event-stream"),
                        ("Mcp-Session-Id", session),
                        ("MCP-Protocol-Version", "2025-11-25"),
                    ], timeout: .seconds(5)))
            _ = try? await stream.collectBody()
            #expect(stream.status == 404, "nor listen on it")
            let own = try await post(alice, list, session: session)
            let body = try JSONValue(parsing: try await own.collectBody())
            #expect(own.status == 200)
            #expect(body["result"]?["tools"]?.arrayValue?.isEmpty == false, "\(body)")
        }
    }
}

import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// The gateway as a per-user OAuth client of an upstream that has its own authorization
/// server (a simulator configurable with the quirks of real providers): the user connects
/// through the link the gateway gives, calls keep working across expiry with exactly one
/// refresh for 50 concurrent calls, a user who never connected is told where to connect,
/// an ended grant is reported (never retried in a loop), and the client's own token for
/// the gateway never reaches the upstream.
@Suite("Gateway upstream OAuth", .serialized)
struct GatewayUpstreamOAuthTests {
    struct Case: Sendable, CustomStringConvertible {
        let name: String
        var simulator: [String] = []
        var auth = ""
        var endsGrant = false
        /// Whether the second user connects too, and both call.
        var bothConnect = false
        /// What `gatewayd upstream doctor` reports seeing in the provider's answers.
        var doctorSees: [String] = []
        var description: String { name }
    }

    static let cases: [Case] = [
        Case(name: "rotating refresh tokens", endsGrant: true),
        Case(
            name: "refresh tokens never rotated", simulator: ["--quirk", "never-rotate"],
            doctorSees: ["refresh token not rotated"]),
        Case(
            name: "old refresh tokens stay valid", simulator: ["--quirk", "rotate-keep-old"],
            doctorSees: ["refresh token rotated"]),
        Case(name: "no expires_in", simulator: ["--quirk", "no-expires-in"], doctorSees: ["no expires_in"]),
        Case(
            name: "expires_in as a string", simulator: ["--quirk", "expires-in-string"],
            doctorSees: ["expires_in as a string"]),
        Case(
            name: "errors with HTTP 200", simulator: ["--quirk", "error-200"], endsGrant: true,
            doctorSees: ["errors sent with HTTP 200"]),
        Case(name: "ok false", simulator: ["--quirk", "ok-false"], endsGrant: true, doctorSees: ["an ok member"]),
        Case(
            name: "form-encoded answers, bearer in lower case, comma scopes",
            simulator: ["--quirk", "form-response", "--quirk", "lowercase-bearer", "--quirk", "comma-scopes"],
            endsGrant: true, doctorSees: ["form-encoded answer"]),
        Case(
            name: "expired tokens answered 403", simulator: ["--quirk", "expired-403"],
            auth: #","quirks":{"expiredStatuses":[403]}"#),
        Case(
            name: "expired tokens answered 200", simulator: ["--quirk", "expired-200"],
            auth: #","quirks":{"expiredBodyPatterns":["access token expired"]}"#),
        Case(
            name: "resource parameter refused", simulator: ["--quirk", "reject-resource"],
            auth: #","quirks":{"sendResource":false}"#),
        Case(
            name: "pre-registered client only",
            simulator: ["--quirk", "no-dcr", "--quirk", "no-cimd", "--client", "gw-client:gw-secret-0123456789"],
            auth: #","clientID":"gw-client","clientSecretFile":"../upstream.secret","issuer":"http://127.0.0.1:{SIM}""#),
        Case(name: "registration without metadata documents", simulator: ["--quirk", "no-cimd"]),
        Case(name: "OpenID discovery only", simulator: ["--quirk", "openid-only"]),
        Case(name: "issuer with a path", simulator: ["--quirk", "path-issuer"]),
        Case(name: "no resource_metadata in the challenge", simulator: ["--quirk", "no-www-authenticate"]),
        Case(name: "sessions bound to their user", simulator: ["--quirk", "bind-session"], bothConnect: true),
    ]

    @Test(arguments: cases)
    func callsKeepWorkingAcrossExpiry(_ quirk: Case) async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let directory = NSTemporaryDirectory() + "gatewayd-upstream-oauth-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "gw-secret-0123456789\n".write(toFile: directory + "/upstream.secret", atomically: true, encoding: .utf8)
        let port = try PythonPeerProcess.freePort()
        let simulatorPort = try PythonPeerProcess.freePort()
        let path = directory + "/gateway.json"
        try #"""
        {"listen":{"port":\#(port)}, "dataDirectory":"data", "authorization":{"allowInternalAddresses":true},
         "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"},
                      {"name":"sim","url":"http://127.0.0.1:\#(simulatorPort)/mcp",
                       "auth":{"type":"oauth","catalogSubject":"alice","allowInternalAddresses":true\#(quirk.auth.replacingOccurrences(of: "{SIM}", with: String(simulatorPort)))}}]}
        """#.write(toFile: path, atomically: true, encoding: .utf8)
        try await GatewayAuthorizationTests.addUsers(
            [("alice", "correct horse battery"), ("bob", "bob's long password")], configuration: path, on: loop)
        let simulator = try await ListeningPeer.start(
            "upstream_oauth_simulator.py",
            [String(simulatorPort), "--user", "alice", "--user", "bob"] + quirk.simulator,
            on: loop)
        defer { Task { _ = await simulator.terminate(gracePeriod: .seconds(1)) } }

        try await GatewaydProcess.serving(configuration: path, on: loop) { gatewayd in
            let (exit, output) = try await GatewayAuthorizationTests.runProgram(
                TestPeers.python,
                [
                    TestPeers.script("upstream_connect_client.py"), "http://127.0.0.1:\(port)",
                    "http://127.0.0.1:\(simulatorPort)", "--username", "alice", "--password", "correct horse battery",
                    "--other-username", "bob", "--other-password", "bob's long password",
                ] + (quirk.endsGrant ? ["--expire-refresh"] : []) + (quirk.bothConnect ? ["--other-connects"] : [])
                    + (quirk.name == Self.cases[0].name ? ["--misuses"] : []),
                on: loop)
            try #require(exit == .exited(0), "\(quirk): \(output)\n\(gatewayd.log.suffix(15).joined(separator: "\n"))")
            let summary = try JSONValue(parsing: Array(output.utf8))
            #expect(summary["before"]?["sim"]?["status"] == "not connected", "\(summary)")
            #expect((summary["misuses"] != nil) == (quirk.name == Self.cases[0].name))
            if let misuses = summary["misuses"] {
                // A wrong password uses the link up; a consent finished in a browser other than
                // the one that confirmed connects nothing.
                #expect(misuses["wrongPassword"] == 403, "\(misuses)")
                #expect(misuses["reusedAfterWrongPassword"] == 400, "\(misuses)")
                #expect(misuses["confirmed"] == 303, "\(misuses)")
                #expect(misuses["otherBrowser"] == 400 && misuses["otherBrowserText"] == true, "\(misuses)")
                #expect(misuses["stillNotConnected"] == true, "\(misuses)")
            }
            #expect(summary["after"]?["sim"] == "connected")
            let first = summary["first"]?["content"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            #expect(first.hasPrefix("user=alice "), "\(quirk): \(first)")
            // 50 calls at the moment of expiry: all answered, with exactly one refresh.
            #expect(summary["concurrentOK"] == 50, "\(quirk): \(summary["concurrentErrors"] ?? .null)")
            #expect(summary["refreshesDuringExpiry"] == 1, "\(quirk): \(summary["stats"] ?? .null)")
            // A user who never connected is sent to the connect page (URL elicitation).
            #expect(summary["otherUser"]?["code"] == -32042, "\(quirk): \(summary["otherUser"] ?? .null)")
            let url = summary["otherUser"]?["data"]?["elicitations"]?.arrayValue?.first?["url"]?.stringValue ?? ""
            #expect(url.hasPrefix("http://127.0.0.1:\(port)/connect/sim?ticket="), "\(url)")
            // The client's own token for the gateway never reached the upstream.
            let headers = summary["authorizationHeaders"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(!headers.isEmpty)
            #expect(
                headers.allSatisfy { $0.hasPrefix("Bearer ") && !$0.contains("eyJhbGciOiJFUzI1Ni") },
                "\(headers.prefix(3))")
            if quirk.bothConnect {
                // Each user has a session of their own upstream: neither call lands in the
                // other's session.
                let texts = summary["bothUsers"]?.arrayValue?.map { $0.stringValue ?? "\($0)" } ?? []
                #expect(texts.count == 3, "\(summary)")
                #expect(texts.first?.hasPrefix("user=alice ") == true, "\(texts)")
                #expect(texts.dropFirst().first?.hasPrefix("user=bob ") == true, "\(texts)")
                #expect(texts.last?.hasPrefix("user=alice ") == true, "\(texts)")
            }
            if quirk.endsGrant {
                // An ended grant is said plainly, on this call and the next, without a refresh loop.
                #expect(summary["ended"]?["code"] == -32042, "\(quirk): \(summary["ended"] ?? .null)")
                #expect(summary["ended"]?["message"]?.stringValue?.contains("has ended") == true)
                #expect(summary["endedAgain"]?["message"]?.stringValue?.contains("has ended") == true)
                #expect(summary["refreshesAfterEnd"] == 1, "\(quirk): one refused refresh, then none")
                #expect(summary["afterEnd"]?["sim"]?.stringValue?.hasPrefix("reconnect needed") == true)
            }
            for line in gatewayd.log where line.contains("Bearer ") || line.contains("refresh_token") {
                Issue.record("a credential reached the log: \(line.prefix(200))")
            }
        }

        // Offline: the doctor's report, then the user's connections.
        let (doctored, report) = try await GatewayAuthorizationTests.run(
            ["upstream", "doctor", "sim", "--config", path, "--user", "alice"], on: loop)
        #expect(doctored == .exited(quirk.endsGrant ? 1 : 0), "\(quirk): \(report)")
        #expect(report.contains("issuer: http://127.0.0.1:\(simulatorPort)"), "\(quirk): \(report)")
        #expect(report.contains("token cycle: \(quirk.endsGrant ? "failed" : "ok")"), "\(quirk): \(report)")
        for seen in quirk.doctorSees {
            #expect(report.contains(seen), "\(quirk): the doctor should report \(seen): \(report)")
        }
        let (_, listed) = try await GatewayAuthorizationTests.run(
            ["connections", "list", "--config", path, "--user", "alice"], on: loop)
        #expect(listed.contains(quirk.endsGrant ? "sim\treconnect needed" : "sim\tconnected"), "\(listed)")
        let (revoked, revocation) = try await GatewayAuthorizationTests.run(
            ["connections", "revoke", "--config", path, "--user", "alice", "--upstream", "sim"], on: loop)
        #expect(revoked == .exited(0), "\(revocation)")
        let (_, after) = try await GatewayAuthorizationTests.run(
            ["connections", "list", "--config", path, "--user", "alice"], on: loop)
        #expect(after.contains("sim\tnot connected"), "\(after)")
    }
}

/// The other kinds of upstream credentials: the gateway's own token from the client
/// credentials grant (for every user), and a user's own bearer token stored in the vault.
@Suite("Gateway upstream credentials")
struct GatewayUpstreamCredentialTests {
    @Test func clientCredentialsAndUsersOwnTokens() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let directory = NSTemporaryDirectory() + "gatewayd-upstream-keys-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "gw-secret-0123456789\n".write(toFile: directory + "/upstream.secret", atomically: true, encoding: .utf8)
        let port = try PythonPeerProcess.freePort()
        let simulatorPort = try PythonPeerProcess.freePort()
        let simulatorURL = "http://127.0.0.1:\(simulatorPort)"
        let path = directory + "/gateway.json"
        try #"""
        {"listen":{"port":\#(port)}, "dataDirectory":"data", "authorization":{"allowInternalAddresses":true},
         "upstreams":[
           {"name":"service","url":"\#(simulatorURL)/mcp",
            "auth":{"type":"clientCredentials","clientID":"gw-client","clientSecretFile":"../upstream.secret",
                        "issuer":"\#(simulatorURL)",
                    "allowInternalAddresses":true}},
           {"name":"own","url":"\#(simulatorURL)/mcp","auth":{"type":"bearer","catalogSubject":"alice"}}]}
        """#.write(toFile: path, atomically: true, encoding: .utf8)
        try await GatewayAuthorizationTests.addUsers(
            [("alice", "correct horse battery"), ("bob", "bob's long password")], configuration: path, on: loop)
        let simulator = try await ListeningPeer.start(
            "upstream_oauth_simulator.py",
            [
                String(simulatorPort), "--client", "gw-client:gw-secret-0123456789", "--client",
                "other-client:other-secret-0123456789",
            ], on: loop)
        defer { Task { _ = await simulator.terminate(gracePeriod: .seconds(1)) } }

        // alice's own token for "own": obtained elsewhere (here, another client's grant) and
        // stored in the vault from the command line.
        let http = try HTTPClient()
        defer { http.shutdown() }
        let granted = try await http.execute(
            HTTPClientRequest(
                method: "POST", url: simulatorURL + "/token",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array(
                    "grant_type=client_credentials&client_id=other-client&client_secret=other-secret-0123456789".utf8)))
        let ownToken = try #require(
            try JSONValue(parsing: try await granted.collectBody())["access_token"]?.stringValue)
        let (stored, storing) = try await GatewayAuthorizationTests.run(
            ["connections", "set-secret", "--config", path, "--user", "alice", "--upstream", "own", "--secret-stdin"],
            input: ownToken + "\n", on: loop)
        #expect(stored == .exited(0), "\(storing)")

        try await GatewaydProcess.serving(configuration: path, on: loop) { gatewayd in
            func run(_ user: String, _ password: String, _ tool: String) async throws -> (ChildProcessExit, String) {
                try await GatewayAuthorizationTests.runProgram(
                    TestPeers.python,
                    [
                        TestPeers.script("oauth_sdk_client.py"), "http://127.0.0.1:\(port)/mcp", "--username", user,
                        "--password", password, "--registration", "dcr", "--call", tool, "{}",
                    ], on: loop)
            }
            func call(_ user: String, _ password: String, _ tool: String) async throws -> JSONValue {
                let (exit, output) = try await run(user, password, tool)
                try #require(exit == .exited(0), "\(output)\n\(gatewayd.log.suffix(10))")
                return try JSONValue(parsing: Array(output.utf8))
            }
            let service = try await call("bob", "bob's long password", "service__whoami")
            let serviceText = service["calls"]?.arrayValue?.first?["text"]?.stringValue ?? ""
            #expect(serviceText.hasPrefix("user=- client=gw-client"), "\(service)")
            let own = try await call("alice", "correct horse battery", "own__whoami")
            #expect(
                own["calls"]?.arrayValue?.first?["text"]?.stringValue?.contains("client=other-client") == true, "\(own)"
            )
            // bob has no token of his own for "own": he is told so, with no link to follow.
            let (refused, refusal) = try await run("bob", "bob's long password", "own__whoami")
            #expect(refused != .exited(0))
            #expect(refusal.contains("MCPError: You have not connected own yet."), "\(refusal)")
        }
        let stats = try JSONValue(
            parsing: try await http.execute(HTTPClientRequest(url: simulatorURL + "/_stats")).collectBody())
        let headers = stats["authorization_headers"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(headers.contains("Bearer " + ownToken), "alice's own token went to her calls")
        #expect(
            !headers.contains { $0.contains("eyJhbGciOiJFUzI1Ni") }, "no client token for the gateway went upstream")
        #expect(stats["token_requests"]?["client_credentials"]?.numberValue?.int64Value ?? 0 >= 2)
    }
}

/// An upstream that moves to another authorization server (its issuer changes): the old
/// tokens are never sent to the new issuer; the user is told to reconnect, the gateway
/// registers with the new issuer, and calls work again.
@Suite("Gateway upstream issuer change")
struct GatewayUpstreamIssuerChangeTests {
    static func simulator(port: UInt16, _ flags: [String], on loop: EventLoop) async throws -> ChildProcess {
        try await ListeningPeer.start(
            "upstream_oauth_simulator.py", [String(port), "--user", "alice"] + flags, on: loop)
    }

    @Test func theGatewayRegistersAgainWithANewIssuer() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let directory = NSTemporaryDirectory() + "gatewayd-issuer-change-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try PythonPeerProcess.freePort()
        let simulatorPort = try PythonPeerProcess.freePort()
        let path = directory + "/gateway.json"
        try #"""
        {"listen":{"port":\#(port)}, "dataDirectory":"data", "authorization":{"allowInternalAddresses":true},
         "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"},
                      {"name":"sim","url":"http://127.0.0.1:\#(simulatorPort)/mcp",
                       "auth":{"type":"oauth","catalogSubject":"alice","allowInternalAddresses":true}}]}
        """#.write(toFile: path, atomically: true, encoding: .utf8)
        try await GatewayAuthorizationTests.addUsers(
            [("alice", "correct horse battery")], configuration: path, on: loop)
        let client = [
            TestPeers.script("upstream_connect_client.py"), "http://127.0.0.1:\(port)",
            "http://127.0.0.1:\(simulatorPort)",
            "--username", "alice", "--password", "correct horse battery", "--concurrent", "2", "--tool", "sim__whoami",
        ]
        try await GatewaydProcess.serving(configuration: path, on: loop) { gatewayd in
            let first = try await Self.simulator(port: simulatorPort, [], on: loop)
            let (connected, connecting) = try await GatewayAuthorizationTests.runProgram(
                TestPeers.python, client, on: loop)
            _ = await first.terminate(gracePeriod: .seconds(2))
            try #require(connected == .exited(0), "\(connecting)")

            // The same upstream, now behind an authorization server with another issuer.
            let second = try await Self.simulator(port: simulatorPort, ["--quirk", "path-issuer"], on: loop)
            let (moved, output) = try await GatewayAuthorizationTests.runProgram(
                TestPeers.python, client + ["--moved"], on: loop)
            _ = await second.terminate(gracePeriod: .seconds(2))
            try #require(moved == .exited(0), "\(output)\n\(gatewayd.log.suffix(10))")
            let summary = try JSONValue(parsing: Array(output.utf8))
            #expect(
                summary["refused"]?["message"]?.stringValue?.contains("moved to another authorization server") == true,
                "\(summary)")
            #expect(summary["after"]?.stringValue?.hasPrefix("user=alice ") == true, "\(summary)")
            // The new issuer got a registration (the gateway's client metadata document) and
            // never saw a token of the old one: its only refresh requests are its own.
            #expect(summary["stats"]?["cimd_fetches"]?.numberValue?.int64Value ?? 0 >= 1, "\(summary)")
            #expect(summary["stats"]?["token_requests"]?["refresh_token"] == 0, "\(summary)")
        }
    }
}

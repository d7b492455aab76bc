import Foundation
import MCPCore
import MCPTestSupport
import Testing

@testable import MCPTransport

/// Sign-in federated to an external OpenID Connect provider that is not ours (built on
/// Authlib's JOSE library): the official SDK client signs in through it, the user is
/// created in the provider's organization with teams mapped from its groups, and every
/// defective ID token (bad signature, other audience, other issuer, other nonce, expired)
/// is refused with no user created.
@Suite("Gateway federated sign-in")
struct GatewayFederationTests {
    static func provider(port: UInt16, gatewayPort: UInt16, keys: String, flags: [String], on loop: EventLoop)
        async throws -> ChildProcess
    {
        try await ListeningPeer.start(
            "oidc_provider.py",
            [
                String(port), "--client-id", "gateway", "--client-secret", "provider-secret-123", "--redirect-uri",
                "http://127.0.0.1:\(gatewayPort)/federation/callback", "--user", "u123:carol@acme.example:eng,sales",
                "--keys", keys,
            ] + flags, on: loop)
    }

    @Test func usersSignInThroughTheCompanyProvider() async throws {
        let loop = try EventLoop.start(name: "gatewayd")
        defer { loop.stop() }
        let directory = NSTemporaryDirectory() + "gatewayd-federation-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let port = try PythonPeerProcess.freePort()
        let providerPort = try PythonPeerProcess.freePort()
        try "provider-secret-123\n".write(toFile: directory + "/idp.secret", atomically: true, encoding: .utf8)
        let configuration = #"""
            {"listen":{"port":\#(port)}, "dataDirectory":"data",
             "authorization":{"allowInternalAddresses":true,
               "federation":[{"name":"corp","displayName":"Corp SSO","issuer":"http://127.0.0.1:\#(providerPort)",
                 "clientID":"gateway","clientSecretFile":"../idp.secret","organization":"acme",
                 "allowInternalAddresses":true,"teamMapping":{"eng":"engineering"}}]},
             "audit":{"path":"audit.sqlite"},
             "upstreams":[{"name":"example","command":"\#(TestPeers.exampleServer)"}]}
            """#
        let path = directory + "/gateway.json"
        try configuration.write(toFile: path, atomically: true, encoding: .utf8)
        let (created, createdOutput) = try await GatewayAuthorizationTests.run(
            ["orgs", "add", "--config", path, "acme"], on: loop)
        #expect(created == .exited(0), "\(createdOutput)")

        func signIn() async throws -> (ChildProcessExit, String) {
            try await GatewayAuthorizationTests.runProgram(
                TestPeers.python,
                [
                    TestPeers.script("oauth_sdk_client.py"), "http://127.0.0.1:\(port)/mcp", "--federate", "corp",
                    "--registration", "dcr", "--call", "echo", #"{"text":"federated"}"#, "--timeout", "30",
                ], on: loop)
        }
        func users() async throws -> String {
            try await GatewayAuthorizationTests.run(
                ["users", "list", "--config", path, "--org", "acme", "--json"], on: loop
            ).1
        }

        try await GatewaydProcess.serving(configuration: path, on: loop) { gatewayd in
            let attacks: [(String, String)] = [
                ("--bad-signature", "signature is invalid"), ("--wrong-audience", "for another client"),
                ("--wrong-issuer", "from another issuer"), ("--wrong-nonce", "nonce is not the one"),
                ("--expired", "has expired"),
            ]
            for (flag, reason) in attacks {
                let provider = try await Self.provider(
                    port: providerPort, gatewayPort: port, keys: directory + "/idp-keys.json", flags: [flag], on: loop)
                let (exit, output) = try await signIn()
                _ = await provider.terminate(gracePeriod: .seconds(2))
                #expect(exit != .exited(0), "\(flag): \(output)")
                #expect(output.contains("Sign-in with Corp SSO failed"), "\(flag): \(output)")
                #expect(output.contains(reason), "\(flag): \(output)")
                #expect(try await users().isEmpty, "\(flag) created no user")
            }
            // A correct ID token, RS256 and then ES256: the user is created once, with the
            // mapped team (unmapped groups are ignored), and calls work.
            for algorithm in ["RS256", "ES256"] {
                let provider = try await Self.provider(
                    port: providerPort, gatewayPort: port, keys: directory + "/idp-keys.json",
                    flags: ["--id-token-alg", algorithm], on: loop)
                let (exit, output) = try await signIn()
                _ = await provider.terminate(gracePeriod: .seconds(2))
                #expect(exit == .exited(0), "\(algorithm): \(output)\n\(gatewayd.log.suffix(10))")
                let summary = try JSONValue(parsing: Array(output.utf8))
                #expect(summary["calls"]?.arrayValue?.first?["text"] == "federated", "\(summary)")
            }
            let list = try await users()
            let records = try list.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
            #expect(records.count == 1, "\(list)")
            #expect(records.first?["username"] == "carol@acme.example")
            #expect(records.first?["teams"] == ["engineering"])
        }
        let (_, calls) = try await GatewayAuthorizationTests.run(
            ["audit", "query", "--db", directory + "/data/audit.sqlite", "--method", "tools/call"], on: loop)
        let records = try calls.split(separator: "\n").map { try JSONValue(parsing: Array($0.utf8)) }
        #expect(records.count == 2, "\(calls)")
        #expect(records.allSatisfy { $0["actor"]?["subject"] == "carol@acme.example" }, "\(calls)")
        #expect(records.allSatisfy { $0["actor"]?["teams"] == ["engineering"] }, "\(calls)")
    }
}

import Foundation
import MCPCore
import MCPStore
import MCPTransport
import Testing

@testable import MCPAuth

/// The credential vault and how token answers of real providers are read.
@Suite("Upstream credentials")
struct UpstreamCredentialTests {
    let master = try! MasterKey(bytes: [UInt8](repeating: 4, count: 32))

    @Test func theVaultSealsEachCredentialForItsPair() throws {
        let path = NSTemporaryDirectory() + "vault-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let vault = try CredentialVault(path: path, masterKey: master)
        let credential = UpstreamCredential(
            kind: .oauth, secret: "access-1", refreshToken: "refresh-1", expiresAt: 100, scopes: ["read"],
            issuer: "https://as.example", clientID: "gw")
        try vault.store(credential, subject: "alice", upstream: "github")
        #expect(try vault.credential(subject: "alice", upstream: "github")?.refreshToken == "refresh-1")
        #expect(try vault.credential(subject: "bob", upstream: "github") == nil)
        #expect(!"\(credential)".contains("access-1"), "the description never shows a secret")
        // Nothing in the file is readable without the key.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data("refresh-1".utf8)) == nil && bytes.range(of: Data("access-1".utf8)) == nil)

        // A value moved to another pair does not open.
        let database = try Database(configuration: DatabaseConfiguration(.file(path)))
        try database.write { db in
            try db.execute(sql: "UPDATE credentials SET subject = 'mallory' WHERE subject = 'alice'")
        }
        #expect(throws: AuthError(.tamperedSecret, "")) { try vault.credential(subject: "mallory", upstream: "github") }
        try database.write { db in
            try db.execute(sql: "UPDATE credentials SET subject = 'alice' WHERE subject = 'mallory'")
        }
        #expect(try vault.credential(subject: "alice", upstream: "github")?.secret == "access-1")

        // A flipped byte is detected, not decrypted into garbage.
        try database.write { db in
            var sealed: [UInt8] = try db.query(sql: "SELECT sealed FROM credentials")[0].value(at: 0)
            sealed[sealed.count / 2] ^= 0x40
            try db.execute(sql: "UPDATE credentials SET sealed = ?", arguments: [sealed])
        }
        #expect(throws: AuthError(.tamperedSecret, "")) { try vault.credential(subject: "alice", upstream: "github") }
    }

    @Test func resealingMovesEveryValueToTheNewKey() throws {
        let path = NSTemporaryDirectory() + "vault-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let vault = try CredentialVault(path: path, masterKey: master)
        try vault.store(UpstreamCredential(kind: .bearer, secret: "token"), subject: "alice", upstream: "a")
        try vault.storeRegistration(["client_id": "gw", "client_secret": "s"], upstream: "a", issuer: "https://as")
        let next = try MasterKey(bytes: [UInt8](repeating: 5, count: 32))
        #expect(try vault.reseal(with: next) == 2)
        let reopened = try CredentialVault(path: path, masterKey: next)
        #expect(try reopened.credential(subject: "alice", upstream: "a")?.secret == "token")
        #expect(try reopened.registration(upstream: "a", issuer: "https://as")?["client_secret"] == "s")
        // The old key alone no longer opens them.
        let stale = try CredentialVault(path: path, masterKey: master)
        #expect(throws: AuthError(.tamperedSecret, "")) { try stale.credential(subject: "alice", upstream: "a") }
        // During a rotation both keys are given: values under either open.
        let both = try CredentialVault(path: path, masterKey: master, previousKeys: [next])
        #expect(try both.credential(subject: "alice", upstream: "a")?.secret == "token")
    }

    @Test func tokenAnswersOfRealProvidersAreRead() throws {
        func read(_ status: Int, _ body: String) -> Result<TokenAnswer.Tokens, OAuthError> {
            TokenAnswer.read(status: status, contentType: nil, body: Array(body.utf8))
        }
        #expect(
            try read(
                200, #"{"access_token":"a","token_type":"Bearer","expires_in":3600,"refresh_token":"r","scope":"x y"}"#
            )
            .get() == .init(accessToken: "a", refreshToken: "r", expiresIn: 3600, scopes: ["x", "y"]))
        #expect(try read(200, #"{"access_token":"a","token_type":"bearer","expires_in":"120"}"#).get().expiresIn == 120)
        #expect(try read(200, #"{"access_token":"a","scope":"repo,user"}"#).get().scopes == ["repo", "user"])
        #expect(try read(200, "access_token=a&token_type=bearer&scope=repo%2Cuser").get().scopes == ["repo", "user"])
        #expect(
            try read(200, #"{"ok":true,"authed_user":{"access_token":"u","token_type":"bearer"}}"#).get().accessToken
                == "u")
        #expect(try read(200, #"{"access_token":"a"}"#).get().expiresIn == nil)
        // A lifetime no provider means (or one that would overflow the clock) is ignored.
        #expect(try read(200, #"{"access_token":"a","expires_in":9223372036854775807}"#).get().expiresIn == nil)
        #expect(try read(200, #"{"access_token":"a","expires_in":"9223372036854775807"}"#).get().expiresIn == nil)
        let failures: [(Int, String, OAuthError.Code)] = [
            (200, #"{"error":"bad_verification_code","error_description":"The code is wrong"}"#, .invalidGrant),
            (200, #"{"ok":false,"error":"invalid_refresh_token"}"#, .invalidGrant),
            (400, #"{"error":"invalid_grant"}"#, .invalidGrant),
            (200, "error=invalid_grant&error_description=gone", .invalidGrant),
            (401, #"{"error":"invalid_client"}"#, .invalidClient),
            (200, #"{"token_type":"Bearer"}"#, .invalidRequest),
            (200, #"{"access_token":"a","token_type":"mac"}"#, .invalidRequest),
            (502, "<html>bad gateway</html>", .invalidRequest),
        ]
        for (status, body, code) in failures {
            guard case .failure(let error) = read(status, body) else {
                Issue.record("\(body) was read as a success")
                continue
            }
            #expect(error.code == code, "\(body)")
        }
    }

    @Test func expiredTokensAreRecognizedAsEachProviderSaysIt() {
        var quirks = ProviderQuirks()
        #expect(quirks.refusesToken(status: 401, challenge: nil, body: []))
        #expect(!quirks.refusesToken(status: 403, challenge: nil, body: []))
        #expect(quirks.refusesToken(status: 403, challenge: #"Bearer error="invalid_token""#, body: []))
        #expect(
            !quirks.refusesToken(
                status: 200, challenge: nil, body: Array(#"{"error":{"message":"token expired"}}"#.utf8)))
        quirks.expiredStatuses = [401, 403]
        quirks.expiredBodyPatterns = ["Token Expired"]
        #expect(quirks.refusesToken(status: 403, challenge: nil, body: []))
        #expect(
            quirks.refusesToken(
                status: 200, challenge: nil, body: Array(#"{"error":{"message":"token expired"}}"#.utf8)))
        #expect(!quirks.refusesToken(status: 200, challenge: nil, body: Array(#"{"result":{}}"#.utf8)))
    }

    @Test func challengesAreReadForDiscovery() {
        let header =
            #"Bearer error="invalid_token", resource_metadata="https://x.example/.well-known/oauth-protected-resource/mcp", scope="read write""#
        #expect(
            UpstreamAuthorizationDiscovery.parameter("resource_metadata", in: header)
                == "https://x.example/.well-known/oauth-protected-resource/mcp")
        #expect(UpstreamAuthorizationDiscovery.parameter("scope", in: header) == "read write")
        #expect(UpstreamAuthorizationDiscovery.parameter("error", in: header) == "invalid_token")
        #expect(UpstreamAuthorizationDiscovery.parameter("realm", in: header) == nil)
        #expect(UpstreamAuthorizationDiscovery.path(of: "/tenant1/") == "/tenant1")
        #expect(UpstreamAuthorizationDiscovery.path(of: "/?x=1") == "")
    }
}

/// The header each kind of upstream credential is sent with.
@Suite("Upstream credential headers")
struct UpstreamCredentialHeaderTests {
    @Test func eachKindGoesInItsHeader() async throws {
        let http = try HTTPClient()
        defer { http.shutdown() }
        let vault = try CredentialVault(path: nil, masterKey: try MasterKey(bytes: [UInt8](repeating: 6, count: 32)))
        let broker = UpstreamCredentialBroker(
            vault: vault, http: http, baseURL: "https://gateway.example",
            upstreams: [
                UpstreamAuthentication(
                    upstream: "shared-key", url: "https://a.example/mcp",
                    mode: .apiKey(header: "X-Api-Key", shared: "k1")),
                UpstreamAuthentication(
                    upstream: "own-key", url: "https://b.example/mcp", mode: .apiKey(header: "X-Api-Key", shared: nil)),
                UpstreamAuthentication(
                    upstream: "shared-token", url: "https://c.example/mcp", mode: .bearer(shared: "t1")),
                UpstreamAuthentication(upstream: "own-token", url: "https://d.example/mcp", mode: .bearer(shared: nil)),
            ])
        #expect(try await broker.header(subject: "alice", upstream: "shared-key") == ("X-Api-Key", "k1"))
        #expect(try await broker.header(subject: "bob", upstream: "shared-token") == ("Authorization", "Bearer t1"))
        try broker.storeSecret("alice-key", subject: "alice", upstream: "own-key")
        try broker.storeSecret("alice-token", subject: "alice", upstream: "own-token")
        #expect(try await broker.header(subject: "alice", upstream: "own-key") == ("X-Api-Key", "alice-key"))
        #expect(
            try await broker.header(subject: "alice", upstream: "own-token") == ("Authorization", "Bearer alice-token"))
        // bob stored nothing: he is told so, with no link (there is nothing to consent to).
        await #expect(throws: UpstreamAccessError.notConnected(upstream: "own-key", link: nil)) {
            try await broker.header(subject: "bob", upstream: "own-key")
        }
        // A secret is never stored for an upstream that connects through OAuth or not at all.
        #expect(throws: AuthError.self) { try broker.storeSecret("x", subject: "alice", upstream: "unknown") }
    }
}

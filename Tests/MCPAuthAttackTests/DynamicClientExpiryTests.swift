import MCPAuth
import MCPCore
import Testing

/// Dynamically registered clients do not pile up: one unused for the configured lifetime,
/// holding no live refresh token, is removed, which frees its place under the client limit.
@Suite("Dynamic client expiry")
struct DynamicClientExpiryTests {
    private static let day: Int64 = 86_400
    private static let redirectURI = "https://agent.example/cb"
    private static let metadata: JSONValue = [
        "client_name": "Agent", "token_endpoint_auth_method": "none",
        "redirect_uris": [.string(redirectURI)], "grant_types": ["authorization_code", "refresh_token"],
    ]

    private static func withServer(
        refreshTokenLifetime: Int64 = 86_400, _ body: (AuthorizationServerHarness) async throws -> Void
    ) async throws {
        try await AuthorizationServerHarness.withServer(
            configure: { configuration in
                configuration.dynamicRegistration.maximumClients = 1
                configuration.dynamicRegistration.unusedClientLifetime = 10 * day
                configuration.refreshTokenLifetime = refreshTokenLifetime
            }, body)
    }

    private static func register(_ harness: AuthorizationServerHarness) async throws -> String {
        let answer = try await harness.post("/register", json: metadata)
        try #require(answer.status == 201, "registration: \(answer.status) \(answer.text)")
        return try #require(answer.json?["client_id"]?.stringValue)
    }

    private static func removeUnused(_ harness: AuthorizationServerHarness) throws -> Int {
        try harness.server.clients.removeUnusedClients()
    }

    private static func isKnown(_ clientID: String, in harness: AuthorizationServerHarness) async throws -> Bool {
        try await harness.server.clients.client(clientID) != nil
    }

    /// Runs the code flow for the client and returns its tokens.
    private static func tokens(for clientID: String, in harness: AuthorizationServerHarness) async throws
        -> IssuedTokens
    {
        let pkce = try PKCE()
        let code = try await harness.authorizationCode(clientID: clientID, redirectURI: redirectURI, pkce: pkce)
        return try IssuedTokens(
            await harness.redeem(code, verifier: pkce.verifier, as: .publicClient(clientID), redirectURI: redirectURI))
    }

    @Test func aClientNeverUsedIsRemovedAndFreesItsPlace() async throws {
        try await Self.withServer { harness in
            let first = try await Self.register(harness)
            let full = try await harness.post("/register", json: Self.metadata)
            harness.expectOAuthError(full, status: 503, error: "temporarily_unavailable")

            harness.clock.advance(by: 10 * Self.day - 60)
            #expect(try Self.removeUnused(harness) == 0)
            #expect(try await Self.isKnown(first, in: harness))

            harness.clock.advance(by: 120)
            let second = try await Self.register(harness)
            #expect(second != first)
            #expect(!(try await Self.isKnown(first, in: harness)))
            let stale = try await harness.browser.open(
                .code(clientID: first, redirectURI: Self.redirectURI, pkce: try PKCE(), resource: harness.resource))
            #expect(stale.status == 400, "the removed client still authorizes: \(stale.status)")
        }
    }

    @Test func aTokenKeepsTheClientForAnotherLifetime() async throws {
        try await Self.withServer { harness in
            let client = try await Self.register(harness)
            harness.clock.advance(by: 8 * Self.day)
            _ = try await Self.tokens(for: client, in: harness)

            // Ten days after registration, but five after the token: kept (its refresh
            // token, living one day, has expired meanwhile).
            harness.clock.advance(by: 5 * Self.day)
            #expect(try Self.removeUnused(harness) == 0)
            #expect(try await Self.isKnown(client, in: harness))

            harness.clock.advance(by: 6 * Self.day)
            #expect(try Self.removeUnused(harness) == 1)
            #expect(!(try await Self.isKnown(client, in: harness)))
        }
    }

    @Test func aLiveRefreshTokenKeepsTheClientUntilRevoked() async throws {
        try await Self.withServer(refreshTokenLifetime: 30 * Self.day) { harness in
            let client = try await Self.register(harness)
            let issued = try await Self.tokens(for: client, in: harness)

            harness.clock.advance(by: 15 * Self.day)
            #expect(try Self.removeUnused(harness) == 0)

            let revoked = try await harness.post(
                "/revoke", form: [("token", issued.refreshToken), ("client_id", client)])
            #expect(revoked.status == 200)
            #expect(try Self.removeUnused(harness) == 1)
            #expect(!(try await Self.isKnown(client, in: harness)))
        }
    }

    @Test func preregisteredClientsAreNeverRemoved() async throws {
        try await Self.withServer { harness in
            harness.clock.advance(by: 400 * Self.day)
            let removed = try Self.removeUnused(harness)
            let known = try await Self.isKnown("app", in: harness)
            #expect(removed == 0)
            #expect(known)
        }
    }
}

import MCPAuth
import Testing

/// Access tokens revoked at the revocation endpoint (RFC 7009): refused by the gateway for
/// as long as they would otherwise be accepted, whatever the server does meanwhile, and
/// only by the client they were issued to.
@Suite("Access token revocation attacks")
struct AccessTokenRevocationTests {
    private static func revoke(
        _ token: String, as clientID: String = "app", in harness: AuthorizationServerHarness
    ) async throws {
        let answer = try await harness.post("/revoke", form: [("client_id", clientID), ("token", token)])
        #expect(answer.status == 200)
    }

    @Test func revokedAccessTokenIsRefused() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let tokens = try await harness.issueTokens()
            try harness.validate(tokens.accessToken)
            try await Self.revoke(tokens.accessToken, in: harness)
            #expect(harness.refusal(of: tokens.accessToken)?.code == .invalidToken)

            // Only that token is revoked: the grant refreshes into a valid token.
            let refreshed = try IssuedTokens(try await harness.refresh(tokens.refreshToken))
            #expect(harness.refusal(of: refreshed.accessToken) == nil)
        }
    }

    @Test func aDisabledOrDeletedUsersTokensStopWorking() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let tokens = try await harness.issueTokens()
            try harness.validate(tokens.accessToken)
            try harness.server.identities.setDisabled(true, username: "alice")
            // Within the status cache's lifetime (30 s), then refused.
            harness.clock.advance(by: 31)
            #expect(harness.refusal(of: tokens.accessToken)?.code == .invalidToken)
            #expect(try await harness.refresh(tokens.refreshToken).json?["error"] == "invalid_grant")
            // The refused refresh ended the grant: enabled again, alice signs in anew.
            try harness.server.identities.setDisabled(false, username: "alice")
            harness.clock.advance(by: 31)
            #expect(harness.refusal(of: tokens.accessToken)?.code == .invalidToken)
            let fresh = try await harness.issueTokens()
            #expect(harness.refusal(of: fresh.accessToken) == nil)
        }
    }

    @Test func revocationByAnotherClientChangesNothing() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let tokens = try await harness.issueTokens()
            try await Self.revoke(tokens.accessToken, as: "other-app", in: harness)
            #expect(harness.refusal(of: tokens.accessToken) == nil)
        }
    }

    @Test func revokedAccessTokenStaysRefusedAfterARestart() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let tokens = try await harness.issueTokens()
            try await Self.revoke(tokens.accessToken, in: harness)

            // Past `exp` but inside the 30 s of clock skew the validator allows, an
            // unrevoked token is still accepted ...
            let control = try await harness.issueTokens()
            harness.clock.advance(by: harness.server.configuration.accessTokenLifetime + 10)
            #expect(harness.refusal(of: control.accessToken) == nil)

            // ... so a revoked one must stay revoked, also after the gateway restarts.
            let restarted = try harness.restartedServer()
            let refusal = #expect(throws: OAuthError.self) {
                try restarted.validator.validate(tokens.accessToken, audience: harness.resource)
            }
            #expect(refusal?.code == .invalidToken)
        }
    }

    @Test func revokedAccessTokenStaysRefusedWhenRevocationsArePruned() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let tokens = try await harness.issueTokens()
            try await Self.revoke(tokens.accessToken, in: harness)
            harness.clock.advance(by: harness.server.configuration.accessTokenLifetime + 10)

            // A busy server: enough later revocations to make the list prune itself.
            for index in 0...1024 {
                try harness.server.revocations.revoke("later-token-\(index)", expires: harness.clock.now + 600)
            }
            #expect(harness.refusal(of: tokens.accessToken)?.code == .invalidToken)
        }
    }
}

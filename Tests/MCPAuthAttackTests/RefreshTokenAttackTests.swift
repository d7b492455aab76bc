import Testing

/// Attacks on the `refresh_token` grant (RFC 6749 §6, OAuth 2.1 §4.3, RFC 8707 §2.2):
/// replayed, widened, re-targeted, stolen and revoked refresh tokens. A refusal that is not
/// a replay spends nothing: the legitimate client still refreshes afterwards.
@Suite("Refresh token attacks", .sharedAuthorizationServer)
struct RefreshTokenAttackTests {
    let harness: AuthorizationServerHarness

    init() throws {
        harness = try AuthorizationServerHarness.current()
    }

    private func expectStillRefreshes(_ refreshToken: String, sourceLocation: SourceLocation = #_sourceLocation)
        async throws
    {
        let answer = try await harness.refresh(refreshToken)
        #expect(answer.status == 200, "the refresh token was spent: \(answer.text)", sourceLocation: sourceLocation)
        if let token = answer.json?["access_token"]?.stringValue {
            #expect(harness.refusal(of: token) == nil, sourceLocation: sourceLocation)
        }
    }

    @Test func replayedRefreshTokenRevokesTheWholeFamily() async throws {
        let first = try await harness.issueTokens()
        let second = try IssuedTokens(try await harness.refresh(first.refreshToken))
        #expect(second.refreshToken != first.refreshToken)
        try harness.validate(second.accessToken)

        let replay = try await harness.refresh(first.refreshToken)
        harness.expectOAuthError(replay, status: 400, error: "invalid_grant")

        // The successor is revoked too, and so is every access token of the grant.
        harness.expectOAuthError(try await harness.refresh(second.refreshToken), status: 400, error: "invalid_grant")
        #expect(harness.refusal(of: first.accessToken)?.code == .invalidToken)
        #expect(harness.refusal(of: second.accessToken)?.code == .invalidToken)
    }

    @Test func widerScopeIsRefused() async throws {
        let tokens = try await harness.issueTokens()
        let answer = try await harness.refresh(tokens.refreshToken, extra: [("scope", "mcp admin")])
        harness.expectOAuthError(answer, status: 400, error: "invalid_scope")
        try await expectStillRefreshes(tokens.refreshToken)
    }

    @Test func narrowerScopeIsGranted() async throws {
        let tokens = try await harness.issueTokens()
        let answer = try await harness.refresh(tokens.refreshToken, extra: [("scope", "mcp offline_access")])
        let narrowed = try IssuedTokens(answer)
        #expect(narrowed.scope == "mcp")
    }

    @Test func offlineAccessAloneKeepsTheGrantedScope() async throws {
        // `offline_access` is ignored (refresh tokens are always issued), as at the
        // authorization endpoint: asking for it alone is asking for no particular scope,
        // which RFC 6749 §6 answers with the scope originally granted.
        let tokens = try await harness.issueTokens()
        let answer = try await harness.refresh(tokens.refreshToken, extra: [("scope", "offline_access")])
        let refreshed = try IssuedTokens(answer)
        #expect(refreshed.scope == "mcp")
        let resource = harness.server.protectedResource(harness.resource)
        #expect(throws: Never.self) {
            try resource.authenticate(authorization: "Bearer " + refreshed.accessToken)
        }
    }

    @Test func otherResourceIsRefused() async throws {
        let tokens = try await harness.issueTokens()
        let answer = try await harness.refresh(tokens.refreshToken, extra: [("resource", harness.otherResource)])
        harness.expectOAuthError(answer, status: 400, error: "invalid_target")
        try await expectStillRefreshes(tokens.refreshToken)
    }

    @Test func refreshTokenOfAnotherClientIsRefused() async throws {
        let tokens = try await harness.issueTokens()
        let answer = try await harness.refresh(tokens.refreshToken, as: .publicClient("other-app"))
        harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
        try await expectStillRefreshes(tokens.refreshToken)
    }

    @Test func unknownRefreshTokenIsRefused() async throws {
        let answer = try await harness.refresh("mcprt_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
        harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
    }

    @Test func revokedRefreshTokenIsRefused() async throws {
        let tokens = try await harness.issueTokens()
        let revoked = try await harness.post(
            "/revoke", form: [("client_id", "app"), ("token", tokens.refreshToken)])
        #expect(revoked.status == 200)

        harness.expectOAuthError(try await harness.refresh(tokens.refreshToken), status: 400, error: "invalid_grant")
        #expect(harness.refusal(of: tokens.accessToken)?.code == .invalidToken)
    }

    @Test func revocationByAnotherClientChangesNothing() async throws {
        let tokens = try await harness.issueTokens()
        let answer = try await harness.post(
            "/revoke", form: [("client_id", "other-app"), ("token", tokens.refreshToken)])
        // RFC 7009 §2.2: the answer does not tell whether the token was another client's.
        #expect(answer.status == 200)
        #expect(harness.refusal(of: tokens.accessToken) == nil)
        try await expectStillRefreshes(tokens.refreshToken)
    }
}

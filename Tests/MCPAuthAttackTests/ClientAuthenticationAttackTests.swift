import Testing

/// Client authentication and grant selection at the token endpoint (RFC 6749 §2.3, §3.2.1,
/// §5.2): wrong or doubled credentials and grants the server does not offer. A refused
/// request spends nothing: the code still redeems with the right credentials.
@Suite("Client authentication attacks", .sharedAuthorizationServer)
struct ClientAuthenticationAttackTests {
    let harness: AuthorizationServerHarness
    let pkce: PKCE

    init() throws {
        harness = try AuthorizationServerHarness.current()
        pkce = try PKCE()
    }

    private func confidentialCode() async throws -> String {
        try await harness.authorizationCode(clientID: "confidential", pkce: pkce)
    }

    private func expectStillRedeemable(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let answer = try await harness.redeem(code, verifier: pkce.verifier, as: .confidential)
        #expect(answer.status == 200, "the code was spent: \(answer.text)", sourceLocation: sourceLocation)
    }

    @Test func wrongSecretIsRefusedWithABasicChallenge() async throws {
        let code = try await confidentialCode()
        let answer = try await harness.redeem(
            code, verifier: pkce.verifier, as: .basic(id: "confidential", secret: "not-the-secret"))
        harness.expectOAuthError(answer, status: 401, error: "invalid_client")
        #expect(answer.header("WWW-Authenticate")?.hasPrefix("Basic") == true)
        try await expectStillRedeemable(code)
    }

    @Test func secretInBasicAndBodyAtOnceIsRefused() async throws {
        let code = try await confidentialCode()
        let answer = try await harness.redeem(
            code, verifier: pkce.verifier, as: .confidential,
            extra: [("client_secret", AuthorizationServerHarness.confidentialSecret)])
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func confidentialClientWithoutSecretIsRefused() async throws {
        let code = try await confidentialCode()
        let answer = try await harness.redeem(code, verifier: pkce.verifier, as: .publicClient("confidential"))
        harness.expectOAuthError(answer, status: 401, error: "invalid_client")
        try await expectStillRedeemable(code)
    }

    @Test func basicClientIDDifferingFromTheBodyIsRefused() async throws {
        let code = try await confidentialCode()
        let answer = try await harness.redeem(
            code, verifier: pkce.verifier, as: .confidential, extra: [("client_id", "app")])
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func publicClientPresentingASecretIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(code, verifier: pkce.verifier, extra: [("client_secret", "guess")])
        harness.expectOAuthError(answer, status: 401, error: "invalid_client")
        _ = try IssuedTokens(try await harness.redeem(code, verifier: pkce.verifier))
    }

    @Test func unknownClientIsRefused() async throws {
        let answer = try await harness.token(
            [("grant_type", "refresh_token"), ("refresh_token", "mcprt_x")], as: .publicClient("nobody"))
        harness.expectOAuthError(answer, status: 401, error: "invalid_client")
    }

    @Test func publicClientCannotIntrospectTokens() async throws {
        let tokens = try await harness.issueTokens()
        let answer = try await harness.post("/introspect", form: [("client_id", "app"), ("token", tokens.accessToken)])
        harness.expectOAuthError(answer, status: 401, error: "invalid_client")
        #expect(answer.json?["active"] == nil)
    }

    @Test func passwordGrantIsUnsupported() async throws {
        let answer = try await harness.token([
            ("grant_type", "password"), ("username", "alice"), ("password", AuthorizationServerHarness.password),
        ])
        harness.expectOAuthError(answer, status: 400, error: "unsupported_grant_type")
    }

    @Test func clientCredentialsGrantIsUnsupported() async throws {
        let answer = try await harness.token([("grant_type", "client_credentials")], as: .confidential)
        harness.expectOAuthError(answer, status: 400, error: "unsupported_grant_type")
    }

    @Test func missingGrantTypeIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.token([("code", code), ("code_verifier", pkce.verifier)])
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
        _ = try IssuedTokens(try await harness.redeem(code, verifier: pkce.verifier))
    }
}

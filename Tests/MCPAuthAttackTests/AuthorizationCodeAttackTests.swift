import Testing

/// Attacks on the `authorization_code` grant (RFC 6749 §4.1.3, RFC 7636 §4.6, RFC 8707,
/// OAuth 2.1 §4.1.3): stolen, replayed, expired and mis-bound codes, and PKCE downgrades.
///
/// A refused redemption spends nothing: after each, the legitimate client still redeems
/// the code.
@Suite("Authorization code attacks", .sharedAuthorizationServer)
struct AuthorizationCodeAttackTests {
    let harness: AuthorizationServerHarness
    let pkce: PKCE

    init() throws {
        harness = try AuthorizationServerHarness.current()
        pkce = try PKCE()
    }

    /// Expects the legitimate redemption of `code` to still succeed.
    private func expectStillRedeemable(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let answer = try await harness.redeem(code, verifier: pkce.verifier)
        #expect(answer.status == 200, "the code was spent: \(answer.text)", sourceLocation: sourceLocation)
        if let token = answer.json?["access_token"]?.stringValue {
            #expect(harness.refusal(of: token) == nil, sourceLocation: sourceLocation)
        }
    }

    @Test func replayedCodeIsRefusedAndRevokesWhatItIssued() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let first = try IssuedTokens(try await harness.redeem(code, verifier: pkce.verifier))
        try harness.validate(first.accessToken)

        let replay = try await harness.redeem(code, verifier: pkce.verifier)
        harness.expectOAuthError(replay, status: 400, error: "invalid_grant")

        // RFC 6749 §4.1.2: the tokens issued for the code are revoked.
        harness.expectOAuthError(try await harness.refresh(first.refreshToken), status: 400, error: "invalid_grant")
        #expect(harness.refusal(of: first.accessToken)?.code == .invalidToken)
    }

    @Test func missingVerifierIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        harness.expectOAuthError(try await harness.redeem(code, verifier: nil), status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func challengeSentAsVerifierIsRefused() async throws {
        // The plain-method downgrade: an attacker who saw the challenge sends it back.
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(code, verifier: pkce.challenge)
        harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
        try await expectStillRedeemable(code)
    }

    @Test func wrongVerifierIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(code, verifier: try PKCE().verifier)
        harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
        try await expectStillRedeemable(code)
    }

    @Test func malformedVerifierIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(code, verifier: "short")
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func codeOfAnotherClientIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(code, verifier: pkce.verifier, as: .publicClient("other-app"))
        harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
        try await expectStillRedeemable(code)
    }

    @Test func differentRedirectURIIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(code, verifier: pkce.verifier, redirectURI: "http://127.0.0.1/callback")
        harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
        try await expectStillRedeemable(code)
    }

    @Test func differentResourceIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(code, verifier: pkce.verifier, resource: harness.otherResource)
        harness.expectOAuthError(answer, status: 400, error: "invalid_target")
        try await expectStillRedeemable(code)
    }

    @Test func unknownCodeIsRefused() async throws {
        let answer = try await harness.redeem("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", verifier: pkce.verifier)
        harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
    }

    @Test func expiredCodeIsRefused() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let lifetime = harness.server.configuration.authorizationCodeLifetime
            let onTime = try PKCE()
            let late = try PKCE()
            let onTimeCode = try await harness.authorizationCode(pkce: onTime)
            let lateCode = try await harness.authorizationCode(pkce: late)

            harness.clock.advance(by: lifetime - 1)
            _ = try IssuedTokens(try await harness.redeem(onTimeCode, verifier: onTime.verifier))

            harness.clock.advance(by: 2)
            let answer = try await harness.redeem(lateCode, verifier: late.verifier)
            harness.expectOAuthError(answer, status: 400, error: "invalid_grant")
        }
    }
}

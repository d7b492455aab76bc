import MCPAuth
import Testing

/// The flow every attack is a deviation from: authorize, sign in, consent, redeem the code,
/// call the resource, refresh, revoke.
@Suite("Authorization flow")
struct AuthorizationFlowTests {
    @Test func openIDClientsGetAnIDToken() async throws {
        try await AuthorizationServerHarness.withServer(configure: { $0.scopesSupported = ["mcp", "openid"] }) {
            harness in
            let pkce = try PKCE()
            let query = AuthorizationQuery.code(pkce: pkce, resource: harness.resource)
                .setting("scope", to: "openid mcp").setting("nonce", to: "n-0S6_WzA2Mj")
            let redirect = try await harness.browser.consent(
                try await harness.browser.signIn(try await harness.browser.open(query)))
            let code = try #require(redirect.location?["code"])
            let answer = try await harness.redeem(code, verifier: pkce.verifier)
            let idToken = try #require(answer.json?["id_token"]?.stringValue, "\(answer.text)")
            let token = try JSONWebToken(parsing: idToken, expectedType: "JWT")
            #expect(token.isSigned(by: try #require(harness.server.keys.publicKey(token.keyID))))
            #expect(token.claims["iss"]?.stringValue == harness.issuer)
            #expect(token.claims["aud"]?.stringValue == "app")
            #expect(token.claims["sub"]?.stringValue == "alice")
            #expect(token.claims["nonce"]?.stringValue == "n-0S6_WzA2Mj")
            #expect(token.claims["auth_time"]?.numberValue != nil)
            // The access token is still for the resource, not for the client.
            #expect(answer.json?["access_token"]?.stringValue.map { $0 != idToken } == true)

            // Without the openid scope, no ID token.
            let plain = try PKCE()
            let second = try await harness.browser.consent(
                try await harness.browser.signIn(
                    try await harness.browser.open(AuthorizationQuery.code(pkce: plain, resource: harness.resource))))
            let other = try await harness.redeem(try #require(second.location?["code"]), verifier: plain.verifier)
            #expect(other.json?["id_token"] == nil)
        }
    }

    @Test func correctFlowWorksEndToEnd() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let metadata = try await harness.get("/.well-known/oauth-authorization-server")
            #expect(metadata.json?["issuer"]?.stringValue == harness.issuer)
            #expect(metadata.json?["code_challenge_methods_supported"] == ["S256"])
            #expect(metadata.json?["authorization_response_iss_parameter_supported"] == true)

            // Authorize, sign in, consent.
            let pkce = try PKCE()
            let query = AuthorizationQuery.code(pkce: pkce, state: "af0ifjsldkj", resource: harness.resource)
            let signIn = try await harness.browser.open(query)
            harness.expectSignInPage(signIn)
            #expect(signIn.header("X-Frame-Options") == "DENY")
            let consent = try await harness.browser.signIn(signIn)
            #expect(consent.status == 200)
            #expect(AuthorizationBrowser.hiddenInput("step", in: consent) == "consent")
            let redirect = try await harness.browser.consent(consent)
            #expect(redirect.status == 303)
            let location = try #require(redirect.location)
            #expect(location.base == "https://app.example/cb")
            #expect(location["state"] == "af0ifjsldkj")
            #expect(location["iss"] == harness.issuer)
            let code = try #require(location["code"])

            // Redeem the code.
            let answer = try await harness.redeem(code, verifier: pkce.verifier)
            let tokens = try IssuedTokens(answer)
            #expect(answer.json?["token_type"]?.stringValue == "Bearer")
            #expect(answer.json?["expires_in"] == .number(600))
            #expect(tokens.scope == "mcp")
            #expect(answer.header("Cache-Control") == "no-store")

            // Call the resource.
            let resource = harness.server.protectedResource(harness.resource)
            let principal = try resource.authenticate(authorization: "Bearer " + tokens.accessToken)
            #expect(principal.subject == "alice")
            #expect(principal.organization == "acme")
            #expect(principal.teams == ["eng"])
            #expect(principal.clientID == "app")
            #expect(principal.scopes == ["mcp"])

            // Refresh: a new pair; the old refresh token is spent.
            let refreshed = try IssuedTokens(try await harness.refresh(tokens.refreshToken))
            #expect(refreshed.refreshToken != tokens.refreshToken)
            #expect(try resource.authenticate(authorization: "Bearer " + refreshed.accessToken).subject == "alice")

            // Revoke the grant through its current refresh token.
            let revoked = try await harness.post(
                "/revoke", form: [("client_id", "app"), ("token", refreshed.refreshToken)])
            #expect(revoked.status == 200)
            harness.expectOAuthError(
                try await harness.refresh(refreshed.refreshToken), status: 400, error: "invalid_grant")
            #expect(harness.refusal(of: refreshed.accessToken)?.code == .invalidToken)
        }
    }

    @Test func confidentialClientFlowWorks() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let tokens = try await harness.issueTokens(as: .confidential)
            #expect(try harness.validate(tokens.accessToken).clientID == "confidential")
            let refreshed = try IssuedTokens(try await harness.refresh(tokens.refreshToken, as: .confidential))
            #expect(harness.refusal(of: refreshed.accessToken) == nil)
        }
    }
}

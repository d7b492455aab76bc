import Testing

/// Malformed and downgraded authorization requests (RFC 6749 §4.1.1, RFC 7636, RFC 8707,
/// OAuth 2.1): once the client and its redirect URI are trusted, every refusal goes back to
/// the client as an error redirect, and none starts a sign-in.
@Suite("Authorization request attacks", .sharedAuthorizationServer)
struct AuthorizationRequestAttackTests {
    let harness: AuthorizationServerHarness
    let pkce: PKCE

    init() throws {
        harness = try AuthorizationServerHarness.current()
        pkce = try PKCE()
    }

    private var query: AuthorizationQuery { .code(pkce: pkce, resource: harness.resource) }

    @Test func wellFormedRequestOpensTheSignIn() async throws {
        harness.expectSignInPage(try await harness.browser.open(query))
    }

    @Test func plainChallengeMethodIsRefused() async throws {
        // The PKCE downgrade: the "challenge" is the verifier itself.
        let answer = try await harness.browser.open(
            query.setting("code_challenge_method", to: "plain").setting("code_challenge", to: pkce.verifier))
        harness.expectErrorRedirect(answer, error: "invalid_request")
    }

    @Test func missingChallengeMethodIsRefused() async throws {
        // Without a method RFC 7636 defaults to plain, which is not supported.
        let answer = try await harness.browser.open(query.removing("code_challenge_method"))
        harness.expectErrorRedirect(answer, error: "invalid_request")
    }

    @Test func missingChallengeIsRefused() async throws {
        let answer = try await harness.browser.open(query.removing("code_challenge"))
        harness.expectErrorRedirect(answer, error: "invalid_request")
    }

    @Test func challengeThatIsNoSHA256IsRefused() async throws {
        let answer = try await harness.browser.open(query.setting("code_challenge", to: "too-short"))
        harness.expectErrorRedirect(answer, error: "invalid_request")
    }

    @Test func missingStateIsRefusedWithoutState() async throws {
        let answer = try await harness.browser.open(query.removing("state"))
        harness.expectErrorRedirect(answer, error: "invalid_request", state: nil)
    }

    @Test func missingResourceIsRefused() async throws {
        let answer = try await harness.browser.open(query.removing("resource"))
        harness.expectErrorRedirect(answer, error: "invalid_target")
    }

    @Test func unknownResourceIsRefused() async throws {
        let answer = try await harness.browser.open(query.setting("resource", to: "https://evil.example/mcp"))
        harness.expectErrorRedirect(answer, error: "invalid_target")
    }

    @Test func resourceExtendingAKnownOneIsRefused() async throws {
        let answer = try await harness.browser.open(query.setting("resource", to: harness.resource + "/admin"))
        harness.expectErrorRedirect(answer, error: "invalid_target")
    }

    @Test func implicitGrantIsRefused() async throws {
        let answer = try await harness.browser.open(query.setting("response_type", to: "token"))
        harness.expectErrorRedirect(answer, error: "unsupported_response_type")
        #expect(answer.location?["access_token"] == nil)
    }

    @Test func unsupportedScopeIsRefused() async throws {
        let answer = try await harness.browser.open(query.setting("scope", to: "mcp admin"))
        harness.expectErrorRedirect(answer, error: "invalid_scope")
    }

    @Test func repeatedParameterGetsAnErrorPage() async throws {
        // Which of two values a server reads differs between parsers; neither is trusted.
        let answer = try await harness.browser.open(query.appending("resource", harness.otherResource))
        harness.expectErrorPage(answer)
    }

    @Test func repeatedClientIDGetsAnErrorPage() async throws {
        let answer = try await harness.browser.open(query.appending("client_id", "other-app"))
        harness.expectErrorPage(answer)
    }

    @Test func unknownClientGetsAnErrorPage() async throws {
        let answer = try await harness.browser.open(query.setting("client_id", to: "no-such-client"))
        harness.expectErrorPage(answer)
    }

    @Test func tooManyParametersGetAnErrorPage() async throws {
        var flooded = query
        for index in 0..<harness.server.configuration.maximumParameters {
            flooded = flooded.appending("extra\(index)", "x")
        }
        harness.expectErrorPage(try await harness.browser.open(flooded))
    }
}

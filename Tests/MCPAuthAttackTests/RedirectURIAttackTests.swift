import Testing

/// Redirect URIs that differ from the registered `https://app.example/cb` and
/// `http://127.0.0.1/callback` (RFC 6749 §3.1.2, OAuth 2.1 §4.1.1.2): matching is exact, so
/// each gets the error page, which redirects nowhere. The one tolerated difference is the
/// port of a loopback URI (RFC 8252 §7.3).
@Suite("Redirect URI attacks", .sharedAuthorizationServer)
struct RedirectURIAttackTests {
    let harness: AuthorizationServerHarness
    let pkce: PKCE

    init() throws {
        harness = try AuthorizationServerHarness.current()
        pkce = try PKCE()
    }

    private func open(redirectURI: String) async throws -> HTTPAnswer {
        try await harness.browser.open(.code(redirectURI: redirectURI, pkce: pkce, resource: harness.resource))
    }

    @Test func pathExtendingTheRegisteredOneIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://app.example/cb/evil"))
    }

    @Test func prefixOfTheRegisteredOneIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://app.example/c"))
    }

    @Test func registeredURIEmbeddedInAnotherIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://evil.example/https://app.example/cb"))
    }

    @Test func trailingSlashIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://app.example/cb/"))
    }

    @Test func registeredHostAsSubdomainIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://app.example.evil.example/cb"))
    }

    @Test func hostEndingInTheRegisteredHostIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://evilapp.example/cb"))
    }

    @Test func differentCaseIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://APP.example/CB"))
    }

    @Test func percentEncodedPathIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://app.example/%63b"))
    }

    @Test func openRedirectQueryIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://app.example/cb?next=https://evil.example/"))
    }

    @Test func userInformationIsRefused() async throws {
        // A browser goes to evil.example, treating app.example as a user name.
        harness.expectErrorPage(try await open(redirectURI: "https://app.example@evil.example/cb"))
    }

    @Test func fragmentIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "https://app.example/cb#@evil.example"))
    }

    @Test func httpInsteadOfHTTPSIsRefused() async throws {
        harness.expectErrorPage(try await open(redirectURI: "http://app.example/cb"))
    }

    @Test func loopbackPortMayDiffer() async throws {
        let redirectURI = "http://127.0.0.1:54321/callback"
        harness.expectSignInPage(try await open(redirectURI: redirectURI))
        let location = try await harness.browser.authorize(
            .code(redirectURI: redirectURI, pkce: pkce, resource: harness.resource))
        #expect(location.base == redirectURI)
        let code = try #require(location["code"])
        _ = try IssuedTokens(try await harness.redeem(code, verifier: pkce.verifier, redirectURI: redirectURI))
    }

    @Test func loopbackPathMayNotDiffer() async throws {
        harness.expectErrorPage(try await open(redirectURI: "http://127.0.0.1:54321/callback/evil"))
    }

    @Test func loopbackHostMayNotDiffer() async throws {
        harness.expectErrorPage(try await open(redirectURI: "http://localhost:54321/callback"))
    }

    @Test func missingRedirectURIIsRefusedWhenSeveralAreRegistered() async throws {
        let answer = try await harness.browser.open(
            AuthorizationQuery.code(pkce: pkce, resource: harness.resource).removing("redirect_uri"))
        harness.expectErrorPage(answer)
    }
}

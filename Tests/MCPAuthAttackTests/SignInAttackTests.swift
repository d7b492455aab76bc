import Testing

/// Attacks on the sign-in and consent forms of the authorization endpoint: password
/// guessing, replayed forms and skipped steps. A form's transaction id is single use.
@Suite("Sign-in attacks", .sharedAuthorizationServer)
struct SignInAttackTests {
    let harness: AuthorizationServerHarness
    let pkce: PKCE

    init() throws {
        harness = try AuthorizationServerHarness.current()
        pkce = try PKCE()
    }

    private var query: AuthorizationQuery { .code(pkce: pkce, resource: harness.resource) }

    @Test func fiveWrongPasswordsEndTheSignIn() async throws {
        var page = try await harness.browser.open(query)
        var transactions: Set<String> = [try #require(AuthorizationBrowser.hiddenInput("transaction", in: page))]
        for _ in 1..<harness.server.configuration.maximumSignInAttempts {
            page = try await harness.browser.signIn(page, password: "wrong password")
            #expect(page.status == 401)
            #expect(AuthorizationBrowser.hiddenInput("step", in: page) == "sign-in")
            let transaction = try #require(AuthorizationBrowser.hiddenInput("transaction", in: page))
            #expect(transactions.insert(transaction).inserted, "a retry reuses a transaction id")
        }
        let last = try await harness.browser.signIn(page, password: "wrong password")
        harness.expectErrorRedirect(last, error: "access_denied")

        // The sign-in is over: the right password on the last form opens nothing.
        let late = try await harness.browser.signIn(page)
        harness.expectErrorPage(late)
    }

    @Test func guessingOneUsersPasswordIsCutOffAcrossSignIns() async throws {
        // Ten wrong passwords for bob, over fresh sign-ins (each allows five).
        var failures = 0
        while failures < 10 {
            var page = try await harness.browser.open(query)
            for _ in 1..<harness.server.configuration.maximumSignInAttempts where failures < 10 {
                page = try await harness.browser.signIn(page, username: "bob", password: "guess \(failures)")
                #expect(page.status == 401)
                failures += 1
            }
        }
        // Now even the right password is refused without being checked, and says why.
        let blocked = try await harness.browser.signIn(try await harness.browser.open(query), username: "bob")
        #expect(blocked.status == 429)
        #expect(blocked.text.contains("Too many failed sign-ins"), "\(blocked.text)")
        // Another user is not affected.
        let consent = try await harness.browser.signIn(try await harness.browser.open(query))
        #expect(AuthorizationBrowser.hiddenInput("step", in: consent) == "consent")
    }

    @Test func signInFormPostedTwiceIsRefused() async throws {
        let page = try await harness.browser.open(query)
        let consent = try await harness.browser.signIn(page)
        #expect(consent.status == 200)
        #expect(AuthorizationBrowser.hiddenInput("step", in: consent) == "consent")

        let replay = try await harness.browser.signIn(page)
        harness.expectErrorPage(replay)

        // The first sign-in goes on unaffected.
        let redirect = try await harness.browser.consent(consent)
        #expect(redirect.status == 303)
        #expect(redirect.location?["code"] != nil)
    }

    @Test func consentPostedTwiceIssuesOneCode() async throws {
        let consent = try await harness.browser.signIn(try await harness.browser.open(query))
        let first = try await harness.browser.consent(consent)
        #expect(first.location?["code"] != nil)

        let replay = try await harness.browser.consent(consent)
        harness.expectErrorPage(replay)
    }

    @Test func consentCannotSkipTheSignIn() async throws {
        let page = try await harness.browser.open(query)
        let transaction = try #require(AuthorizationBrowser.hiddenInput("transaction", in: page))
        let skipped = try await harness.post(
            "/authorize", form: [("transaction", transaction), ("step", "consent"), ("decision", "approve")])
        harness.expectErrorPage(skipped)
    }

    @Test func forgedTransactionIsRefused() async throws {
        let answer = try await harness.post(
            "/authorize",
            form: [
                ("transaction", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), ("step", "sign-in"),
                ("username", "alice"), ("password", AuthorizationServerHarness.password),
            ])
        harness.expectErrorPage(answer)
    }

    @Test func deniedConsentRedirectsWithAccessDenied() async throws {
        let consent = try await harness.browser.signIn(try await harness.browser.open(query))
        let denied = try await harness.browser.consent(consent, decision: "deny")
        harness.expectErrorRedirect(denied, error: "access_denied")
    }
}

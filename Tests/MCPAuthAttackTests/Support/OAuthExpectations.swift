import Testing

/// The shapes a refusal of the authorization server takes, checked in one place.
extension AuthorizationServerHarness {
    /// Expects a JSON error (RFC 6749 §5.2): the status, the `error` code, and no token.
    func expectOAuthError(
        _ answer: HTTPAnswer, status: Int, error: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(answer.error == error, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(answer.json?["access_token"] == nil, sourceLocation: sourceLocation)
        #expect(answer.json?["refresh_token"] == nil, sourceLocation: sourceLocation)
        #expect(answer.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
    }

    /// Expects an error sent back to the client's redirect URI (RFC 6749 §4.1.2.1): a 303
    /// with `error`, the request's `state` (or none), the issuer (RFC 9207), and no code.
    func expectErrorRedirect(
        _ answer: HTTPAnswer, to redirectURI: String = "https://app.example/cb", error: String,
        state: String? = "state-1234", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(answer.status == 303, "\(answer.text)", sourceLocation: sourceLocation)
        guard let location = answer.location else {
            Issue.record("no Location in the \(answer.status) answer", sourceLocation: sourceLocation)
            return
        }
        #expect(location.base == redirectURI, sourceLocation: sourceLocation)
        #expect(location["error"] == error, "\(location.parameters)", sourceLocation: sourceLocation)
        #expect(location["state"] == state, sourceLocation: sourceLocation)
        #expect(location["iss"] == issuer, sourceLocation: sourceLocation)
        #expect(location["code"] == nil, sourceLocation: sourceLocation)
    }

    /// Expects the error page shown when the client or its redirect URI cannot be trusted
    /// (RFC 6749 §4.1.2.1): a 400 HTML page that redirects nowhere and starts no sign-in.
    func expectErrorPage(
        _ answer: HTTPAnswer, status: Int = 400, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(answer.status == status, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(answer.header("Location") == nil, sourceLocation: sourceLocation)
        #expect(answer.isPage, sourceLocation: sourceLocation)
        #expect(AuthorizationBrowser.hiddenInput("transaction", in: answer) == nil, sourceLocation: sourceLocation)
    }

    /// Expects the sign-in page of an accepted authorization request.
    func expectSignInPage(_ answer: HTTPAnswer, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(answer.status == 200, "\(answer.text)", sourceLocation: sourceLocation)
        #expect(answer.header("Location") == nil, sourceLocation: sourceLocation)
        #expect(AuthorizationBrowser.hiddenInput("step", in: answer) == "sign-in", sourceLocation: sourceLocation)
        #expect(AuthorizationBrowser.hiddenInput("transaction", in: answer) != nil, sourceLocation: sourceLocation)
    }
}

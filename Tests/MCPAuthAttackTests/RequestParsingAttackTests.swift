import Testing

/// Request bodies the token endpoint must not read past or guess at: oversized, flooded,
/// repeated, wrongly typed and malformed forms (RFC 6749 §3.2). A refused request spends
/// nothing: the code still redeems afterwards.
@Suite("Request parsing attacks", .sharedAuthorizationServer)
struct RequestParsingAttackTests {
    let harness: AuthorizationServerHarness
    let pkce: PKCE

    init() throws {
        harness = try AuthorizationServerHarness.current()
        pkce = try PKCE()
    }

    private func expectStillRedeemable(_ code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let answer = try await harness.redeem(code, verifier: pkce.verifier)
        #expect(answer.status == 200, "the code was spent: \(answer.text)", sourceLocation: sourceLocation)
    }

    private func postToken(_ body: String, contentType: String = "application/x-www-form-urlencoded") async throws
        -> HTTPAnswer
    {
        try await harness.send("POST", "/token", headers: [("Content-Type", contentType)], body: Array(body.utf8))
    }

    @Test func bodyLargerThanTheLimitIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let padding = String(repeating: "a", count: harness.server.configuration.maximumRequestBytes)
        let answer = try await harness.redeem(code, verifier: pkce.verifier, extra: [("padding", padding)])
        harness.expectOAuthError(answer, status: 413, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func registrationBodyLargerThanTheLimitIsRefused() async throws {
        let name = String(repeating: "a", count: harness.server.configuration.maximumRequestBytes)
        let answer = try await harness.post(
            "/register", json: ["client_name": .string(name), "redirect_uris": ["https://agent.example/cb"]])
        harness.expectOAuthError(answer, status: 413, error: "invalid_client_metadata")
    }

    @Test func moreParametersThanTheLimitAreRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let flood = (0..<harness.server.configuration.maximumParameters).map { ("extra\($0)", "x") }
        let answer = try await harness.redeem(code, verifier: pkce.verifier, extra: flood)
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func repeatedCodeIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let other = try PKCE()
        let otherCode = try await harness.authorizationCode(pkce: other)
        let answer = try await harness.redeem(code, verifier: pkce.verifier, extra: [("code", otherCode)])
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
        _ = try IssuedTokens(try await harness.redeem(otherCode, verifier: other.verifier))
    }

    @Test func repeatedVerifierIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let answer = try await harness.redeem(
            code, verifier: pkce.verifier, extra: [("code_verifier", try PKCE().verifier)])
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func repeatedNameInAnotherSpellingIsRefused() async throws {
        // `c%6Fde` decodes to `code`: a repeat, however it is written.
        let code = try await harness.authorizationCode(pkce: pkce)
        let body =
            FormEncoding.encode([
                ("grant_type", "authorization_code"), ("client_id", "app"), ("code", code),
                ("code_verifier", pkce.verifier), ("redirect_uri", "https://app.example/cb"),
            ]) + "&c%6Fde=other"
        harness.expectOAuthError(try await postToken(body), status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func jsonBodyIsRefused() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let body = """
            {"grant_type":"authorization_code","client_id":"app","code":"\(code)","code_verifier":"\(pkce.verifier)"}
            """
        harness.expectOAuthError(
            try await postToken(body, contentType: "application/json"), status: 400, error: "invalid_request")
        try await expectStillRedeemable(code)
    }

    @Test func malformedPercentEscapeIsRefused() async throws {
        let answer = try await postToken("grant_type=authorization_code&client_id=app&code=%G1")
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
    }

    @Test func invalidUTF8IsRefused() async throws {
        let answer = try await postToken("grant_type=authorization_code&client_id=app&code=%C0%AF")
        harness.expectOAuthError(answer, status: 400, error: "invalid_request")
    }

    @Test func tokenEndpointRefusesGET() async throws {
        let code = try await harness.authorizationCode(pkce: pkce)
        let query = FormEncoding.encode([
            ("grant_type", "authorization_code"), ("client_id", "app"), ("code", code),
            ("code_verifier", pkce.verifier),
        ])
        let answer = try await harness.get("/token?" + query)
        harness.expectOAuthError(answer, status: 405, error: "invalid_request")
        #expect(answer.header("Allow") == "POST")
        try await expectStillRedeemable(code)
    }
}

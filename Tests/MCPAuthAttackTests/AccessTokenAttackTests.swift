import MCPAuth
import MCPCore
import MCPCrypto
import Testing

/// Forged, altered, misdirected, expired and revoked access tokens presented to the
/// gateway's protected resources (RFC 9068, RFC 8725, RFC 6750 §3.1): each is refused with
/// `invalid_token`. Forged tokens are judged against a control: the same claims, signed by
/// the server's key with the right header, are accepted.
@Suite("Access token attacks", .sharedAuthorizationServer)
struct AccessTokenAttackTests {
    let harness: AuthorizationServerHarness

    init() throws {
        harness = try AuthorizationServerHarness.current()
    }

    private func expectInvalidToken(_ token: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let refusal = harness.refusal(of: token)
        #expect(
            refusal?.code == .invalidToken, "accepted or refused otherwise: \(String(describing: refusal))",
            sourceLocation: sourceLocation)
        #expect(refusal?.status == 401, sourceLocation: sourceLocation)
    }

    @Test func tokenForgedWithTheServerKeyIsTheControl() throws {
        let token = try ForgedAccessToken.signedByServer(harness, try ForgedAccessToken.claims(harness))
        let principal = try harness.validate(token)
        #expect(principal.subject == "alice")
    }

    @Test func tokenForAnotherResourceIsRefused() async throws {
        let tokens = try await harness.issueTokens()
        let other = harness.server.protectedResource(harness.otherResource)
        let challenge = #expect(throws: ProtectedResource.Challenge.self) {
            try other.authenticate(authorization: "Bearer " + tokens.accessToken)
        }
        #expect(challenge?.status == 401)
        #expect(challenge?.error?.code == .invalidToken)
        #expect(challenge?.header.hasPrefix("Bearer ") == true)
        let metadataURL = harness.issuer + "/.well-known/oauth-protected-resource/other"
        #expect(challenge?.header.contains("resource_metadata=\"\(metadataURL)\"") == true)

        // The metadata the challenge points at names the resource and this server.
        let metadata = try await harness.get("/.well-known/oauth-protected-resource/other")
        #expect(metadata.json?["resource"]?.stringValue == harness.otherResource)
        #expect(metadata.json?["authorization_servers"]?.arrayValue?.first?.stringValue == harness.issuer)

        // The token still works where it belongs.
        let principal = try harness.server.protectedResource(harness.resource)
            .authenticate(authorization: "Bearer " + tokens.accessToken)
        #expect(principal.subject == "alice")
    }

    @Test func expiredTokenIsRefused() async throws {
        try await AuthorizationServerHarness.withServer { harness in
            let tokens = try await harness.issueTokens()
            let lifetime = harness.server.configuration.accessTokenLifetime
            // The validator allows 30 s of clock skew past `exp`.
            harness.clock.advance(by: lifetime + 29)
            #expect(harness.refusal(of: tokens.accessToken) == nil)

            harness.clock.advance(by: 2)
            #expect(harness.refusal(of: tokens.accessToken)?.code == .invalidToken)
            // Expiry is all that is wrong: the grant refreshes into a valid token.
            let refreshed = try IssuedTokens(try await harness.refresh(tokens.refreshToken))
            #expect(harness.refusal(of: refreshed.accessToken) == nil)
        }
    }

    @Test func notYetValidTokenIsRefused() throws {
        let future = harness.clock.now + 300
        let claims = try ForgedAccessToken.claims(
            harness,
            [
                "iat": .number(JSONNumber(future)), "nbf": .number(JSONNumber(future)),
                "exp": .number(JSONNumber(future + 600)),
            ])
        expectInvalidToken(try ForgedAccessToken.signedByServer(harness, claims))
    }

    @Test func notBeforeInTheFutureIsRefused() throws {
        let claims = try ForgedAccessToken.claims(harness, ["nbf": .number(JSONNumber(harness.clock.now + 300))])
        expectInvalidToken(try ForgedAccessToken.signedByServer(harness, claims))
    }

    @Test func unsignedTokenIsRefused() throws {
        let (keyID, _) = harness.server.keys.current
        let token =
            ForgedAccessToken.signingInput(
                header: ["alg": "none", "typ": "at+jwt", "kid": .string(keyID)],
                claims: try ForgedAccessToken.claims(harness)) + "."
        expectInvalidToken(token)
    }

    @Test func hmacSignedWithThePublicKeyIsRefused() throws {
        // The algorithm confusion attack: HS256 keyed with the published public key.
        let (keyID, key) = harness.server.keys.current
        let input = ForgedAccessToken.signingInput(
            header: ["alg": "HS256", "typ": "at+jwt", "kid": .string(keyID)],
            claims: try ForgedAccessToken.claims(harness))
        for publicKey in [key.publicKey.x963Representation, Array(try key.publicKey.pemRepresentation.utf8)] {
            let mac = HMAC.authenticationCode(for: Array(input.utf8), using: SymmetricKey(bytes: publicKey))
            expectInvalidToken(input + "." + Base64URL.encode(mac))
        }
    }

    @Test func unknownKeyIDIsRefused() throws {
        let token = try JSONWebToken.sign(
            try ForgedAccessToken.claims(harness), with: try P256.PrivateKey(), keyID: "attacker-key", type: "at+jwt")
        expectInvalidToken(token)
    }

    @Test func foreignKeyUnderTheServerKeyIDIsRefused() throws {
        let token = try JSONWebToken.sign(
            try ForgedAccessToken.claims(harness), with: try P256.PrivateKey(),
            keyID: harness.server.keys.current.keyID,
            type: "at+jwt")
        expectInvalidToken(token)
    }

    @Test func tamperedPayloadIsRefused() async throws {
        let tokens = try await harness.issueTokens()
        let parts = tokens.accessToken.split(separator: ".").map(String.init)
        try #require(parts.count == 3)
        // One character of the payload flipped.
        var payload = Array(parts[1])
        let middle = payload.count / 2
        payload[middle] = payload[middle] == "A" ? "B" : "A"
        expectInvalidToken([parts[0], String(payload), parts[2]].joined(separator: "."))
        // A payload re-encoded with a raised scope and another subject, old signature kept.
        var claims = try #require(try JSONValue(parsing: Base64URL.decode(parts[1])).objectValue)
        claims["sub"] = "bob"
        claims["scope"] = "mcp admin"
        let raised = Base64URL.encode(JSONSerializer().serialize(.object(claims)))
        expectInvalidToken([parts[0], raised, parts[2]].joined(separator: "."))
        // The original is untouched.
        #expect(harness.refusal(of: tokens.accessToken) == nil)
    }

    @Test func otherIssuerIsRefused() throws {
        let claims = try ForgedAccessToken.claims(harness, ["iss": "https://evil.example"])
        expectInvalidToken(try ForgedAccessToken.signedByServer(harness, claims))
    }

    @Test func otherTokenTypeIsRefused() throws {
        // An ID token or any other JWT of the server is not an access token (RFC 9068 §4).
        let claims = try ForgedAccessToken.claims(harness)
        expectInvalidToken(try ForgedAccessToken.signedByServer(harness, claims, type: "JWT"))
        expectInvalidToken(try ForgedAccessToken.signedByServer(harness, claims, type: "id_token+jwt"))
    }

    @Test func missingAudienceIsRefused() throws {
        let claims = try ForgedAccessToken.claims(harness, ["aud": .null])
        expectInvalidToken(try ForgedAccessToken.signedByServer(harness, claims))
    }

    @Test func malformedAuthorizationHeaderIsABadRequest() throws {
        let resource = harness.server.protectedResource(harness.resource)
        let challenge = #expect(throws: ProtectedResource.Challenge.self) {
            try resource.authenticate(authorization: "Bearer a b\"c")
        }
        #expect(challenge?.status == 400)
        #expect(challenge?.error?.code == .invalidRequest)
    }
}

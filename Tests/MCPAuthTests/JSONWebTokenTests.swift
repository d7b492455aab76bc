import MCPCore
import MCPCrypto
import Testing

@testable import MCPAuth

/// Access tokens: signed ES256 with the ring's key, validated for issuer, audience, time
/// and revocation; every forged or damaged form is refused with `invalid_token`.
@Suite("Access tokens")
struct JSONWebTokenTests {
    let time = TestClock()
    let issuer = "https://gateway.example"
    let audience = "https://gateway.example/mcp"

    func claims(_ changes: (inout JSONObject) -> Void = { _ in }) -> JSONObject {
        var claims: JSONObject = [
            "iss": .string(issuer), "sub": "alice", "aud": .string(audience),
            "exp": .number(JSONNumber(time.now + 300)), "iat": .number(JSONNumber(time.now)),
            "jti": "token-1", "sid": "grant-1", "client_id": "app", "scope": "mcp tools", "org": "acme",
            "groups": ["eng"],
        ]
        changes(&claims)
        return claims
    }

    func ring() throws -> SigningKeyRing {
        try SigningKeyRing(
            store: try AuthStore(path: nil), masterKey: try MasterKey(bytes: [UInt8](repeating: 1, count: 32)),
            clock: time.clock)
    }

    @Test func aSignedTokenBecomesItsPrincipal() throws {
        let keys = try ring()
        let (keyID, key) = keys.current
        let token = try JSONWebToken.sign(claims(), with: key, keyID: keyID, type: "at+jwt")
        let validator = AccessTokenValidator(issuer: issuer, keys: keys, clock: time.clock)
        let principal = try validator.validate(token, audience: audience)
        #expect(principal.subject == "alice")
        #expect(principal.organization == "acme")
        #expect(principal.teams == ["eng"])
        #expect(principal.clientID == "app")
        #expect(principal.scopes == ["mcp", "tools"])
        #expect(principal.grantID == "grant-1")
        // Cached: the same answer, still checked against time.
        #expect(try validator.validate(token, audience: audience) == principal)
        time.advance(by: 300 + 31)
        #expect(throws: OAuthError(.invalidToken, "")) { try validator.validate(token, audience: audience) }
    }

    @Test func forgedAndDamagedTokensAreRefused() throws {
        let keys = try ring()
        let (keyID, key) = keys.current
        let validator = AccessTokenValidator(issuer: issuer, keys: keys, clock: time.clock)
        let good = try JSONWebToken.sign(claims(), with: key, keyID: keyID, type: "at+jwt")
        let parts = good.split(separator: ".").map(String.init)
        let foreign = try P256.PrivateKey()
        func header(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }
        let hmac = HMAC.authenticationCode(
            for: Array((header(#"{"alg":"HS256","typ":"at+jwt","kid":"\#(keyID)"}"#) + "." + parts[1]).utf8),
            using: SymmetricKey(bytes: key.publicKey.x963Representation), digest: .sha256)
        var flipped = Array(parts[1].utf8)
        flipped[10] = flipped[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let cases: [(String, String)] = [
            ("alg none", header(#"{"alg":"none","typ":"at+jwt","kid":"\#(keyID)"}"#) + "." + parts[1] + "."),
            (
                "HS256 keyed with the public key",
                header(#"{"alg":"HS256","typ":"at+jwt","kid":"\#(keyID)"}"#) + "." + parts[1] + "."
                    + Base64URL.encode(hmac)
            ),
            ("unknown kid", try JSONWebToken.sign(claims(), with: foreign, keyID: "nobody", type: "at+jwt")),
            ("another key under our kid", try JSONWebToken.sign(claims(), with: foreign, keyID: keyID, type: "at+jwt")),
            ("tampered payload", parts[0] + "." + String(decoding: flipped, as: UTF8.self) + "." + parts[2]),
            (
                "wrong issuer",
                try JSONWebToken.sign(
                    claims { $0["iss"] = "https://evil.example" }, with: key, keyID: keyID, type: "at+jwt")
            ),
            ("wrong type", try JSONWebToken.sign(claims(), with: key, keyID: keyID, type: "JWT")),
            (
                "other audience",
                try JSONWebToken.sign(
                    claims { $0["aud"] = "https://gateway.example/other" }, with: key, keyID: keyID, type: "at+jwt")
            ),
            (
                "expired",
                try JSONWebToken.sign(
                    claims { $0["exp"] = .number(JSONNumber(time.now - 60)) }, with: key, keyID: keyID, type: "at+jwt")
            ),
            (
                "not yet valid",
                try JSONWebToken.sign(
                    claims { $0["nbf"] = .number(JSONNumber(time.now + 600)) }, with: key, keyID: keyID, type: "at+jwt")
            ),
            (
                "issued in the future",
                try JSONWebToken.sign(
                    claims { $0["iat"] = .number(JSONNumber(time.now + 600)) }, with: key, keyID: keyID, type: "at+jwt")
            ),
            ("no subject", try JSONWebToken.sign(claims { $0["sub"] = nil }, with: key, keyID: keyID, type: "at+jwt")),
            (
                "critical extension",
                header(#"{"alg":"ES256","typ":"at+jwt","kid":"\#(keyID)","crit":["x"]}"#) + "." + parts[1] + "."
                    + parts[2]
            ),
            ("two parts", parts[0] + "." + parts[1]),
            ("four parts", good + ".x"),
            ("not base64url", parts[0] + ".%%%." + parts[2]),
            ("oversized", parts[0] + "." + String(repeating: "A", count: 9000) + "." + parts[2]),
        ]
        for (name, token) in cases {
            #expect(throws: OAuthError(.invalidToken, ""), "\(name)") {
                try validator.validate(token, audience: audience)
            }
        }
        #expect(try validator.validate(good, audience: audience).subject == "alice", "the good token still works")
    }

    @Test func aResourceChallengesForMissingTokensAndScopes() throws {
        let keys = try ring()
        let (keyID, key) = keys.current
        let validator = AccessTokenValidator(issuer: issuer, keys: keys, clock: time.clock)
        let resource = ProtectedResource(resource: audience, requiredScopes: ["mcp", "admin"], validator: validator)
        let metadata = "resource_metadata=\"https://gateway.example/.well-known/oauth-protected-resource/mcp\""
        #expect(throws: ProtectedResource.Challenge.self) { try resource.authenticate(authorization: nil) }
        do {
            _ = try resource.authenticate(authorization: nil)
        } catch {
            #expect(error.status == 401)
            #expect(error.header == "Bearer \(metadata), scope=\"mcp admin\"")
        }
        // Step-up: a valid token without the admin scope gets 403 insufficient_scope.
        let token = try JSONWebToken.sign(claims(), with: key, keyID: keyID, type: "at+jwt")
        do {
            _ = try resource.authenticate(authorization: "Bearer " + token)
            Issue.record("a token without the required scope passed")
        } catch {
            #expect(error.status == 403)
            #expect(error.error?.code == .insufficientScope)
            #expect(error.header.hasPrefix("Bearer error=\"insufficient_scope\""), "\(error.header)")
            #expect(error.header.contains("scope=\"mcp admin\""))
        }
        let admin = try JSONWebToken.sign(claims { $0["scope"] = "mcp admin" }, with: key, keyID: keyID, type: "at+jwt")
        #expect(try resource.authenticate(authorization: "Bearer " + admin).scopes == ["mcp", "admin"])
        do {
            _ = try resource.authenticate(authorization: "Basic YTpi")
            Issue.record("a Basic header passed")
        } catch {
            #expect(error.status == 400)
        }
    }

    @Test func revokedTokensAndGrantsAreRefused() throws {
        let keys = try ring()
        let (keyID, key) = keys.current
        let revoked = try RevokedTokens(store: nil, clock: time.clock)
        let validator = AccessTokenValidator(issuer: issuer, keys: keys, revocations: revoked, clock: time.clock)
        let first = try JSONWebToken.sign(claims(), with: key, keyID: keyID, type: "at+jwt")
        let second = try JSONWebToken.sign(claims { $0["jti"] = "token-2" }, with: key, keyID: keyID, type: "at+jwt")
        let other = try JSONWebToken.sign(
            claims {
                $0["jti"] = "token-3"; $0["sid"] = "grant-2"
            }, with: key, keyID: keyID, type: "at+jwt")
        _ = try validator.validate(first, audience: audience)
        try revoked.revoke("token-1", expires: time.now + 300)
        #expect(throws: OAuthError(.invalidToken, "")) { try validator.validate(first, audience: audience) }
        #expect(try validator.validate(second, audience: audience).tokenID == "token-2")
        try revoked.revoke("grant-1", expires: time.now + 300)
        #expect(throws: OAuthError(.invalidToken, "")) { try validator.validate(second, audience: audience) }
        #expect(try validator.validate(other, audience: audience).tokenID == "token-3")
    }

    @Test func keysRoundTripThroughTheKeySet() throws {
        let keys = try ring()
        let published = try JSONWebKeySet(json: JSONValue(parsing: JSONSerializer().serialize(keys.keySet.json)))
        #expect(published.keys.count == 1)
        let (keyID, key) = keys.current
        #expect(published[keyID]?.publicKey == key.publicKey)
        #expect(JSONWebKey.thumbprint(of: key.publicKey) == keyID)
        var withPrivate = published.keys[0].json
        withPrivate["d"] = "AAAA"
        #expect(throws: OAuthError.self) { try JSONWebKey(json: withPrivate) }
    }
}

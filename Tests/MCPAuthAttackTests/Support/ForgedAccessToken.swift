import MCPAuth
import MCPCore
import MCPCrypto

/// Access tokens made outside the token endpoint: the claims a real one carries, signed
/// with whatever key and header an attacker chooses.
enum ForgedAccessToken {
    /// The claims of a valid access token for `alice` on the harness's `/mcp` resource,
    /// issued now, with `changes` applied (`.null` removes a claim).
    static func claims(
        _ harness: AuthorizationServerHarness, _ changes: [String: JSONValue] = [:]
    ) throws -> JSONObject {
        let now = harness.clock.now
        var claims: JSONObject = [
            "iss": .string(harness.issuer), "sub": "alice", "aud": .string(harness.resource),
            "exp": .number(JSONNumber(now + 600)), "iat": .number(JSONNumber(now)), "nbf": .number(JSONNumber(now)),
            "jti": .string(Base64URL.encode(try SecureRandom.bytes(count: 16))), "sid": "forged-grant",
            "client_id": "app", "scope": "mcp", "org": "acme", "groups": ["eng"],
        ]
        for (name, value) in changes {
            claims[name] = value == .null ? nil : value
        }
        return claims
    }

    /// Signs `claims` with the server's own current key, as `at+jwt` unless told otherwise.
    static func signedByServer(
        _ harness: AuthorizationServerHarness, _ claims: JSONObject, type: String = "at+jwt"
    ) throws -> String {
        let (keyID, key) = harness.server.keys.current
        return try JSONWebToken.sign(claims, with: key, keyID: keyID, type: type)
    }

    /// A compact JWS with any header and any signature bytes.
    static func compact(header: JSONObject, claims: JSONObject, signature: [UInt8]) -> String {
        signingInput(header: header, claims: claims) + "." + Base64URL.encode(signature)
    }

    /// `base64url(header) "." base64url(claims)`.
    static func signingInput(header: JSONObject, claims: JSONObject) -> String {
        Base64URL.encode(JSONSerializer().serialize(.object(header))) + "."
            + Base64URL.encode(JSONSerializer().serialize(.object(claims)))
    }
}

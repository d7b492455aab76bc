import MCPAuth
import MCPCore
import MCPCrypto

/// Bearer token validation per request: the full check of an `Authorization` header with
/// the verification cache warm (signature checked once per token, claims on every request),
/// the user's status (cached) checked too, the same check with the cache cold (a new token
/// each time), against a raw ECDSA P-256
/// verification of the same token measured in the same run.
enum AuthBenchmark {
    static func run() {
        print("== auth: bearer token validation (ES256 access tokens)")
        do {
            let issuer = "https://gateway.example"
            let resource = issuer + "/mcp"
            let store = try AuthStore(path: nil)
            let keys = try SigningKeyRing(
                store: store, masterKey: try MasterKey(bytes: [UInt8](repeating: 5, count: 32)))
            let revocations = try RevokedTokens(store: nil)
            let (keyID, key) = keys.current
            let now = AuthClock.system.now()
            func token(_ index: Int) throws -> String {
                try JSONWebToken.sign(
                    [
                        "iss": .string(issuer), "sub": "alice", "aud": .string(resource),
                        "exp": .number(JSONNumber(now + 3600)), "iat": .number(JSONNumber(now)),
                        "jti": .string("token-\(index)"), "sid": "grant-1", "client_id": "app", "scope": "mcp",
                        "org": "acme", "groups": ["eng", "platform"],
                    ], with: key, keyID: keyID, type: "at+jwt")
            }
            let tokens = try (0..<4096).map(token)
            let parsed = try JSONWebToken(parsing: tokens[0], expectedType: "at+jwt")
            let publicKey = key.publicKey
            let raw = measure("raw ECDSA P-256 verify", batch: 10) {
                blackHole(publicKey.isValidSignature(parsed.signature, for: parsed.signingInput))
            }
            // As the gateway checks: with the user's status (cached) as well.
            let identities = IdentityStore(store: store)
            try identities.createOrganization(Organization(name: "acme"))
            try identities.createUser(User(username: "alice", organization: "acme"), password: nil)
            let warmValidator = AccessTokenValidator(
                issuer: issuer, keys: keys, revocations: revocations,
                subjects: CachedSubjectStatus(identities: identities))
            let guardrail = ProtectedResource(resource: resource, requiredScopes: ["mcp"], validator: warmValidator)
            let header = "Bearer " + tokens[0]
            _ = try? guardrail.authenticate(authorization: header)
            let cached = measure("header check, cache warm", batch: 1000) {
                blackHole(try? guardrail.authenticate(authorization: header))
            }
            var index = 0
            let coldValidator = AccessTokenValidator(
                issuer: issuer, keys: keys, revocations: revocations, cacheCapacity: 1)
            let cold = measure("header check, cache cold", batch: 10) {
                blackHole(try? coldValidator.validate(tokens[index & 4095], audience: resource))
                index &+= 1
            }
            report([raw, cached, cold])
            print(
                String(
                    format: "  warm check p50 = %.3fx a raw verify (target: under 5 µs per request); cold = %.2fx\n",
                    cached.median / raw.median, cold.median / raw.median))
        } catch {
            print("  failed: \(error)\n")
        }
    }
}

import MCPCore
import MCPCrypto
import MCPTransport
import Synchronization

/// The gateway as a client of one external OpenID Connect provider: discovery, the token
/// request of the code flow (with PKCE), and ID token validation against the provider's
/// published keys.
///
/// Every request is bounded in size and time, refused on internal addresses unless the
/// provider is configured otherwise, and never follows redirects. Discovery and keys are
/// cached; an ID token signed with an unknown key makes the keys be fetched again, at most
/// once a minute.
final class OpenIDProviderClient: Sendable {
    struct Metadata: Sendable {
        var authorizationEndpoint: String
        var tokenEndpoint: String
        var jwksURI: String
        var fetched: Int64
    }

    enum VerificationKey: Sendable {
        case ec(P256.PublicKey)
        case rsa(RSA.PublicKey)
    }

    let provider: FederatedProvider
    private let http: HTTPClient
    private let clock: AuthClock
    private let leeway: Int64 = 60
    private let metadataCache = Mutex<Metadata?>(nil)
    private let keyCache = Mutex<(keys: [String: VerificationKey], fetched: Int64)?>(nil)
    static let maximumDocumentBytes = 65_536
    static let cacheLifetime: Int64 = 3600

    init(provider: FederatedProvider, http: HTTPClient, clock: AuthClock) {
        self.provider = provider
        self.http = http
        self.clock = clock
    }

    /// The provider's discovery document, checked: the same issuer, and the endpoints the
    /// code flow needs.
    func metadata() async throws(OAuthError) -> Metadata {
        let now = clock.now()
        if let cached = metadataCache.withLock({ $0 }), now - cached.fetched < Self.cacheLifetime { return cached }
        let document = try await fetchJSON(provider.issuer + "/.well-known/openid-configuration")
        guard document["issuer"]?.stringValue == provider.issuer else {
            throw Self.failure("the provider's discovery document names another issuer")
        }
        guard let authorization = document["authorization_endpoint"]?.stringValue,
            let token = document["token_endpoint"]?.stringValue, let jwks = document["jwks_uri"]?.stringValue
        else { throw Self.failure("the provider's discovery document lacks an endpoint") }
        if let methods = document["code_challenge_methods_supported"]?.arrayValue,
            !methods.contains("S256")
        {
            throw Self.failure("the provider does not support PKCE S256")
        }
        let metadata = Metadata(authorizationEndpoint: authorization, tokenEndpoint: token, jwksURI: jwks, fetched: now)
        metadataCache.withLock { $0 = metadata }
        return metadata
    }

    /// The URL that starts the code flow at the provider.
    func authorizationURL(state: String, nonce: String, challenge: String, redirectURI: String) async throws(OAuthError)
        -> String
    {
        let endpoint = try await metadata().authorizationEndpoint
        var scopes = provider.scopes
        if !scopes.contains("openid") { scopes.insert("openid", at: 0) }
        let parameters = [
            ("response_type", "code"), ("client_id", provider.clientID), ("redirect_uri", redirectURI),
            ("scope", scopes.joined(separator: " ")), ("state", state), ("nonce", nonce),
            ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ]
        let query = parameters.map { FormParameters.encode($0.0) + "=" + FormParameters.encode($0.1) }
            .joined(separator: "&")
        return endpoint + (endpoint.contains("?") ? "&" : "?") + query
    }

    /// Redeems a code and returns the validated ID token's claims.
    func signIn(code: String, verifier: String, nonce: String, redirectURI: String) async throws(OAuthError)
        -> JSONObject
    {
        let endpoint = try await metadata().tokenEndpoint
        let body = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirectURI),
            ("code_verifier", verifier),
        ].map { FormParameters.encode($0.0) + "=" + FormParameters.encode($0.1) }.joined(separator: "&")
        let credentials = Base64.encode(
            Array((FormParameters.encode(provider.clientID) + ":" + FormParameters.encode(provider.clientSecret)).utf8))
        let answer = try await fetchJSON(
            endpoint, method: "POST",
            headers: [
                ("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json"),
                ("Authorization", "Basic " + credentials),
            ], body: Array(body.utf8), acceptsErrors: true)
        if let error = answer["error"]?.stringValue {
            throw Self.failure("the provider refused the code: \(FormParameters.printable(error))")
        }
        guard let idToken = answer["id_token"]?.stringValue else {
            throw Self.failure("the provider's token response has no ID token")
        }
        return try await validate(idToken, nonce: nonce)
    }

    /// Validates an ID token (OpenID Connect Core §3.1.3.7): signature under a published
    /// key, issuer, audience (and `azp`), expiry, issue time and nonce.
    func validate(_ idToken: String, nonce: String) async throws(OAuthError) -> JSONObject {
        let jwt: JSONWebToken
        do {
            jwt = try JSONWebToken(parsing: idToken, algorithms: ["RS256", "ES256"], maximumLength: 16_384)
        } catch {
            throw Self.failure("the ID token is malformed: \(error.message)")
        }
        var key = try await keys(refresh: false)[jwt.keyID]
        if key == nil { key = try await keys(refresh: true)[jwt.keyID] }
        let valid: Bool
        switch key {
        case .ec(let ec)?: valid = jwt.isSigned(by: ec)
        case .rsa(let rsa)?: valid = jwt.isSigned(by: rsa)
        case nil: throw Self.failure("the ID token is signed with a key the provider does not publish")
        }
        guard valid else { throw Self.failure("the ID token signature is invalid") }
        let claims = jwt.claims
        guard claims["iss"]?.stringValue == provider.issuer else {
            throw Self.failure("the ID token is from another issuer")
        }
        let audiences: [String]
        switch claims["aud"] {
        case .string(let one)?: audiences = [one]
        case .array(let many)?: audiences = many.compactMap(\.stringValue)
        default: audiences = []
        }
        guard audiences.contains(provider.clientID) else { throw Self.failure("the ID token is for another client") }
        if audiences.count > 1 || claims["azp"] != nil {
            guard claims["azp"]?.stringValue == provider.clientID else {
                throw Self.failure("the ID token was issued to another party")
            }
        }
        let now = clock.now()
        guard let expires = claims["exp"]?.numberValue?.int64Value, expires > now - leeway else {
            throw Self.failure("the ID token has expired")
        }
        guard let issued = claims["iat"]?.numberValue?.int64Value, issued <= now + leeway else {
            throw Self.failure("the ID token is issued in the future")
        }
        guard let tokenNonce = claims["nonce"]?.stringValue,
            ConstantTime.isEqual(Array(tokenNonce.utf8), Array(nonce.utf8))
        else { throw Self.failure("the ID token's nonce is not the one of this sign-in") }
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty, subject.utf8.count <= 255 else {
            throw Self.failure("the ID token has no subject")
        }
        return claims
    }

    private func keys(refresh: Bool) async throws(OAuthError) -> [String: VerificationKey] {
        let now = clock.now()
        if let cached = keyCache.withLock({ $0 }) {
            let fresh = now - cached.fetched < Self.cacheLifetime
            // Fetched again for an unknown key, but not more than once a minute.
            if fresh && (!refresh || now - cached.fetched < 60) { return cached.keys }
        }
        let document = try await fetchJSON(try await metadata().jwksURI)
        var keys: [String: VerificationKey] = [:]
        for value in document["keys"]?.arrayValue ?? [] {
            guard let object = value.objectValue, let kid = object["kid"]?.stringValue, object["d"] == nil,
                object["use"]?.stringValue ?? "sig" == "sig"
            else { continue }
            switch object["kty"]?.stringValue {
            case "EC":
                if let key = try? JSONWebKey(json: object) { keys[kid] = .ec(key.publicKey) }
            case "RSA":
                if let n = object["n"]?.stringValue.flatMap({ try? Base64URL.decode($0) }),
                    let e = object["e"]?.stringValue.flatMap({ try? Base64URL.decode($0) }),
                    let key = try? RSA.PublicKey(modulus: n, exponent: e)
                {
                    keys[kid] = .rsa(key)
                }
            default: continue
            }
        }
        keyCache.withLock { $0 = (keys, now) }
        return keys
    }

    private func fetchJSON(
        _ url: String, method: String = "GET", headers: [(String, String)] = [("Accept", "application/json")],
        body: [UInt8]? = nil, acceptsErrors: Bool = false
    ) async throws(OAuthError) -> JSONObject {
        let fetcher = GuardedFetcher(
            http: http, allowsInternalAddresses: provider.allowsInternalAddresses,
            maximumBytes: Self.maximumDocumentBytes)
        let answer: GuardedFetcher.Answer
        do {
            answer = try await fetcher.fetch(url, method: method, headers: headers, body: body)
        } catch {
            throw Self.failure("the provider cannot be reached: \(error.message)")
        }
        guard answer.status == 200 || (acceptsErrors && (400..<500).contains(answer.status)) else {
            throw Self.failure("the provider answered HTTP \(answer.status) at \(GuardedFetcher.printable(url))")
        }
        guard let object = answer.jsonObject else {
            throw Self.failure("the provider's answer at \(GuardedFetcher.printable(url)) is not a JSON object")
        }
        return object
    }

    static func failure(_ message: String) -> OAuthError { OAuthError(.accessDenied, message) }
}

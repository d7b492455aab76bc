import MCPAuth
import Testing

/// The tokens of a successful token response.
struct IssuedTokens: Sendable {
    let accessToken: String
    let refreshToken: String
    let scope: String?

    /// Reads a token response, requiring a 200 with both tokens.
    init(_ answer: HTTPAnswer) throws {
        try #require(answer.status == 200, "the token endpoint answered \(answer.status): \(answer.text)")
        accessToken = try #require(answer.json?["access_token"]?.stringValue)
        refreshToken = try #require(answer.json?["refresh_token"]?.stringValue)
        scope = answer.json?["scope"]?.stringValue
    }
}

/// How a client authenticates at the token endpoint.
enum ClientCredentials: Sendable {
    /// A public client: `client_id` in the body.
    case publicClient(String)
    /// A confidential client: HTTP Basic.
    case basic(id: String, secret: String)

    /// The `confidential` client with its secret.
    static let confidential = ClientCredentials.basic(
        id: "confidential", secret: AuthorizationServerHarness.confidentialSecret)

    var formParameters: [(String, String)] {
        switch self {
        case .publicClient(let id): [("client_id", id)]
        case .basic: []
        }
    }

    var basic: (id: String, secret: String)? {
        switch self {
        case .publicClient: nil
        case .basic(let id, let secret): (id, secret)
        }
    }
}

extension AuthorizationServerHarness {
    /// `POST /token` with `parameters`.
    func token(_ parameters: [(String, String)], as client: ClientCredentials = .publicClient("app")) async throws
        -> HTTPAnswer
    {
        try await post("/token", form: client.formParameters + parameters, basic: client.basic)
    }

    /// Redeems a code (`authorization_code` grant); `nil` leaves a parameter out.
    func redeem(
        _ code: String, verifier: String?, as client: ClientCredentials = .publicClient("app"),
        redirectURI: String? = "https://app.example/cb", resource: String? = nil,
        extra: [(String, String)] = []
    ) async throws -> HTTPAnswer {
        var parameters = [("grant_type", "authorization_code"), ("code", code)]
        if let verifier { parameters.append(("code_verifier", verifier)) }
        if let redirectURI { parameters.append(("redirect_uri", redirectURI)) }
        parameters.append(("resource", resource ?? self.resource))
        return try await token(parameters + extra, as: client)
    }

    /// Redeems a refresh token (`refresh_token` grant).
    func refresh(
        _ refreshToken: String, as client: ClientCredentials = .publicClient("app"), extra: [(String, String)] = []
    ) async throws -> HTTPAnswer {
        try await token([("grant_type", "refresh_token"), ("refresh_token", refreshToken)] + extra, as: client)
    }

    /// A code for `alice`, issued to `clientID` through the browser.
    func authorizationCode(
        clientID: String = "app", redirectURI: String = "https://app.example/cb", pkce: PKCE, resource: String? = nil
    ) async throws -> String {
        try await browser.code(
            .code(clientID: clientID, redirectURI: redirectURI, pkce: pkce, resource: resource ?? self.resource))
    }

    /// Tokens for `alice`, through the browser and the token endpoint.
    func issueTokens(as client: ClientCredentials = .publicClient("app"), resource: String? = nil) async throws
        -> IssuedTokens
    {
        let clientID: String
        switch client {
        case .publicClient(let id): clientID = id
        case .basic(let id, _): clientID = id
        }
        let redirectURI = clientID == "other-app" ? "https://other.example/cb" : "https://app.example/cb"
        let pkce = try PKCE()
        let code = try await authorizationCode(
            clientID: clientID, redirectURI: redirectURI, pkce: pkce, resource: resource)
        return try IssuedTokens(
            try await redeem(code, verifier: pkce.verifier, as: client, redirectURI: redirectURI, resource: resource))
    }

    /// Validates an access token for `audience` (the `/mcp` resource by default).
    @discardableResult
    func validate(_ accessToken: String, audience: String? = nil) throws -> Principal {
        try validator.validate(accessToken, audience: audience ?? resource)
    }

    /// The error the validator refuses a token with, or `nil` when it accepts it.
    func refusal(of accessToken: String, audience: String? = nil) -> OAuthError? {
        do {
            _ = try validator.validate(accessToken, audience: audience ?? resource)
            return nil
        } catch {
            return error
        }
    }
}

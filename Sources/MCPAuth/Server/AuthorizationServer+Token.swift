import MCPCore
import MCPCrypto
import MCPTransport

extension AuthorizationServer {
    /// `POST /token`: the `authorization_code` and `refresh_token` grants.
    func token(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        guard let (parameters, client) = try await authenticatedForm(request, response) else { return }
        let result: Result<JSONObject, OAuthError>
        switch parameters["grant_type"] {
        case "authorization_code": result = await redeemCode(parameters, client: client)
        case "refresh_token": result = await refresh(parameters, client: client)
        case nil: result = .failure(OAuthError(.invalidRequest, "grant_type is required"))
        default: result = .failure(OAuthError(.unsupportedGrantType, "the grant type is not supported"))
        }
        switch result {
        case .success(let body):
            clients.recordUse(of: client)
            try await sendJSON(.object(body), to: response)
        case .failure(let error): try await sendJSON(error, to: response)
        }
    }

    /// The form of a token, revocation or introspection request and its authenticated
    /// client; `nil` once the refusal has been answered.
    func authenticatedForm(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws -> (
        FormParameters, ClientRegistration
    )? {
        do {
            let parameters = try await form(request)
            return (parameters, try await authenticateClient(request, parameters))
        } catch {
            try await sendClientError(error, request: request, to: response)
            return nil
        }
    }

    /// An `invalid_client` answer carries a `Basic` challenge when the client used Basic.
    func sendClientError(_ error: OAuthError, request: HTTPServerRequest, to response: HTTPServerResponse) async throws
    {
        var extra: HTTPFields = [:]
        if error.code == .invalidClient, request.header("Authorization") != nil {
            extra.append(name: "WWW-Authenticate", value: "Basic realm=\"\(configuration.issuer)\"")
        }
        try await sendJSON(error, to: response, extra: extra)
    }

    /// Authenticates the client of a token, revocation or introspection request (RFC 6749
    /// §2.3): HTTP Basic or the body for confidential clients, the `client_id` alone for
    /// public ones; never two methods at once.
    func authenticateClient(_ request: HTTPServerRequest, _ parameters: FormParameters) async throws(OAuthError)
        -> ClientRegistration
    {
        var clientID = parameters["client_id"]
        var secret = parameters["client_secret"]
        if let authorization = request.header("Authorization") {
            guard authorization.prefix(6).lowercased() == "basic " else {
                throw OAuthError(.invalidClient, "client authentication uses Basic or the request body")
            }
            guard secret == nil else {
                throw OAuthError(.invalidRequest, "the request uses more than one client authentication method")
            }
            guard let decoded = try? Base64.decode(authorization.dropFirst(6).trimmingCharacters(in: .whitespaces)),
                let colon = decoded.firstIndex(of: UInt8(ascii: ":")),
                let id = try? FormParameters.decode(decoded[..<colon]),
                let password = try? FormParameters.decode(decoded[(colon + 1)...])
            else { throw OAuthError(.invalidClient, "the Basic credentials are malformed") }
            if let clientID, clientID != id {
                throw OAuthError(.invalidRequest, "client_id differs from the authenticated client")
            }
            clientID = id
            secret = password.isEmpty ? nil : password
        }
        guard let clientID else { throw OAuthError(.invalidClient, "the request does not identify the client") }
        guard let client = try? await clients.client(clientID) else {
            throw OAuthError(.invalidClient, "the client is not known")
        }
        if client.isConfidential {
            guard let secret, ClientStore.isValidSecret(secret, for: client) else {
                throw OAuthError(.invalidClient, "client authentication failed")
            }
        } else if secret != nil {
            throw OAuthError(.invalidClient, "a public client has no secret")
        }
        return client
    }

    private func redeemCode(_ parameters: FormParameters, client: ClientRegistration) async -> Result<
        JSONObject, OAuthError
    > {
        guard client.grantTypes.contains("authorization_code") else {
            return .failure(OAuthError(.unauthorizedClient, "the client may not use the authorization code grant"))
        }
        guard let code = parameters["code"] else { return .failure(OAuthError(.invalidRequest, "code is required")) }
        guard let verifier = parameters["code_verifier"] else {
            return .failure(OAuthError(.invalidRequest, "code_verifier is required (PKCE)"))
        }
        guard (43...128).contains(verifier.utf8.count),
            verifier.utf8.allSatisfy({ byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"):
                    true
                default: false
                }
            })
        else { return .failure(OAuthError(.invalidRequest, "code_verifier is 43 to 128 unreserved characters")) }
        let redirectURI = parameters["redirect_uri"]
        let resource = parameters["resource"]
        let family: String
        do {
            family = try PendingAuthorizations.newID()
        } catch {
            return .failure(error)
        }
        let redemption = pending.redeem(code, family: family) { issued in
            guard issued.request.client.clientID == client.clientID else {
                return OAuthError(.invalidGrant, "the authorization code was issued to another client")
            }
            if let redirectURI, redirectURI != issued.request.redirectURI {
                return OAuthError(.invalidGrant, "redirect_uri differs from the authorization request")
            }
            let challenge = Base64URL.encode(SHA256.hash(Array(verifier.utf8)))
            guard ConstantTime.isEqual(Array(challenge.utf8), Array(issued.request.codeChallenge.utf8)) else {
                return OAuthError(.invalidGrant, "the code_verifier does not match the code_challenge")
            }
            if let resource, resource != issued.request.resource {
                return OAuthError(.invalidTarget, "resource differs from the authorization request")
            }
            return nil
        }
        let issued: PendingAuthorizations.IssuedCode
        switch redemption {
        case .failure(let error): return .failure(error)
        case .success(let entry): issued = entry
        }
        if issued.redeemed {
            // A second redemption: the code leaked. Revoke what the first one issued (or is
            // issuing: it checks again once done).
            if let previous = issued.family { revokeGrant(previous) }
            return .failure(OAuthError(.invalidGrant, "the authorization code was already used"))
        }
        let request = issued.request
        let now = clock.now()
        switch tokenResponse(
            user: issued.user, client: client, scopes: request.scopes, resource: request.resource, grantID: family,
            refresh: RefreshGrant(
                family: family, clientID: client.clientID, username: issued.user.username, scopes: request.scopes,
                resource: request.resource, familyExpires: now + configuration.refreshFamilyLifetime),
            rotated: nil)
        {
        case .success(var (body, _, _)):
            // Replayed while the tokens were being made: they are revoked, not handed out.
            if pending.wasReplayed(code) {
                revokeGrant(family)
                return .failure(OAuthError(.invalidGrant, "the authorization code was already used"))
            }
            // OpenID Connect: an ID token for a request with the `openid` scope.
            if request.scopes.contains("openid") {
                do {
                    body["id_token"] = .string(
                        try issueIDToken(
                            user: issued.user, clientID: client.clientID, nonce: request.nonce, signedIn: issued.created
                        ))
                } catch {
                    return .failure(error)
                }
            }
            return .success(body)
        case .failure(let error):
            return .failure(error)
        }
    }

    private func refresh(_ parameters: FormParameters, client: ClientRegistration) async -> Result<
        JSONObject, OAuthError
    > {
        guard client.grantTypes.contains("refresh_token") else {
            return .failure(OAuthError(.unauthorizedClient, "the client may not use the refresh token grant"))
        }
        guard let token = parameters["refresh_token"] else {
            return .failure(OAuthError(.invalidRequest, "refresh_token is required"))
        }
        // Check what can be refused before the token is spent.
        if let (grant, _) = refreshTokens.active(token), grant.clientID == client.clientID {
            if let resource = parameters["resource"], resource != grant.resource {
                return .failure(OAuthError(.invalidTarget, "resource differs from the original grant"))
            }
            if let requested = parameters["scope"] {
                let scopes = requested.split(separator: " ").map(String.init).filter { $0 != "offline_access" }
                guard scopes.allSatisfy(grant.scopes.contains) else {
                    return .failure(OAuthError(.invalidScope, "the scope exceeds the original grant"))
                }
            }
        }
        switch refreshTokens.redeem(token, clientID: client.clientID) {
        case .refused(let error):
            return .failure(error)
        case .replayed(let family):
            revokeGrant(family)
            return .failure(
                OAuthError(
                    .invalidGrant, "the refresh token was already used; every token of this grant is now revoked"))
        case .rotated(let grant, let newToken, let expires):
            guard let user = try? identities.user(grant.username), !user.isDisabled else {
                revokeGrant(grant.family)
                return .failure(OAuthError(.invalidGrant, "the user can no longer sign in"))
            }
            var scopes = grant.scopes
            if let requested = parameters["scope"] {
                // Narrowed to what was asked; `offline_access` alone (or nothing the grant
                // holds) keeps the original grant (RFC 6749 §6).
                let narrowed = requested.split(separator: " ").map(String.init).filter {
                    $0 != "offline_access" && grant.scopes.contains($0)
                }
                scopes = narrowed.isEmpty ? grant.scopes : narrowed
            }
            return tokenResponse(
                user: user, client: client, scopes: scopes, resource: grant.resource, grantID: grant.family,
                refresh: nil, rotated: (newToken, expires)
            ).map(\.0)
        }
    }

    /// Issues an access token, and a refresh token when `refresh` is given (or passes on
    /// the rotated one).
    private func tokenResponse(
        user: User, client: ClientRegistration, scopes: [String], resource: String, grantID: String,
        refresh: RefreshGrant?, rotated: (token: String, expires: Int64)?
    ) -> Result<(JSONObject, String, Int64), OAuthError> {
        do {
            let (accessToken, tokenID, expires) = try issueAccessToken(
                user: user, clientID: client.clientID, scopes: scopes, resource: resource, grantID: grantID)
            var body: JSONObject = [
                "access_token": .string(accessToken), "token_type": "Bearer",
                "expires_in": .number(JSONNumber(configuration.accessTokenLifetime)),
                "scope": .string(scopes.joined(separator: " ")),
            ]
            if let refresh, client.grantTypes.contains("refresh_token") {
                body["refresh_token"] = .string(try refreshTokens.issue(refresh))
            } else if let rotated {
                body["refresh_token"] = .string(rotated.token)
            }
            return .success((body, tokenID, expires))
        } catch {
            return .failure(error)
        }
    }

    /// Revokes a grant: its refresh tokens, and the access tokens issued under it (they
    /// carry the grant's id in `sid`).
    func revokeGrant(_ family: String) {
        refreshTokens.revokeFamily(family)
        try? revocations.revoke(family, expires: clock.now() + configuration.accessTokenLifetime + validator.leeway + 1)
    }

    /// Signs an OpenID Connect ID token (Core §2) for the client: who signed in, when, and
    /// the nonce of the authorization request.
    func issueIDToken(user: User, clientID: String, nonce: String?, signedIn: Int64) throws(OAuthError) -> String {
        let now = clock.now()
        var claims: JSONObject = [
            "iss": .string(configuration.issuer), "sub": .string(user.username), "aud": .string(clientID),
            "exp": .number(JSONNumber(now + configuration.accessTokenLifetime)), "iat": .number(JSONNumber(now)),
            "auth_time": .number(JSONNumber(signedIn)), "name": .string(user.displayName),
            "org": .string(user.organization), "groups": .array(user.teams.map { .string($0) }),
        ]
        if let nonce { claims["nonce"] = .string(nonce) }
        if let email = user.email { claims["email"] = .string(email) }
        let (keyID, key) = keys.current
        do {
            return try JSONWebToken.sign(claims, with: key, keyID: keyID, type: "JWT")
        } catch {
            throw OAuthError(.serverError, "the ID token cannot be signed")
        }
    }

    /// Signs an RFC 9068 access token.
    func issueAccessToken(
        user: User, clientID: String, scopes: [String], resource: String, grantID: String
    ) throws(OAuthError) -> (
        String, tokenID: String, expires: Int64
    ) {
        let now = clock.now()
        let expires = now + configuration.accessTokenLifetime
        let tokenID = try PendingAuthorizations.newID()
        let claims: JSONObject = [
            "iss": .string(configuration.issuer), "sub": .string(user.username), "aud": .string(resource),
            "exp": .number(JSONNumber(expires)), "iat": .number(JSONNumber(now)), "nbf": .number(JSONNumber(now)),
            "jti": .string(tokenID), "sid": .string(grantID), "client_id": .string(clientID),
            "scope": .string(scopes.joined(separator: " ")),
            "org": .string(user.organization), "groups": .array(user.teams.map { .string($0) }),
        ]
        // A long-running server rotates its key when it has signed long enough; the old one
        // stays published for the tokens it signed.
        _ = try? keys.rotateIfOlder(than: configuration.signingKeyRotation)
        let (keyID, key) = keys.current
        do {
            return (try JSONWebToken.sign(claims, with: key, keyID: keyID, type: "at+jwt"), tokenID, expires)
        } catch {
            throw OAuthError(.serverError, "the token cannot be signed")
        }
    }
}

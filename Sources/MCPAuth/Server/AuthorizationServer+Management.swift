import MCPCore
import MCPTransport

extension AuthorizationServer {
    /// `POST /register`: Dynamic Client Registration (RFC 7591).
    func register(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        let type = request.header("Content-Type")?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
        guard type?.lowercased() == "application/json" else {
            try await sendJSON(OAuthError(.invalidClientMetadata, "the body must be application/json"), to: response)
            return
        }
        let body: [UInt8]
        do {
            body = try await request.collectBody(upTo: configuration.maximumRequestBytes)
        } catch {
            try await sendJSON(
                OAuthError(
                    .invalidClientMetadata, "the body is larger than \(configuration.maximumRequestBytes) bytes",
                    status: 413),
                to: response)
            return
        }
        guard let metadata = (try? JSONValue(parsing: body))?.objectValue,
            metadata.count <= configuration.maximumParameters
        else {
            try await sendJSON(
                OAuthError(.invalidClientMetadata, "the body is not a JSON object of client metadata"), to: response)
            return
        }
        let registered: (ClientRegistration, secret: String?)
        do {
            registered = try clients.register(metadata, from: address(of: request))
        } catch {
            try await sendJSON(error, to: response)
            return
        }
        var answer = registered.0.metadata
        answer["client_id_issued_at"] = .number(JSONNumber(clock.now()))
        if let secret = registered.secret {
            answer["client_secret"] = .string(secret)
            answer["client_secret_expires_at"] = 0
        }
        try await sendJSON(.object(answer), status: 201, to: response)
    }

    /// `POST /revoke` (RFC 7009): revokes a refresh token (with its whole family) or an
    /// access token of the authenticated client. The answer is 200 whether or not the token
    /// was known, so the endpoint tells nothing about other clients' tokens.
    func revoke(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        guard let (parameters, client) = try await authenticatedForm(request, response) else { return }
        guard let token = parameters["token"] else {
            try await sendJSON(OAuthError(.invalidRequest, "token is required"), to: response)
            return
        }
        do {
            if token.hasPrefix("mcprt_") {
                if let family = try refreshTokens.revokeFamily(of: token, clientID: client.clientID) {
                    try revocations.revoke(
                        family, expires: clock.now() + configuration.accessTokenLifetime + validator.leeway + 1)
                }
            } else if let (principal, _) = try? validator.inspect(token), principal.clientID == client.clientID {
                try revocations.revoke(principal.tokenID, expires: principal.expiresAt + validator.leeway + 1)
            }
        } catch let error as OAuthError {
            try await sendJSON(error, to: response)
            return
        } catch {
            try await sendJSON(OAuthError(.serverError, "the token cannot be revoked"), to: response)
            return
        }
        try await response.send(status: HTTPStatus(code: 200), fields: ["Cache-Control": "no-store"])
    }

    /// `POST /introspect` (RFC 7662), for confidential clients (resource servers).
    func introspect(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        guard let (parameters, client) = try await authenticatedForm(request, response) else { return }
        // Resource servers an operator registered, not any client that registered itself:
        // introspection would otherwise let anyone test stolen tokens without spending them.
        guard client.isConfidential, client.kind == .preregistered else {
            try await sendJSON(
                OAuthError(.invalidClient, "introspection is for confidential clients registered by an administrator"),
                to: response)
            return
        }
        guard let token = parameters["token"] else {
            try await sendJSON(OAuthError(.invalidRequest, "token is required"), to: response)
            return
        }
        var answer: JSONObject = ["active": false]
        if token.hasPrefix("mcprt_") {
            if let (grant, expires) = refreshTokens.active(token) {
                answer = [
                    "active": true, "token_type": "refresh_token", "client_id": .string(grant.clientID),
                    "sub": .string(grant.username), "scope": .string(grant.scopes.joined(separator: " ")),
                    "aud": .string(grant.resource), "exp": .number(JSONNumber(expires)),
                    "iss": .string(configuration.issuer),
                ]
            }
        } else if let (principal, audiences) = try? validator.inspect(token) {
            answer = [
                "active": true, "token_type": "Bearer", "client_id": .string(principal.clientID),
                "sub": .string(principal.subject), "scope": .string(principal.scopes.joined(separator: " ")),
                "aud": .array(audiences.map { .string($0) }), "exp": .number(JSONNumber(principal.expiresAt)),
                "iss": .string(configuration.issuer), "jti": .string(principal.tokenID),
                "org": .string(principal.organization), "groups": .array(principal.teams.map { .string($0) }),
            ]
        }
        try await sendJSON(.object(answer), to: response)
    }
}

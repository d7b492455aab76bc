import MCPCrypto
import MCPTransport

extension AuthorizationServer {
    /// What checking an authorization request led to.
    enum AuthorizationCheck {
        /// The client or its redirect URI cannot be trusted: an error page, no redirect.
        case untrusted(String)
        /// The client is known and the redirect URI matches: the error goes back to it.
        case refused(OAuthError, redirectURI: String, state: String?)
        case accepted(AuthorizationRequest)
    }

    /// `GET /authorize` starts a sign-in; `POST /authorize` carries the sign-in and consent
    /// forms.
    func authorize(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        switch request.head.method.rawValue {
        case "GET":
            let query = Array((request.head.query ?? "").utf8)
            let check: AuthorizationCheck
            do {
                let parameters = try FormParameters(parsing: query, maximumCount: configuration.maximumParameters)
                check = await checkAuthorization(parameters)
            } catch {
                check = .untrusted(error.message)
            }
            switch check {
            case .untrusted(let message):
                try await sendPage(AuthorizationPages.error(message), status: 400, to: response)
            case .refused(let error, let redirectURI, let state):
                try await redirect(to: redirectURI, error: error, state: state, response)
            case .accepted(let authorization):
                let transaction: String
                do {
                    transaction = try pending.start(authorization, from: address(of: request))
                } catch {
                    try await redirect(
                        to: authorization.redirectURI, error: error, state: authorization.state, response)
                    return
                }
                try await sendPage(
                    AuthorizationPages.signIn(
                        action: endpoint("authorize"), transaction: transaction, client: authorization.client,
                        error: nil, providers: federatedProviders), to: response)
            }
        case "POST":
            try await continueAuthorization(request, response)
        default:
            try await sendJSON(
                OAuthError(.invalidRequest, "use GET or POST", status: 405), to: response,
                extra: ["Allow": "GET, POST"])
        }
    }

    /// Checks an authorization request (RFC 6749 §4.1.1, RFC 7636, RFC 8707, OAuth 2.1).
    func checkAuthorization(_ parameters: FormParameters) async -> AuthorizationCheck {
        guard let clientID = parameters["client_id"] else { return .untrusted("the request names no client_id") }
        let client: ClientRegistration
        do {
            guard let found = try await clients.client(clientID) else {
                return .untrusted("the client is not registered")
            }
            client = found
        } catch {
            return .untrusted(error.message)
        }
        let redirectURI: String
        if let requested = parameters["redirect_uri"] {
            guard RedirectURI.matches(requested, registered: client.redirectURIs) else {
                return .untrusted("the redirect_uri is not one the client registered")
            }
            redirectURI = requested
        } else {
            guard client.redirectURIs.count == 1, let only = client.redirectURIs.first else {
                return .untrusted("the request names no redirect_uri")
            }
            redirectURI = only
        }
        let state = parameters["state"]
        func refuse(_ code: OAuthError.Code, _ message: String) -> AuthorizationCheck {
            .refused(OAuthError(code, message), redirectURI: redirectURI, state: state)
        }
        guard parameters["response_type"] == "code" else {
            return refuse(.unsupportedResponseType, "response_type must be code")
        }
        guard client.grantTypes.contains("authorization_code") else {
            return refuse(.unauthorizedClient, "the client may not use the authorization code grant")
        }
        guard let state, state.utf8.count <= 512 else {
            return refuse(.invalidRequest, "state is required (at most 512 bytes)")
        }
        guard let challenge = parameters["code_challenge"] else {
            return refuse(.invalidRequest, "code_challenge is required (PKCE)")
        }
        guard parameters["code_challenge_method"] == "S256" else {
            return refuse(.invalidRequest, "code_challenge_method must be S256")
        }
        guard challenge.utf8.count == 43, (try? Base64URL.decode(challenge))?.count == 32 else {
            return refuse(.invalidRequest, "code_challenge is not the base64url SHA-256 of a verifier")
        }
        guard let resource = parameters["resource"] else {
            return refuse(.invalidTarget, "resource is required (RFC 8707)")
        }
        guard configuration.resources.contains(resource) else {
            return refuse(.invalidTarget, "the resource is not one this server issues tokens for")
        }
        let scopes: [String]
        switch grantedScopes(parameters["scope"], client: client) {
        case .success(let granted): scopes = granted
        case .failure(let error): return .refused(error, redirectURI: redirectURI, state: state)
        }
        let nonce = parameters["nonce"]
        if let nonce, nonce.utf8.count > 512 { return refuse(.invalidRequest, "nonce is at most 512 bytes") }
        return .accepted(
            AuthorizationRequest(
                client: client, redirectURI: redirectURI, state: state, codeChallenge: challenge, scopes: scopes,
                resource: resource, nonce: nonce))
    }

    /// The scopes to grant for a requested `scope`: the default ones when none is asked,
    /// `offline_access` ignored (refresh tokens are always issued).
    func grantedScopes(_ requested: String?, client: ClientRegistration) -> Result<[String], OAuthError> {
        guard let requested else { return .success(client.scopes ?? configuration.defaultScopes) }
        var scopes: [String] = []
        for scope in requested.split(separator: " ").map(String.init) where scope != "offline_access" {
            guard configuration.scopesSupported.contains(scope), client.scopes?.contains(scope) ?? true else {
                return .failure(
                    OAuthError(.invalidScope, "the scope \(FormParameters.printable(scope)) is not available"))
            }
            if !scopes.contains(scope) { scopes.append(scope) }
        }
        return .success(scopes.isEmpty ? configuration.defaultScopes : scopes)
    }

    /// A posted sign-in or consent form.
    private func continueAuthorization(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        let parameters: FormParameters
        do {
            parameters = try await form(request)
        } catch {
            try await sendPage(AuthorizationPages.error(error.message), status: error.status, to: response)
            return
        }
        guard let transaction = parameters["transaction"], var entry = pending.take(transaction) else {
            try await sendPage(AuthorizationPages.expiredSignIn, status: 400, to: response)
            return
        }
        let authorization = entry.request
        switch (parameters["step"], entry.user) {
        case ("sign-in", nil):
            let username = parameters["username"] ?? ""
            let password = parameters["password"] ?? ""
            let address = self.address(of: request)
            if let wait = signIns.blocked(username: username, address: address) {
                let next = try pending.resume(entry)
                try await sendPage(
                    AuthorizationPages.signIn(
                        action: endpoint("authorize"), transaction: next, client: authorization.client,
                        error: "Too many failed sign-ins. Try again in \(max(1, wait / 60)) minute(s).",
                        providers: federatedProviders), status: 429, to: response)
                return
            }
            // The password hash is memory-hard: checked off the event loop, one at a time.
            let identities = self.identities
            let user =
                await BlockingWork.hashing {
                    try? identities.authenticate(username: username, password: password)
                } ?? nil
            if user == nil {
                signIns.failed(username: username, address: address)
            } else {
                signIns.succeeded(username: username)
            }
            guard let user else {
                entry.attempts += 1
                guard entry.attempts < configuration.maximumSignInAttempts else {
                    try await redirect(
                        to: authorization.redirectURI,
                        error: OAuthError(.accessDenied, "too many failed sign-in attempts"),
                        state: authorization.state,
                        response)
                    return
                }
                let next = try pending.resume(entry)
                try await sendPage(
                    AuthorizationPages.signIn(
                        action: endpoint("authorize"), transaction: next, client: authorization.client,
                        error: "The username or password is not correct.", providers: federatedProviders),
                    status: 401, to: response)
                return
            }
            try await askConsent(entry, user: user, response)
        case ("federate", nil):
            try await federate(entry, provider: parameters["provider"], response)
        case ("consent", let user?):
            guard parameters["decision"] == "approve" else {
                try await redirect(
                    to: authorization.redirectURI, error: OAuthError(.accessDenied, "the user denied access"),
                    state: authorization.state, response)
                return
            }
            let code = try pending.issueCode(authorization, user: user)
            try await redirect(
                to: authorization.redirectURI,
                parameters: [("code", code), ("state", authorization.state), ("iss", configuration.issuer)], response)
        default:
            try await sendPage(
                AuthorizationPages.error(
                    "The form does not fit this step of the sign-in. Start again from the application."),
                status: 400, to: response)
        }
    }

    /// Moves a signed-in user's sign-in on to the consent page.
    func askConsent(_ entry: PendingAuthorizations.Pending, user: User, _ response: HTTPServerResponse) async throws {
        var entry = entry
        entry.user = user
        let next = try pending.resume(entry)
        try await sendPage(
            AuthorizationPages.consent(
                action: endpoint("authorize"), transaction: next, request: entry.request, user: user),
            to: response)
    }

    /// The providers shown on the sign-in page, in configuration order.
    var federatedProviders: [FederatedProvider] {
        configuration.federatedProviders.filter { federation[$0.name] != nil }
    }

    func redirect(to uri: String, error: OAuthError, state: String?, _ response: HTTPServerResponse)
        async throws
    {
        var parameters = [("error", error.code.rawValue), ("error_description", error.message)]
        if let state { parameters.append(("state", state)) }
        parameters.append(("iss", configuration.issuer))
        try await redirect(to: uri, parameters: parameters, response)
    }

    func redirect(to uri: String, parameters: [(String, String)], _ response: HTTPServerResponse) async throws {
        let query = parameters.map { FormParameters.encode($0.0) + "=" + FormParameters.encode($0.1) }
            .joined(separator: "&")
        let location = uri + (uri.contains("?") ? "&" : "?") + query
        try await response.send(
            status: HTTPStatus(code: 303),
            fields: ["Location": location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"])
    }
}

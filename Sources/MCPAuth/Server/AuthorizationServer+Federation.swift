import MCPCrypto
import MCPTransport

extension AuthorizationServer {
    /// The redirect URI the gateway registers at external providers.
    public var federationRedirectURI: String { endpoint("federation/callback") }

    /// Sends a sign-in to an external provider: the code flow with PKCE, a nonce and a
    /// single-use state that carries the sign-in under way.
    func federate(_ entry: PendingAuthorizations.Pending, provider name: String?, _ response: HTTPServerResponse)
        async throws
    {
        let authorization = entry.request
        guard let name, let client = federation[name] else {
            let next = try pending.resume(entry)
            try await sendPage(
                AuthorizationPages.signIn(
                    action: endpoint("authorize"), transaction: next, client: authorization.client,
                    error: "There is no such sign-in provider.", providers: federatedProviders), status: 400,
                to: response)
            return
        }
        let location: String
        do {
            let verifier = try PendingAuthorizations.newID() + PendingAuthorizations.newID()
            let nonce = try PendingAuthorizations.newID()
            let state = try pending.startFederation(entry, provider: name, verifier: verifier, nonce: nonce)
            location = try await client.authorizationURL(
                state: state, nonce: nonce, challenge: Base64URL.encode(SHA256.hash(Array(verifier.utf8))),
                redirectURI: federationRedirectURI)
        } catch {
            let next = try pending.resume(entry)
            try await sendPage(
                AuthorizationPages.signIn(
                    action: endpoint("authorize"), transaction: next, client: authorization.client,
                    error: "\(client.provider.displayName) cannot be reached: \(error.message)",
                    providers: federatedProviders), status: 502, to: response)
            return
        }
        try await response.send(
            status: HTTPStatus(code: 303),
            fields: ["Location": location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"])
    }

    /// `GET /federation/callback`: the provider's answer. The code is redeemed, the ID
    /// token validated and mapped to a user, and the sign-in goes on to the consent page.
    func federationCallback(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        let parameters: FormParameters
        do {
            parameters = try FormParameters(
                parsing: Array((request.head.query ?? "").utf8), maximumCount: configuration.maximumParameters)
        } catch {
            try await sendPage(AuthorizationPages.error(error.message), status: 400, to: response)
            return
        }
        guard let state = parameters["state"], let attempt = pending.takeFederation(state),
            let client = federation[attempt.provider]
        else {
            try await sendPage(AuthorizationPages.expiredSignIn, status: 400, to: response)
            return
        }
        let entry = attempt.pending
        let authorization = entry.request
        let provider = client.provider
        if let error = parameters["error"] {
            try await redirect(
                to: authorization.redirectURI,
                error: OAuthError(
                    .accessDenied, "\(provider.displayName) refused the sign-in (\(FormParameters.printable(error)))"),
                state: authorization.state, response)
            return
        }
        guard parameters["iss"] == nil || parameters["iss"] == provider.issuer else {
            try await sendPage(
                AuthorizationPages.error("The answer does not come from \(provider.displayName)."), status: 400,
                to: response)
            return
        }
        guard let code = parameters["code"] else {
            try await sendPage(
                AuthorizationPages.error("The provider's answer has no code."), status: 400, to: response)
            return
        }
        let user: User
        do {
            let claims = try await client.signIn(
                code: code, verifier: attempt.verifier, nonce: attempt.nonce, redirectURI: federationRedirectURI)
            user = try identities.federatedUser(claims, from: provider)
        } catch let error as OAuthError {
            try await sendPage(
                AuthorizationPages.error("Sign-in with \(provider.displayName) failed: \(error.message)."), status: 400,
                to: response)
            return
        } catch let error as AuthError {
            try await sendPage(
                AuthorizationPages.error("Sign-in with \(provider.displayName) failed: \(error.message)."), status: 403,
                to: response)
            return
        }
        try await askConsent(entry, user: user, response)
    }
}

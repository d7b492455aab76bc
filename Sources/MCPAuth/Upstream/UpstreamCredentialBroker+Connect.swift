public import MCPCore
import MCPCrypto

extension UpstreamCredentialBroker {
    /// How long a connect link and a connection under way stay usable.
    static let connectLifetime: Int64 = 600
    /// The most connect links and connections under way kept at once.
    static let maximumTickets = 10_000

    /// The gateway's redirect URI at upstream authorization servers.
    public var callbackURL: String { baseURL + "/connect/callback" }

    /// The URL of the gateway's own Client ID Metadata Document, its client id at
    /// authorization servers that accept those.
    public var clientMetadataURL: String { baseURL + "/connect/client-metadata.json" }

    /// The gateway's Client ID Metadata Document.
    public var clientMetadataDocument: JSONObject {
        [
            "client_id": .string(clientMetadataURL), "client_name": "MCP gateway",
            "redirect_uris": [.string(callbackURL)], "grant_types": ["authorization_code", "refresh_token"],
            "response_types": ["code"], "token_endpoint_auth_method": "none",
        ]
    }

    /// A one-time link that lets `subject` connect `upstream` from a browser; `nil` for an
    /// upstream that is not connected per user through OAuth.
    public func link(_ subject: String, _ upstream: String) -> String? {
        guard case .oauth? = upstreams[upstream]?.mode, !subject.isEmpty,
            let fresh = try? PendingAuthorizations.newID()
        else { return nil }
        let now = clock.now()
        // One live ticket per (user, upstream), reused until it expires; the table is bounded.
        let ticket = tickets.withLock { table -> String? in
            if let live = table.first(where: {
                $0.value.subject == subject && $0.value.upstream == upstream
                    && now - $0.value.created < Self.connectLifetime / 2
            }) {
                return live.key
            }
            if table.count >= Self.maximumTickets {
                table = table.filter { now - $0.value.created < Self.connectLifetime }
                guard table.count < Self.maximumTickets else { return nil }
            }
            table[fresh] = (subject, upstream, now)
            return fresh
        }
        guard let ticket else { return nil }
        return baseURL + "/connect/" + FormParameters.encode(upstream) + "?ticket=" + ticket
    }

    /// The user a live connect link was made for, without using it up.
    public func ticketOwner(upstream: String, ticket: String) -> String? {
        let now = clock.now()
        return tickets.withLock { table in
            guard let entry = table[ticket], entry.upstream == upstream, now - entry.created < Self.connectLifetime
            else { return nil }
            return entry.subject
        }
    }

    /// Uses up a connect link (after a wrong password, say).
    public func discardTicket(_ ticket: String) {
        _ = tickets.withLock { $0.removeValue(forKey: ticket) }
    }

    /// Starts connecting: checks the link's ticket (used once), finds the upstream's
    /// authorization server, registers the gateway there when needed, and returns where
    /// to send the browser (PKCE S256, a single-use state, the `resource`) and the nonce the
    /// browser must keep in a cookie: the callback is accepted only from that browser.
    public func startConnect(upstream: String, ticket: String) async throws(UpstreamAccessError) -> (
        location: String, browserNonce: String
    ) {
        let now = clock.now()
        guard let entry = tickets.withLock({ $0.removeValue(forKey: ticket) }), entry.upstream == upstream,
            now - entry.created < Self.connectLifetime
        else {
            throw .notConnected(upstream: upstream, link: nil)
        }
        guard let settings = upstreams[upstream], case .oauth = settings.mode else {
            throw .unavailable(upstream: upstream, reason: "the upstream is not connected through OAuth")
        }
        let challenge = await unauthenticatedChallenge(settings)
        let server = try await authorizationServer(settings, challenge: challenge)
        let (clientID, secret) = try await registration(settings, server)
        let verifier: String
        let state: String
        let nonce: String
        do {
            verifier = try PendingAuthorizations.newID() + PendingAuthorizations.newID()
            state = try PendingAuthorizations.newID()
            nonce = try PendingAuthorizations.newID()
        } catch {
            throw .unavailable(upstream: upstream, reason: "no random bytes")
        }
        connects.withLock { table in
            if table.count >= Self.maximumTickets {
                table = table.filter { now - $0.value.created < Self.connectLifetime }
            }
            table[state] = PendingConnect(
                subject: entry.subject, upstream: upstream, verifier: verifier, server: server, clientID: clientID,
                clientSecret: secret, created: now, browserBinding: SHA256.hash(Array(nonce.utf8)))
        }
        let scopes = settings.scopes ?? server.scopes
        var parameters = [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", callbackURL), ("state", state),
            ("code_challenge", Base64URL.encode(SHA256.hash(Array(verifier.utf8)))), ("code_challenge_method", "S256"),
        ]
        if !scopes.isEmpty { parameters.append(("scope", scopes.joined(separator: " "))) }
        if settings.quirks.sendsResource { parameters.append(("resource", settings.url)) }
        let query = parameters.map { FormParameters.encode($0.0) + "=" + FormParameters.encode($0.1) }.joined(
            separator: "&")
        let endpoint = server.authorizationEndpoint
        return (endpoint + (endpoint.contains("?") ? "&" : "?") + query, nonce)
    }

    /// Finishes connecting from the authorization server's redirect: checks `state` (used
    /// once) and `iss` (RFC 9207: required when the server says it sends it), redeems the
    /// code and stores the tokens for the user.
    ///
    /// - Returns: the user and the upstream now connected.
    public func completeConnect(_ query: some Collection<UInt8>, browserNonce: String?)
        async throws(UpstreamAccessError) -> (subject: String, upstream: String)
    {
        guard let parameters = try? FormParameters(parsing: query, maximumCount: 32), let state = parameters["state"],
            let pending = connects.withLock({ $0.removeValue(forKey: state) }),
            clock.now() - pending.created < Self.connectLifetime
        else { throw .notConnected(upstream: "the upstream", link: nil) }
        // Another browser (a link passed on to someone else) cannot finish the connection.
        guard let browserNonce, ConstantTime.isEqual(SHA256.hash(Array(browserNonce.utf8)), pending.browserBinding)
        else {
            throw .reconnectNeeded(
                upstream: pending.upstream, reason: "the connection was finished in another browser than it started in",
                link: nil)
        }
        let upstream = pending.upstream
        guard let settings = upstreams[upstream] else { throw .notConnected(upstream: upstream, link: nil) }
        let relink = link(pending.subject, upstream)
        if let error = parameters["error"] {
            throw .reconnectNeeded(
                upstream: upstream, reason: "the provider refused: \(FormParameters.printable(error))", link: relink)
        }
        if let issuer = parameters["iss"] {
            guard issuer == pending.server.issuer else {
                throw .reconnectNeeded(upstream: upstream, reason: "the answer came from another issuer", link: relink)
            }
        } else if pending.server.sendsIssuerInResponses {
            throw .reconnectNeeded(upstream: upstream, reason: "the answer does not name its issuer", link: relink)
        }
        guard let code = parameters["code"] else {
            throw .reconnectNeeded(upstream: upstream, reason: "the answer has no code", link: relink)
        }
        var form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", callbackURL),
            ("code_verifier", pending.verifier),
        ]
        if settings.quirks.sendsResource { form.append(("resource", settings.url)) }
        switch await tokenRequest(
            pending.server.tokenEndpoint, form: form, clientID: pending.clientID, secret: pending.clientSecret,
            settings: settings, grant: "authorization_code")
        {
        case .success(let tokens):
            let now = clock.now()
            let credential = UpstreamCredential(
                kind: .oauth, secret: tokens.accessToken, refreshToken: tokens.refreshToken,
                expiresAt: tokens.expiresIn.map { now + $0 }
                    ?? (tokens.refreshToken == nil ? nil : settings.quirks.assumedLifetime.map { now + $0 }),
                expiryAssumed: tokens.expiresIn == nil, scopes: tokens.scopes, issuer: pending.server.issuer,
                clientID: pending.clientID)
            do {
                try vault.store(credential, subject: pending.subject, upstream: upstream)
            } catch {
                throw .unavailable(upstream: upstream, reason: "the tokens cannot be stored")
            }
            return (pending.subject, upstream)
        case .failure(let error):
            throw .reconnectNeeded(upstream: upstream, reason: error.message, link: relink)
        }
    }

    /// Ends a user's connection: revokes the refresh token at the provider when it can, and
    /// forgets the credential.
    ///
    /// - Returns: whether there was a connection.
    @discardableResult
    public func disconnect(subject: String, upstream: String) async -> Bool {
        guard let credential = try? vault.credential(subject: subject, upstream: upstream) else {
            return (try? vault.remove(subject: subject, upstream: upstream)) ?? false
        }
        if let settings = upstreams[upstream], credential.kind == .oauth, let clientID = credential.clientID,
            let token = credential.refreshToken ?? Optional(credential.secret),
            let server = try? await authorizationServer(settings, challenge: nil),
            let endpoint = server.revocationEndpoint
        {
            let secret = (try? vault.registration(upstream: upstream, issuer: server.issuer))?["client_secret"]?
                .stringValue
            _ = await tokenRequest(
                endpoint, form: [("token", token)], clientID: clientID, secret: secret, settings: settings,
                grant: "revoke")
        }
        return (try? vault.remove(subject: subject, upstream: upstream)) ?? false
    }

    /// A user's connections: each upstream with credentials, and whether it works.
    public func connections(of subject: String) -> [(upstream: String, status: String)] {
        upstreams.keys.sorted().compactMap { upstream in
            guard let settings = upstreams[upstream], settings.isPerUser else { return nil }
            guard let credential = try? vault.credential(subject: subject, upstream: upstream) else {
                return (upstream, "not connected")
            }
            if let reason = credential.needsReconnect { return (upstream, "reconnect needed: \(reason)") }
            return (upstream, "connected")
        }
    }

    /// The upstream's 401 challenge, for discovery (its `resource_metadata` and `scope`).
    func unauthenticatedChallenge(_ settings: UpstreamAuthentication) async -> String? {
        let fetcher = GuardedFetcher(http: http, allowsInternalAddresses: settings.allowsInternalAddresses)
        let probe = Array(
            #"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"mcp-gateway","version":"1"}}}"#
                .utf8)
        guard
            let answer = try? await fetcher.fetch(
                settings.url, method: "POST",
                headers: [("Content-Type", "application/json"), ("Accept", "application/json, text/event-stream")],
                body: probe), answer.status == 401 || answer.status == 403
        else { return nil }
        return answer.header("WWW-Authenticate")
    }

    /// The gateway's client id (and secret) at an upstream's authorization server:
    /// pre-registered, else its Client ID Metadata Document where accepted, else Dynamic
    /// Client Registration; kept per issuer, so a new issuer means a new registration.
    func registration(_ settings: UpstreamAuthentication, _ server: UpstreamAuthorizationServer)
        async throws(UpstreamAccessError) -> (String, String?)
    {
        let upstream = settings.upstream
        if let clientID = settings.clientID { return (clientID, settings.clientSecret) }
        if server.acceptsMetadataDocuments { return (clientMetadataURL, nil) }
        if let stored = try? vault.registration(upstream: upstream, issuer: server.issuer),
            let clientID = stored["client_id"]?.stringValue
        {
            return (clientID, stored["client_secret"]?.stringValue)
        }
        guard let endpoint = server.registrationEndpoint else {
            throw .unavailable(
                upstream: upstream,
                reason:
                    "its authorization server accepts neither metadata documents nor registration; configure a client id"
            )
        }
        let request: JSONValue = [
            "client_name": "MCP gateway", "redirect_uris": [.string(callbackURL)],
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
        ]
        let fetcher = GuardedFetcher(http: http, allowsInternalAddresses: settings.allowsInternalAddresses)
        guard
            let answer = try? await fetcher.fetch(
                endpoint, method: "POST",
                headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                body: JSONSerializer().serialize(request)),
            answer.status == 200 || answer.status == 201, let registered = answer.jsonObject,
            let clientID = registered["client_id"]?.stringValue
        else { throw .unavailable(upstream: upstream, reason: "its authorization server refused the registration") }
        var kept: JSONObject = ["client_id": .string(clientID)]
        if let secret = registered["client_secret"]?.stringValue { kept["client_secret"] = .string(secret) }
        try? vault.storeRegistration(kept, upstream: upstream, issuer: server.issuer)
        return (clientID, kept["client_secret"]?.stringValue)
    }
}

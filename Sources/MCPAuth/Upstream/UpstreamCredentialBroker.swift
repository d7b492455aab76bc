import MCPCore
import MCPCrypto
public import MCPTransport
import Synchronization

/// The gateway as an OAuth client of every upstream at once, per user: it hands out the
/// credential a (principal, upstream) pair should be called with, refreshes it ahead of
/// expiry, and tells the user plainly when they must connect or reconnect.
///
/// - A refresh is single-flight per pair: concurrent calls at the moment of expiry cause
///   one refresh and all wait for it (providers whose refresh tokens work once would
///   otherwise answer `invalid_grant` to all but one).
/// - The new tokens replace the old in one write; a provider that sends no new refresh
///   token keeps the old one.
/// - `invalid_grant` on refresh marks the connection as needing reconnection; the next
///   call says so, with the link (never a silent failure, never a refresh loop).
/// - The client's own token for the gateway is never involved: what goes upstream comes
///   from the vault only.
public final class UpstreamCredentialBroker: Sendable {
    /// The vault.
    public let vault: CredentialVault
    let http: HTTPClient
    let clock: AuthClock
    /// The gateway's base URL, for the connect links, the callback and its client metadata
    /// document.
    public let baseURL: String
    let upstreams: [String: UpstreamAuthentication]
    private let refreshes = Mutex<[String: Task<UpstreamCredential, any Error>]>([:])
    /// For each (owner, upstream), the SHA-256 of a credential the upstream refused: it is
    /// refreshed before its next use. Kept in memory, never written over newer tokens.
    private let refusedCredentials = Mutex<[String: [UInt8]]>([:])
    let tickets = Mutex<[String: (subject: String, upstream: String, created: Int64)]>([:])
    let connects = Mutex<[String: PendingConnect]>([:])
    let servers = Mutex<[String: (UpstreamAuthorizationServer, fetched: Int64)]>([:])
    /// How many token requests each upstream's authorization server got, by grant, for
    /// diagnostics.
    let counters = Mutex<[String: Int]>([:])

    struct PendingConnect: Sendable {
        var subject: String
        var upstream: String
        var verifier: String
        var server: UpstreamAuthorizationServer
        var clientID: String
        var clientSecret: String?
        var created: Int64
        /// The SHA-256 of the nonce in the cookie of the browser that started the
        /// connection: only that browser can finish it.
        var browserBinding: [UInt8]
    }

    /// Creates the broker.
    ///
    /// - Parameters:
    ///   - vault: where credentials and registrations are kept.
    ///   - http: the client that talks to upstream authorization servers.
    ///   - baseURL: the gateway's URL as users' browsers reach it, without a trailing `/`.
    ///   - upstreams: how each upstream is authenticated.
    ///   - clock: the time source.
    public init(
        vault: CredentialVault, http: HTTPClient, baseURL: String, upstreams: [UpstreamAuthentication],
        clock: AuthClock = .system
    ) {
        self.vault = vault
        self.http = http
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.upstreams = Dictionary(upstreams.map { ($0.upstream, $0) }, uniquingKeysWith: { first, _ in first })
        self.clock = clock
    }

    /// Whether `subject` holds a working credential for the upstream.
    public func isConnected(_ subject: String, _ upstream: String) -> Bool {
        guard let settings = upstreams[upstream] else { return false }
        let owner = settings.isPerUser ? subject : ""
        guard let credential = try? vault.credential(subject: owner, upstream: upstream) else { return false }
        return credential.needsReconnect == nil
    }

    /// Whether each user has a credential of their own for the upstream.
    public func authenticatesPerUser(_ upstream: String) -> Bool { upstreams[upstream]?.isPerUser ?? false }

    /// Whether the upstream needs credentials from the broker.
    public func authenticates(_ upstream: String) -> Bool { upstreams[upstream] != nil }

    /// The header to call `upstream` with for `subject`, refreshed first when it is about
    /// to expire.
    ///
    /// - Throws: ``UpstreamAccessError``: not connected, reconnection needed (both with
    ///   the link), or the authorization server unavailable.
    public func header(subject: String, upstream: String) async throws(UpstreamAccessError) -> (
        name: String, value: String
    ) {
        guard let settings = upstreams[upstream] else {
            throw .unavailable(upstream: upstream, reason: "the upstream has no credentials configured")
        }
        switch settings.mode {
        case .bearer(let shared?): return ("Authorization", "Bearer " + shared)
        case .apiKey(let header, let shared?): return (header, shared)
        default: break
        }
        let owner = settings.isPerUser ? subject : ""
        let credential: UpstreamCredential?
        do {
            credential = try vault.credential(subject: owner, upstream: upstream)
        } catch {
            throw .reconnectNeeded(
                upstream: upstream, reason: "the stored credential cannot be read", link: link(subject, upstream))
        }
        if case .clientCredentials = settings.mode, credential == nil || needsRefresh(credential!, settings, owner) {
            return try await singleFlight(owner, upstream) { try await self.clientCredentials(settings) }.header
        }
        guard let credential else { throw .notConnected(upstream: upstream, link: link(subject, upstream)) }
        if let reason = credential.needsReconnect {
            throw .reconnectNeeded(upstream: upstream, reason: reason, link: link(subject, upstream))
        }
        guard credential.kind == .oauth, needsRefresh(credential, settings, owner) else { return credential.header }
        return try await singleFlight(owner, upstream) { try await self.refresh(owner, settings) }.header
    }

    /// Records that the upstream refused the credential it was called with (a 401, or what
    /// the quirks say means expired): the next call refreshes first, after discovering the
    /// authorization server again (a credential of a former issuer is never sent to the new
    /// one: the user reconnects, and the gateway registers with the new issuer). A provider
    /// that sent no `expires_in` is corrected this way.
    public func refused(subject: String, upstream: String, header: (name: String, value: String)) {
        guard let settings = upstreams[upstream] else { return }
        let owner = settings.isPerUser ? subject : ""
        guard let credential = try? vault.credential(subject: owner, upstream: upstream),
            credential.header.value == header.value, credential.kind == .oauth
        else { return }
        // Remembered, not written: a refresh that ran meanwhile must not be overwritten.
        let digest = SHA256.hash(Array(header.value.utf8))
        refusedCredentials.withLock { table in
            if table.count >= 100_000 { table.removeAll() }
            table[owner + "\u{0}" + upstream] = digest
        }
        // The upstream may have moved to another authorization server: find it again.
        _ = servers.withLock { $0.removeValue(forKey: upstream) }
    }

    /// Stores a user's own bearer token or API key for an upstream.
    public func storeSecret(_ secret: String, subject: String, upstream: String) throws(AuthError) {
        guard let settings = upstreams[upstream] else {
            throw AuthError(.notFound, "no upstream \(upstream) with credentials")
        }
        switch settings.mode {
        case .bearer:
            try vault.store(UpstreamCredential(kind: .bearer, secret: secret), subject: subject, upstream: upstream)
        case .apiKey(let header, _):
            try vault.store(
                UpstreamCredential(kind: .apiKey, secret: secret, headerName: header), subject: subject,
                upstream: upstream)
        default: throw AuthError(.invalidValue, "\(upstream) is connected through OAuth, not with a stored secret")
        }
    }

    /// How many token requests went to an upstream's authorization server, by grant.
    public func tokenRequests(_ upstream: String) -> [String: Int] {
        counters.withLock { all in
            var result: [String: Int] = [:]
            for (key, value) in all where key.hasPrefix(upstream + "\u{0}") {
                result[String(key.dropFirst(upstream.count + 1))] = value
            }
            return result
        }
    }

    func needsRefresh(_ credential: UpstreamCredential, _ settings: UpstreamAuthentication, _ owner: String) -> Bool {
        let refused = refusedCredentials.withLock { $0[owner + "\u{0}" + settings.upstream] }
        if let refused, refused == SHA256.hash(Array(credential.header.value.utf8)) { return true }
        guard let expires = credential.expiresAt else { return false }
        return expires - settings.quirks.refreshSkew <= clock.now()
    }

    /// Runs `work` once per pair at a time; callers that arrive meanwhile share its result.
    private func singleFlight(
        _ owner: String, _ upstream: String, _ work: @escaping @Sendable () async throws -> UpstreamCredential
    ) async throws(UpstreamAccessError) -> UpstreamCredential {
        let key = owner + "\u{0}" + upstream
        let task = refreshes.withLock { tasks in
            if let running = tasks[key] { return running }
            let task = Task<UpstreamCredential, any Error> {
                defer { _ = self.refreshes.withLock { $0.removeValue(forKey: key) } }
                return try await work()
            }
            tasks[key] = task
            return task
        }
        do {
            return try await task.value
        } catch let error as UpstreamAccessError {
            throw error
        } catch {
            throw .unavailable(upstream: upstream, reason: "the refresh failed")
        }
    }

    /// Refreshes a user's tokens (the broker's single flight runs it).
    private func refresh(_ owner: String, _ settings: UpstreamAuthentication) async throws(UpstreamAccessError)
        -> UpstreamCredential
    {
        let upstream = settings.upstream
        // Another flight may have refreshed it while this one waited to start.
        guard var credential = try? vault.credential(subject: owner, upstream: upstream) else {
            throw .notConnected(upstream: upstream, link: link(owner, upstream))
        }
        if let reason = credential.needsReconnect {
            throw .reconnectNeeded(upstream: upstream, reason: reason, link: link(owner, upstream))
        }
        guard needsRefresh(credential, settings, owner) else { return credential }
        guard let refreshToken = credential.refreshToken, let clientID = credential.clientID,
            let issuer = credential.issuer
        else {
            return try markReconnect(
                &credential, owner, upstream, "the access token expired and there is no refresh token")
        }
        let server = try await authorizationServer(settings, challenge: nil)
        guard server.issuer == issuer else {
            return try markReconnect(&credential, owner, upstream, "the upstream moved to another authorization server")
        }
        let secret =
            (try? vault.registration(upstream: upstream, issuer: issuer))?["client_secret"]?.stringValue
            ?? (settings.clientID == clientID ? settings.clientSecret : nil)
        var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
        if settings.quirks.sendsResource { form.append(("resource", settings.url)) }
        let answer = await tokenRequest(
            server.tokenEndpoint, form: form, clientID: clientID, secret: secret, settings: settings,
            grant: "refresh_token")
        switch answer {
        case .success(let tokens):
            let now = clock.now()
            credential.secret = tokens.accessToken
            credential.refreshToken = tokens.refreshToken ?? refreshToken
            credential.expiresAt = tokens.expiresIn.map { now + $0 } ?? settings.quirks.assumedLifetime.map { now + $0 }
            credential.expiryAssumed = tokens.expiresIn == nil
            if !tokens.scopes.isEmpty { credential.scopes = tokens.scopes }
            do {
                try vault.store(credential, subject: owner, upstream: upstream)
            } catch {
                throw .unavailable(upstream: upstream, reason: "the refreshed tokens cannot be stored")
            }
            return credential
        case .failure(let error) where error.code == .invalidGrant || error.code == .invalidClient:
            return try markReconnect(
                &credential, owner, upstream, "the provider refused to refresh it: \(error.message)")
        case .failure(let error):
            throw .unavailable(upstream: upstream, reason: error.message)
        }
    }

    private func markReconnect(
        _ credential: inout UpstreamCredential, _ owner: String, _ upstream: String, _ reason: String
    ) throws(UpstreamAccessError) -> UpstreamCredential {
        credential.needsReconnect = reason
        try? vault.store(credential, subject: owner, upstream: upstream)
        throw .reconnectNeeded(upstream: upstream, reason: reason, link: link(owner, upstream))
    }

    /// The gateway's own token from the client credentials grant.
    private func clientCredentials(_ settings: UpstreamAuthentication) async throws(UpstreamAccessError)
        -> UpstreamCredential
    {
        let upstream = settings.upstream
        if let stored = try? vault.credential(subject: "", upstream: upstream), !needsRefresh(stored, settings, "") {
            return stored
        }
        guard let clientID = settings.clientID, let secret = settings.clientSecret else {
            throw .unavailable(upstream: upstream, reason: "the client credentials grant needs a client id and secret")
        }
        let server = try await authorizationServer(settings, challenge: nil)
        var form = [("grant_type", "client_credentials")]
        if let scopes = settings.scopes { form.append(("scope", scopes.joined(separator: " "))) }
        if settings.quirks.sendsResource { form.append(("resource", settings.url)) }
        switch await tokenRequest(
            server.tokenEndpoint, form: form, clientID: clientID, secret: secret, settings: settings,
            grant: "client_credentials")
        {
        case .success(let tokens):
            let now = clock.now()
            let credential = UpstreamCredential(
                kind: .oauth, secret: tokens.accessToken,
                expiresAt: tokens.expiresIn.map { now + $0 } ?? settings.quirks.assumedLifetime.map { now + $0 },
                expiryAssumed: tokens.expiresIn == nil, scopes: tokens.scopes, issuer: server.issuer, clientID: clientID
            )
            try? vault.store(credential, subject: "", upstream: upstream)
            return credential
        case .failure(let error):
            throw .unavailable(upstream: upstream, reason: error.message)
        }
    }

    /// One token request, read with every quirk in mind.
    func tokenRequest(
        _ endpoint: String, form: [(String, String)], clientID: String, secret: String?,
        settings: UpstreamAuthentication, grant: String, observe: (@Sendable (Int, String?, [UInt8]) -> Void)? = nil
    ) async -> Result<TokenAnswer.Tokens, OAuthError> {
        var fields = form
        var headers = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        if let secret, settings.quirks.clientAuthentication == .basic {
            let credentials = FormParameters.encode(clientID) + ":" + FormParameters.encode(secret)
            headers.append(("Authorization", "Basic " + Base64.encode(Array(credentials.utf8))))
        } else {
            fields.append(("client_id", clientID))
            if let secret { fields.append(("client_secret", secret)) }
        }
        let body = fields.map { FormParameters.encode($0.0) + "=" + FormParameters.encode($0.1) }.joined(separator: "&")
        counters.withLock { $0[settings.upstream + "\u{0}" + grant, default: 0] += 1 }
        let fetcher = GuardedFetcher(http: http, allowsInternalAddresses: settings.allowsInternalAddresses)
        do {
            let answer = try await fetcher.fetch(endpoint, method: "POST", headers: headers, body: Array(body.utf8))
            if answer.status >= 500 {
                return .failure(
                    OAuthError(.temporarilyUnavailable, "the token endpoint answered HTTP \(answer.status)"))
            }
            observe?(answer.status, answer.header("Content-Type"), answer.body)
            return TokenAnswer.read(
                status: answer.status, contentType: answer.header("Content-Type"), body: answer.body)
        } catch {
            return .failure(OAuthError(.temporarilyUnavailable, error.message))
        }
    }

    /// The upstream's authorization server, discovered once an hour at most.
    func authorizationServer(_ settings: UpstreamAuthentication, challenge: String?) async throws(UpstreamAccessError)
        -> UpstreamAuthorizationServer
    {
        let now = clock.now()
        if challenge == nil, let (cached, fetched) = servers.withLock({ $0[settings.upstream] }), now - fetched < 3600 {
            return cached
        }
        let discovery = UpstreamAuthorizationDiscovery(
            fetcher: GuardedFetcher(http: http, allowsInternalAddresses: settings.allowsInternalAddresses))
        let server: UpstreamAuthorizationServer
        do {
            server = try await discovery.discover(url: settings.url, challenge: challenge)
        } catch {
            throw .unavailable(upstream: settings.upstream, reason: error.message)
        }
        if let pinned = settings.issuer, UpstreamAuthorizationDiscovery.trimmed(pinned) != server.issuer {
            throw .unavailable(
                upstream: settings.upstream,
                reason: "it names the authorization server \(server.issuer), not the configured \(pinned)")
        }
        servers.withLock { $0[settings.upstream] = (server, now) }
        return server
    }
}

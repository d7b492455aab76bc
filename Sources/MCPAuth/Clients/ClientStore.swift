public import MCPCore
import MCPCrypto
import MCPStore
import Synchronization

/// The clients an authorization server knows, keyed by its issuer: pre-registered ones
/// from the configuration, dynamically registered ones from the store, and ones described
/// by a Client ID Metadata Document, fetched and cached.
public final class ClientStore: Sendable {
    private let store: AuthStore
    private let issuer: String
    private let configuration: AuthorizationServerConfiguration
    private let preregistered: [String: ClientRegistration]
    private let documents: ClientMetadataDocumentFetcher?
    private let clock: AuthClock
    private let registrations = Mutex<[String: (windowStart: Int64, count: Int)]>([:])

    /// Creates the store.
    ///
    /// - Parameters:
    ///   - store: where dynamic registrations live.
    ///   - configuration: the server's settings: issuer, registration policy, clients.
    ///   - documents: what fetches Client ID Metadata Documents, or `nil` to refuse URL
    ///     client ids.
    ///   - clock: the time source.
    public init(
        store: AuthStore, configuration: AuthorizationServerConfiguration,
        documents: ClientMetadataDocumentFetcher?, clock: AuthClock = .system
    ) {
        self.store = store
        self.issuer = configuration.issuer
        self.configuration = configuration
        self.preregistered = Dictionary(
            configuration.clients.map { ($0.clientID, $0) }, uniquingKeysWith: { first, _ in first })
        self.documents = configuration.metadataDocuments.isEnabled ? documents : nil
        self.clock = clock
    }

    /// The client with this id, or `nil` when there is none.
    ///
    /// - Throws: ``OAuthError`` when the id is a metadata document URL whose document
    ///   cannot be fetched or is not acceptable.
    public func client(_ clientID: String) async throws(OAuthError) -> ClientRegistration? {
        if let client = preregistered[clientID] { return client }
        if clientID.hasPrefix("https://") || clientID.hasPrefix("http://") {
            guard let documents else { return nil }
            return try await documents.registration(for: clientID)
        }
        let issuer = self.issuer
        let row = try? store.read { db in
            try db.query(
                sql: "SELECT metadata, secret_hash FROM clients WHERE issuer = ? AND client_id = ?",
                arguments: [issuer, clientID]
            ).first.map { row -> (String, [UInt8]?) in (try row.value(at: 0), try row.value(at: 1)) }
        }
        guard let (text, secretHash) = row ?? nil,
            let metadata = (try? JSONValue(parsing: text))?.objectValue
        else { return nil }
        return ClientRegistration(kind: .dynamic, metadata: metadata, secretHash: secretHash)
    }

    /// Registers a client (RFC 7591).
    ///
    /// - Parameters:
    ///   - request: the client metadata the client sent.
    ///   - from: the client's address, for the rate limit.
    /// - Returns: the registration and, for a confidential client, its secret (shown once).
    /// - Throws: ``OAuthError`` with `invalid_redirect_uri`, `invalid_client_metadata`, or
    ///   `temporarily_unavailable` past the rate limit or the client limit.
    public func register(_ request: JSONObject, from address: String) throws(OAuthError) -> (
        ClientRegistration, secret: String?
    ) {
        let policy = configuration.dynamicRegistration
        guard policy.isEnabled else {
            throw OAuthError(.accessDenied, "dynamic client registration is disabled", status: 403)
        }
        let registration = try Self.validate(request, configuration: configuration)
        try admit(address, limit: policy.registrationsPerMinute)
        var client = registration
        var secret: String?
        do {
            client.clientID = "mcp_" + Base64URL.encode(try SecureRandom.bytes(count: 16))
            if client.isConfidential {
                let value = Base64URL.encode(try SecureRandom.bytes(count: 32))
                secret = value
                client.secretHash = SHA256.hash(Array(value.utf8))
            }
        } catch {
            throw OAuthError(.serverError, "no random bytes for a client id")
        }
        let stored = client
        let issuer = self.issuer
        let now = clock.now()
        let written = try? store.write { db -> Bool in
            try Self.removeUnusedClients(in: db, issuer: issuer, now: now, lifetime: policy.unusedClientLifetime)
            let count: Int64 =
                try db.scalar(sql: "SELECT COUNT(*) FROM clients WHERE issuer = ?", arguments: [issuer]) ?? 0
            guard count < policy.maximumClients else { return false }
            try db.execute(
                sql: """
                    INSERT INTO clients (issuer, client_id, kind, secret_hash, metadata, created)
                    VALUES (?, ?, 'dynamic', ?, ?, ?)
                    """,
                arguments: [
                    issuer, stored.clientID, stored.secretHash,
                    String(decoding: JSONSerializer().serialize(.object(stored.metadata)), as: UTF8.self), now,
                ])
            return true
        }
        guard let admitted = written else { throw OAuthError(.serverError, "the client cannot be stored") }
        guard admitted else {
            throw OAuthError(.temporarilyUnavailable, "the server holds as many clients as it accepts")
        }
        return (client, secret)
    }

    /// Records that a dynamically registered client got a token, so that it is not removed
    /// as unused. Writes at most once an hour per client.
    public func recordUse(of client: ClientRegistration) {
        guard client.kind == .dynamic else { return }
        let issuer = self.issuer
        let now = clock.now()
        _ = try? store.write { db in
            try db.execute(
                sql: """
                    UPDATE clients SET last_used = ?
                    WHERE issuer = ? AND client_id = ? AND (last_used IS NULL OR last_used < ?)
                    """,
                arguments: [now, issuer, client.clientID, now - 3600])
        }
    }

    /// Removes the dynamically registered clients unused for longer than the registration
    /// policy's ``AuthorizationServerConfiguration/DynamicRegistration/unusedClientLifetime``
    /// and holding no live refresh token. Registration does this too, before it counts the
    /// clients against the limit.
    ///
    /// - Returns: how many clients were removed.
    @discardableResult
    public func removeUnusedClients() throws(AuthError) -> Int {
        let issuer = self.issuer
        let now = clock.now()
        let lifetime = configuration.dynamicRegistration.unusedClientLifetime
        return try store.write { db in
            try Self.removeUnusedClients(in: db, issuer: issuer, now: now, lifetime: lifetime)
        }
    }

    @discardableResult
    private static func removeUnusedClients(
        in db: DatabaseConnection, issuer: String, now: Int64, lifetime: Int64
    ) throws -> Int {
        try db.execute(
            sql: """
                DELETE FROM clients
                WHERE issuer = ? AND kind = 'dynamic' AND COALESCE(last_used, created) < ?
                AND NOT EXISTS (
                    SELECT 1 FROM refresh_tokens AS token
                    WHERE token.issuer = clients.issuer AND token.client_id = clients.client_id
                    AND token.revoked = 0 AND token.used IS NULL AND token.expires > ? AND token.family_expires > ?
                )
                """,
            arguments: [issuer, now - lifetime, now, now])
        return db.changes
    }

    /// Checks a client's secret in constant time.
    public static func isValidSecret(_ secret: String, for client: ClientRegistration) -> Bool {
        guard let hash = client.secretHash else { return false }
        return ConstantTime.isEqual(SHA256.hash(Array(secret.utf8)), hash)
    }

    private func admit(_ address: String, limit: Int) throws(OAuthError) {
        let now = clock.now()
        let admitted = registrations.withLock { table -> Bool in
            if table.count > 10_000 { table = table.filter { now - $0.value.windowStart < 60 } }
            var entry = table[address] ?? (now, 0)
            if now - entry.windowStart >= 60 { entry = (now, 0) }
            guard entry.count < limit else { return false }
            entry.count += 1
            table[address] = entry
            return true
        }
        guard admitted else {
            throw OAuthError(
                .temporarilyUnavailable, "too many registrations from this address; try again later", status: 429)
        }
    }

    /// Checks registration metadata (RFC 7591 §2) and builds the registration, without an id.
    static func validate(_ request: JSONObject, configuration: AuthorizationServerConfiguration) throws(OAuthError)
        -> ClientRegistration
    {
        guard let redirects = request["redirect_uris"]?.arrayValue, !redirects.isEmpty, redirects.count <= 10 else {
            throw OAuthError(.invalidRedirectURI, "redirect_uris is an array of 1 to 10 URIs")
        }
        var uris: [String] = []
        for value in redirects {
            guard let uri = value.stringValue else {
                throw OAuthError(.invalidRedirectURI, "a redirect URI is a string")
            }
            if let problem = RedirectURI.problem(with: uri) { throw OAuthError(.invalidRedirectURI, problem) }
            uris.append(uri)
        }
        let methodName = request["token_endpoint_auth_method"]?.stringValue ?? "client_secret_basic"
        guard let method = ClientRegistration.AuthenticationMethod(rawValue: methodName) else {
            throw OAuthError(.invalidClientMetadata, "token_endpoint_auth_method \(methodName) is not supported")
        }
        if method != .none, !configuration.dynamicRegistration.allowsConfidentialClients {
            throw OAuthError(
                .invalidClientMetadata, "only public clients (token_endpoint_auth_method none) may register")
        }
        let grants = try strings(request["grant_types"], "grant_types") ?? ["authorization_code"]
        guard !grants.isEmpty, grants.allSatisfy({ $0 == "authorization_code" || $0 == "refresh_token" }) else {
            throw OAuthError(.invalidClientMetadata, "grant_types may hold authorization_code and refresh_token only")
        }
        let responses = try strings(request["response_types"], "response_types") ?? ["code"]
        guard responses == ["code"] else {
            throw OAuthError(.invalidClientMetadata, "response_types may hold code only")
        }
        var scopes: [String]?
        if let scope = request["scope"] {
            guard let text = scope.stringValue else { throw OAuthError(.invalidClientMetadata, "scope is a string") }
            let list = text.split(separator: " ").map(String.init)
            guard list.allSatisfy(configuration.scopesSupported.contains) else {
                throw OAuthError(.invalidClientMetadata, "scope names a scope this server does not support")
            }
            scopes = list
        }
        var name = "Unnamed client"
        if let value = request["client_name"] {
            guard let text = value.stringValue, (1...200).contains(text.count) else {
                throw OAuthError(.invalidClientMetadata, "client_name is a string of 1 to 200 characters")
            }
            name = text
        }
        var clientURI: String?
        if let value = request["client_uri"] {
            guard let text = value.stringValue, text.hasPrefix("https://"), text.count <= RedirectURI.maximumLength,
                RedirectURI.parse(text) != nil
            else { throw OAuthError(.invalidClientMetadata, "client_uri is an https URL") }
            clientURI = text
        }
        return ClientRegistration(
            clientID: "", kind: .dynamic, name: name, redirectURIs: uris, authenticationMethod: method,
            grantTypes: grants, scopes: scopes, clientURI: clientURI)
    }

    private static func strings(_ value: JSONValue?, _ name: String) throws(OAuthError) -> [String]? {
        guard let value else { return nil }
        guard let array = value.arrayValue, array.count <= 10 else {
            throw OAuthError(.invalidClientMetadata, "\(name) is an array of strings")
        }
        var result: [String] = []
        for item in array {
            guard let text = item.stringValue else {
                throw OAuthError(.invalidClientMetadata, "\(name) is an array of strings")
            }
            result.append(text)
        }
        return result
    }
}

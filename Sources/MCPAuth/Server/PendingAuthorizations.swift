import MCPCrypto
import Synchronization

/// A checked authorization request: everything the code will be bound to.
struct AuthorizationRequest: Sendable {
    var client: ClientRegistration
    var redirectURI: String
    var state: String
    var codeChallenge: String
    var scopes: [String]
    var resource: String
    var nonce: String?
}

/// Sign-ins under way and codes issued, in memory, bounded in count and time.
///
/// A sign-in is known by an unguessable id carried in the page's form (never in a cookie),
/// and each step replaces it with a fresh one, so a form can be posted once. A code is
/// redeemed once; a second redemption is refused and revokes what the first one issued.
final class PendingAuthorizations: Sendable {
    struct Pending: Sendable {
        var request: AuthorizationRequest
        var created: Int64
        var user: User?
        var attempts: Int
        /// The client address that started it, for the per-address quota.
        var address: String = ""
    }

    struct IssuedCode: Sendable {
        var request: AuthorizationRequest
        var user: User
        var created: Int64
        var redeemed: Bool
        /// The grant its redemption issues tokens under, set with `redeemed` in one step.
        var family: String?
        /// Set when the code was presented again after its redemption.
        var replayed = false
    }

    /// A sign-in sent to an external provider, waiting for its callback.
    struct FederatedAttempt: Sendable {
        var pending: Pending
        var provider: String
        var verifier: String
        var nonce: String
        var created: Int64
    }

    private let pending = Mutex<[String: Pending]>([:])
    private let federated = Mutex<[String: FederatedAttempt]>([:])
    private let codes = Mutex<[[UInt8]: IssuedCode]>([:])
    private let configuration: AuthorizationServerConfiguration
    private let clock: AuthClock

    init(configuration: AuthorizationServerConfiguration, clock: AuthClock) {
        self.configuration = configuration
        self.clock = clock
    }

    /// Starts a sign-in.
    ///
    /// - Returns: the id for the page's form.
    func start(_ request: AuthorizationRequest, from address: String) throws(OAuthError) -> String {
        let id = try Self.newID()
        let now = clock.now()
        // One address cannot hold more than its share of the table (which would shut everyone
        // else out of signing in).
        let lifetime = configuration.authorizationRequestLifetime
        let held = pending.withLock { table in
            table.values.lazy.filter { $0.address == address && now - $0.created < lifetime }.count
        }
        guard held < configuration.maximumPendingAuthorizationsPerAddress else {
            throw OAuthError(
                .temporarilyUnavailable, "too many sign-ins are under way from this address; try again later")
        }
        try Self.admit(
            Pending(request: request, created: now, user: nil, attempts: 0, address: address), as: id, into: pending,
            now: now, configuration: configuration, created: \Pending.created)
        return id
    }

    /// Adds an entry to a bounded table, first dropping expired entries when it is full.
    ///
    /// - Throws: ``OAuthError`` with `temporarily_unavailable` when it is full of live ones.
    private static func admit<Entry: Sendable>(
        _ entry: Entry, as key: String, into table: borrowing Mutex<[String: Entry]>, now: Int64,
        configuration: AuthorizationServerConfiguration, created: KeyPath<Entry, Int64>
    ) throws(OAuthError) {
        let lifetime = configuration.authorizationRequestLifetime
        let limit = configuration.maximumPendingAuthorizations
        let admitted = table.withLock { entries -> Bool in
            if entries.count >= limit {
                entries = entries.filter { now - $0.value[keyPath: created] < lifetime }
                guard entries.count < limit else { return false }
            }
            entries[key] = entry
            return true
        }
        guard admitted else {
            throw OAuthError(.temporarilyUnavailable, "too many sign-ins are under way; try again later")
        }
    }

    /// Takes an entry out of a table, if it has not outlived the request lifetime.
    private static func take<Entry: Sendable>(
        _ key: String, from table: borrowing Mutex<[String: Entry]>, now: Int64,
        configuration: AuthorizationServerConfiguration, created: KeyPath<Entry, Int64>
    ) -> Entry? {
        let lifetime = configuration.authorizationRequestLifetime
        return table.withLock { entries in
            guard let entry = entries.removeValue(forKey: key), now - entry[keyPath: created] < lifetime else {
                return nil
            }
            return entry
        }
    }

    /// Takes a sign-in out of the table (each step posts once).
    func take(_ id: String) -> Pending? {
        Self.take(id, from: pending, now: clock.now(), configuration: configuration, created: \Pending.created)
    }

    /// Puts a sign-in back under a new id, for its next step.
    func resume(_ entry: Pending) throws(OAuthError) -> String {
        let id = try Self.newID()
        pending.withLock { $0[id] = entry }
        return id
    }

    /// Records a sign-in sent to a provider, under a fresh `state`.
    func startFederation(_ entry: Pending, provider: String, verifier: String, nonce: String) throws(OAuthError)
        -> String
    {
        let state = try Self.newID()
        let now = clock.now()
        try Self.admit(
            FederatedAttempt(pending: entry, provider: provider, verifier: verifier, nonce: nonce, created: now),
            as: state, into: federated, now: now, configuration: configuration, created: \FederatedAttempt.created)
        return state
    }

    /// Takes the sign-in a provider's callback `state` belongs to (each state is used once).
    func takeFederation(_ state: String) -> FederatedAttempt? {
        Self.take(
            state, from: federated, now: clock.now(), configuration: configuration, created: \FederatedAttempt.created)
    }

    /// Issues a code for a consented request.
    func issueCode(_ request: AuthorizationRequest, user: User) throws(OAuthError) -> String {
        let code = try Self.newID()
        let now = clock.now()
        let lifetime = configuration.authorizationCodeLifetime
        codes.withLock { table in
            if table.count >= configuration.maximumPendingAuthorizations {
                // Keep redeemed codes until they expire, so a replay is still recognized.
                table = table.filter { now - $0.value.created < lifetime }
            }
            table[Self.key(code)] = IssuedCode(request: request, user: user, created: now, redeemed: false)
        }
        return code
    }

    /// Marks a code redeemed and returns what it was issued for, provided `check` finds
    /// nothing wrong with the redemption; a refused redemption leaves the code as it was.
    func redeem(_ code: String, family: String, check: (IssuedCode) -> OAuthError?) -> Result<IssuedCode, OAuthError> {
        let now = clock.now()
        let lifetime = configuration.authorizationCodeLifetime
        return codes.withLock { table in
            let key = Self.key(code)
            guard var entry = table[key] else {
                return .failure(OAuthError(.invalidGrant, "the authorization code is not valid"))
            }
            if entry.redeemed {
                entry.replayed = true
                table[key] = entry
                return .success(entry)
            }
            guard now - entry.created < lifetime else {
                table[key] = nil
                return .failure(OAuthError(.invalidGrant, "the authorization code has expired"))
            }
            if let error = check(entry) { return .failure(error) }
            entry.redeemed = true
            entry.family = family
            table[key] = entry
            entry.redeemed = false
            return .success(entry)
        }
    }

    /// Whether a code was presented again after its redemption.
    func wasReplayed(_ code: String) -> Bool {
        codes.withLock { $0[Self.key(code)]?.replayed ?? false }
    }

    private static func key(_ code: String) -> [UInt8] { SHA256.hash(Array(code.utf8)) }

    static func newID() throws(OAuthError) -> String {
        do {
            return Base64URL.encode(try SecureRandom.bytes(count: 32))
        } catch {
            throw OAuthError(.serverError, "no random bytes")
        }
    }
}

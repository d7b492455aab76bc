public import MCPCrypto
import MCPStore
import Synchronization

/// The authorization server's ES256 signing keys: one current key that signs new tokens,
/// and the keys it replaced, still published at the JWKS endpoint until every token they
/// signed has expired.
///
/// Private keys are stored sealed with the ``MasterKey`` (authenticated with their key
/// id), so a copy of the database alone signs nothing, and an altered row is refused
/// rather than loaded as some other key. A key's id is its RFC 7638 thumbprint.
public final class SigningKeyRing: Sendable {
    private struct State {
        var currentID: String
        var current: P256.PrivateKey
        var published: [String: P256.PublicKey]
        var currentCreated: Int64
    }

    private let store: AuthStore
    private let masterKey: MasterKey
    private let clock: AuthClock
    /// How long a replaced key stays published, in seconds: at least the longest access
    /// token lifetime.
    public let retention: Int64
    private let state: Mutex<State>

    /// Loads the keys, creating the first one when there is none.
    ///
    /// - Parameters:
    ///   - store: where the sealed keys are.
    ///   - masterKey: the key that seals them.
    ///   - retention: how long a replaced key stays published, in seconds.
    ///   - clock: the time source.
    /// - Throws: ``AuthError`` with ``AuthError/Code/tamperedSecret`` when a stored key
    ///   does not open with `masterKey` (altered, or sealed with another master key).
    public init(store: AuthStore, masterKey: MasterKey, retention: Int64 = 86_400, clock: AuthClock = .system)
        throws(AuthError)
    {
        self.store = store
        self.masterKey = masterKey
        self.retention = retention
        self.clock = clock
        let loaded = try Self.load(store: store, masterKey: masterKey, now: clock.now())
        if let loaded {
            state = Mutex(loaded)
        } else {
            let created = try Self.create(store: store, masterKey: masterKey, now: clock.now(), retireOthersAt: nil)
            state = Mutex(created)
        }
    }

    /// The key that signs new tokens, and its id.
    public var current: (keyID: String, key: P256.PrivateKey) {
        state.withLock { ($0.currentID, $0.current) }
    }

    /// When the current key was created, in seconds since 1970.
    public var currentCreated: Int64 { state.withLock { $0.currentCreated } }

    /// The published public key with this id.
    public func publicKey(_ keyID: String) -> P256.PublicKey? {
        state.withLock { $0.published[keyID] }
    }

    /// The published keys, as the JWKS endpoint serves them.
    public var keySet: JSONWebKeySet {
        let keys = state.withLock { $0.published }
        return JSONWebKeySet(
            keys: keys.sorted { $0.key < $1.key }.map { JSONWebKey(keyID: $0.key, publicKey: $0.value) })
    }

    /// Makes a new current key; the replaced one stays published for ``retention``.
    ///
    /// - Returns: the new key's id.
    @discardableResult
    public func rotate() throws(AuthError) -> String {
        let now = clock.now()
        let created = try Self.create(store: store, masterKey: masterKey, now: now, retireOthersAt: now + retention)
        let refreshed = try Self.load(store: store, masterKey: masterKey, now: now) ?? created
        state.withLock { $0 = refreshed }
        return created.currentID
    }

    /// Rotates when the current key is older than `age` seconds.
    ///
    /// - Returns: whether a new key was made.
    @discardableResult
    public func rotateIfOlder(than age: Int64) throws(AuthError) -> Bool {
        guard clock.now() - currentCreated >= age else { return false }
        try rotate()
        return true
    }

    /// Seals every stored key again with `newKey`, for a master key rotation. The ring
    /// must then be opened with the new key.
    ///
    /// - Returns: how many keys were sealed again.
    @discardableResult
    public func reseal(with newKey: MasterKey) throws(AuthError) -> Int {
        let masterKey = self.masterKey
        return try store.write { db in
            let rows = try db.query(sql: "SELECT kid, sealed FROM signing_keys")
            for row in rows {
                let kid: String = try row.value(at: 0)
                let sealed: [UInt8] = try row.value(at: 1)
                let plain = try masterKey.open(sealed, context: Self.context(kid))
                try db.execute(
                    sql: "UPDATE signing_keys SET sealed = ?, master_key_id = ? WHERE kid = ?",
                    arguments: [try newKey.seal(plain, context: Self.context(kid)), newKey.keyID, kid])
            }
            return rows.count
        }
    }

    private static func context(_ kid: String) -> String { "signing-key:" + kid }

    private static func create(store: AuthStore, masterKey: MasterKey, now: Int64, retireOthersAt: Int64?)
        throws(AuthError) -> State
    {
        let key: P256.PrivateKey
        let sealed: [UInt8]
        let kid: String
        do {
            key = try P256.PrivateKey()
            kid = JSONWebKey.thumbprint(of: key.publicKey)
            sealed = try masterKey.seal(key.rawRepresentation, context: context(kid))
        } catch {
            throw AuthError(.storeFailure, "a signing key cannot be made: \(error)")
        }
        try store.write { db in
            if let retireOthersAt {
                try db.execute(
                    sql: "UPDATE signing_keys SET retired = ? WHERE retired IS NULL", arguments: [retireOthersAt])
            }
            try db.execute(
                sql: """
                    INSERT INTO signing_keys (kid, master_key_id, sealed, public_key, created) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [kid, masterKey.keyID, sealed, key.publicKey.x963Representation, now])
        }
        return State(currentID: kid, current: key, published: [kid: key.publicKey], currentCreated: now)
    }

    private static func load(store: AuthStore, masterKey: MasterKey, now: Int64) throws(AuthError) -> State? {
        let rows = try store.read { db in
            try db.query(
                sql: """
                    SELECT kid, sealed, public_key, created, retired FROM signing_keys
                    WHERE retired IS NULL OR retired > ? ORDER BY created DESC, rowid DESC
                    """, arguments: [now]
            ).map { row -> (String, [UInt8], [UInt8], Int64, Int64?) in
                (
                    try row.value(at: 0), try row.value(at: 1), try row.value(at: 2), try row.value(at: 3),
                    try row.value(at: 4)
                )
            }
        }
        var published: [String: P256.PublicKey] = [:]
        var current: (String, P256.PrivateKey, Int64)?
        for (kid, sealed, publicBytes, created, retired) in rows {
            guard let publicKey = try? P256.PublicKey(x963Representation: publicBytes),
                JSONWebKey.thumbprint(of: publicKey) == kid
            else { throw AuthError(.tamperedSecret, "the signing key \(kid) was altered") }
            published[kid] = publicKey
            if current == nil, retired == nil {
                let raw = try masterKey.open(sealed, context: context(kid))
                guard let key = try? P256.PrivateKey(rawRepresentation: raw), key.publicKey == publicKey else {
                    throw AuthError(.tamperedSecret, "the signing key \(kid) does not match its public key")
                }
                current = (kid, key, created)
            }
        }
        guard let current else { return nil }
        return State(currentID: current.0, current: current.1, published: published, currentCreated: current.2)
    }
}

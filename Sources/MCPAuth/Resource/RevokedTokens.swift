import MCPStore
import Synchronization

/// The ids of access tokens (`jti`) and of grants (`sid`) revoked before their tokens
/// expired, kept until those would have expired anyway; read from memory on every request,
/// written through to the store.
public final class RevokedTokens: Sendable {
    private let store: AuthStore?
    private let clock: AuthClock
    private let revoked: Mutex<[String: Int64]>

    /// Loads the revoked ids that have not expired.
    ///
    /// - Parameters:
    ///   - store: where revocations persist, or `nil` to keep them in memory only.
    ///   - clock: the time source.
    public init(store: AuthStore?, clock: AuthClock = .system) throws(AuthError) {
        self.store = store
        self.clock = clock
        var loaded: [String: Int64] = [:]
        if let store {
            let now = clock.now()
            loaded = try store.write { db in
                try db.execute(sql: "DELETE FROM revoked_access_tokens WHERE expires <= ?", arguments: [now])
                var ids: [String: Int64] = [:]
                for row in try db.query(sql: "SELECT jti, expires FROM revoked_access_tokens") {
                    ids[try row.value(at: 0)] = try row.value(at: 1)
                }
                return ids
            }
        }
        revoked = Mutex(loaded)
    }

    /// Whether the token id was revoked.
    public func isRevoked(_ tokenID: String) -> Bool {
        revoked.withLock { $0[tokenID] != nil }
    }

    /// Whether the token, or the grant it was issued under, was revoked.
    public func isRevoked(_ principal: Principal) -> Bool {
        revoked.withLock { ids in
            guard !ids.isEmpty else { return false }
            return ids[principal.tokenID] != nil || principal.grantID.map { ids[$0] != nil } ?? false
        }
    }

    /// Revokes a token id (or a grant id) until `expires`.
    public func revoke(_ tokenID: String, expires: Int64) throws(AuthError) {
        let now = clock.now()
        revoked.withLock { ids in
            if ids.count > 1024 { ids = ids.filter { $0.value > now } }
            ids[tokenID] = expires
        }
        try store?.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO revoked_access_tokens (jti, expires) VALUES (?, ?)",
                arguments: [tokenID, expires])
        }
    }
}

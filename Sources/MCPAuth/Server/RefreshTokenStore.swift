import MCPCrypto
import MCPStore

/// What a refresh token stands for: one user's grant to one client for one resource.
struct RefreshGrant: Sendable, Hashable {
    /// The chain of tokens rotated from one sign-in.
    var family: String
    var clientID: String
    var username: String
    var scopes: [String]
    var resource: String
    /// When the whole family ends, whatever its rotations.
    var familyExpires: Int64
}

/// Opaque refresh tokens, stored only as SHA-256 hashes, rotated on every use.
///
/// Each use marks the token used and issues its successor in the same family, in one
/// transaction. A used token presented again means it was copied: the whole family is
/// revoked, so neither the thief's nor the user's copy works any more (OAuth 2.1 §4.3.1).
struct RefreshTokenStore: Sendable {
    enum Redemption {
        case rotated(RefreshGrant, newToken: String, expires: Int64)
        case refused(OAuthError)
        /// A used token came back: its family is now revoked.
        case replayed(family: String)
    }

    let store: AuthStore
    let issuer: String
    let lifetime: Int64
    let clock: AuthClock

    /// Issues the first token of a new family, or the next of `grant.family`.
    func issue(_ grant: RefreshGrant) throws(OAuthError) -> String {
        let token = try Self.newToken()
        let now = clock.now()
        let expires = min(now + lifetime, grant.familyExpires)
        do {
            try store.write { db in try insert(token, grant, now: now, expires: expires, db) }
        } catch {
            throw OAuthError(.serverError, "the refresh token cannot be stored")
        }
        return token
    }

    /// Redeems a token for its successor.
    ///
    /// - Parameters:
    ///   - token: the presented refresh token.
    ///   - clientID: the authenticated client; a token of another client is refused.
    ///   - rotate: whether to issue a successor (always, for this server).
    func redeem(_ token: String, clientID: String) -> Redemption {
        let hash = SHA256.hash(Array(token.utf8))
        let now = clock.now()
        do {
            let newToken = try Self.newToken()
            return try store.write { db -> Redemption in
                guard
                    let row = try db.query(
                        sql: """
                            SELECT family, client_id, username, scope, resource, expires, family_expires, used, revoked
                            FROM refresh_tokens WHERE hash = ? AND issuer = ?
                            """, arguments: [hash, issuer]
                    ).first
                else { return .refused(OAuthError(.invalidGrant, "the refresh token is not valid")) }
                let grant = RefreshGrant(
                    family: try row.value(at: 0), clientID: try row.value(at: 1), username: try row.value(at: 2),
                    scopes: (try row.value(at: 3) as String).split(separator: " ").map(String.init),
                    resource: try row.value(at: 4), familyExpires: try row.value(at: 6))
                let expires: Int64 = try row.value(at: 5)
                let used: Int64? = try row.value(at: 7)
                let revoked: Bool = try row.value(at: 8)
                guard grant.clientID == clientID else {
                    return .refused(OAuthError(.invalidGrant, "the refresh token was issued to another client"))
                }
                guard !revoked else { return .refused(OAuthError(.invalidGrant, "the refresh token was revoked")) }
                if used != nil {
                    try db.execute(
                        sql: "UPDATE refresh_tokens SET revoked = 1 WHERE family = ?", arguments: [grant.family])
                    return .replayed(family: grant.family)
                }
                guard expires > now else { return .refused(OAuthError(.invalidGrant, "the refresh token has expired")) }
                try db.execute(sql: "UPDATE refresh_tokens SET used = ? WHERE hash = ?", arguments: [now, hash])
                let nextExpires = min(now + lifetime, grant.familyExpires)
                try insert(newToken, grant, now: now, expires: nextExpires, db)
                return .rotated(grant, newToken: newToken, expires: nextExpires)
            }
        } catch {
            return .refused(OAuthError(.serverError, "the refresh token cannot be redeemed"))
        }
    }

    /// Revokes the family of a token, when the token belongs to `clientID`.
    ///
    /// - Returns: the family revoked, or `nil` when the token is unknown or belongs to
    ///   another client.
    func revokeFamily(of token: String, clientID: String) throws(OAuthError) -> String? {
        let hash = SHA256.hash(Array(token.utf8))
        do {
            return try store.write { db -> String? in
                guard
                    let row = try db.query(
                        sql: "SELECT family, client_id FROM refresh_tokens WHERE hash = ? AND issuer = ?",
                        arguments: [hash, issuer]
                    ).first
                else { return nil }
                guard (try row.value(at: 1) as String) == clientID else { return nil }
                let family: String = try row.value(at: 0)
                try db.execute(sql: "UPDATE refresh_tokens SET revoked = 1 WHERE family = ?", arguments: [family])
                return family
            }
        } catch {
            throw OAuthError(.serverError, "the refresh token cannot be revoked")
        }
    }

    /// Revokes a whole family (a replayed authorization code, a deleted user).
    func revokeFamily(_ family: String) {
        _ = try? store.write { db in
            try db.execute(sql: "UPDATE refresh_tokens SET revoked = 1 WHERE family = ?", arguments: [family])
        }
    }

    /// The grant of an active token, for introspection.
    func active(_ token: String) -> (RefreshGrant, expires: Int64)? {
        let hash = SHA256.hash(Array(token.utf8))
        let now = clock.now()
        return try? store.read { db in
            try db.query(
                sql: """
                    SELECT family, client_id, username, scope, resource, expires, family_expires FROM refresh_tokens
                    WHERE hash = ? AND issuer = ? AND used IS NULL AND revoked = 0 AND expires > ?
                    """, arguments: [hash, issuer, now]
            ).first.map { row in
                (
                    RefreshGrant(
                        family: try row.value(at: 0), clientID: try row.value(at: 1), username: try row.value(at: 2),
                        scopes: (try row.value(at: 3) as String).split(separator: " ").map(String.init),
                        resource: try row.value(at: 4), familyExpires: try row.value(at: 6)),
                    try row.value(at: 5)
                )
            }
        } ?? nil
    }

    /// Deletes tokens that have expired or were used or revoked long ago.
    func purge() {
        let now = clock.now()
        _ = try? store.write { db in
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE family_expires <= ?", arguments: [now])
        }
    }

    private func insert(_ token: String, _ grant: RefreshGrant, now: Int64, expires: Int64, _ db: DatabaseConnection)
        throws
    {
        try db.execute(
            sql: """
                INSERT INTO refresh_tokens (hash, family, issuer, client_id, username, scope, resource, created,
                    expires, family_expires)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                SHA256.hash(Array(token.utf8)), grant.family, issuer, grant.clientID, grant.username,
                grant.scopes.joined(separator: " "), grant.resource, now, expires, grant.familyExpires,
            ])
    }

    static func newToken() throws(OAuthError) -> String {
        do {
            return "mcprt_" + Base64URL.encode(try SecureRandom.bytes(count: 32))
        } catch {
            throw OAuthError(.serverError, "no random bytes for a token")
        }
    }
}

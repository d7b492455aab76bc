import Foundation
public import MCPCrypto
import MCPStore
import Synchronization

/// The identity graph: organizations, their teams and users, and who belongs to which
/// team, kept in an ``AuthStore``.
///
/// A user belongs to one organization and may join only that organization's teams, so a
/// token, a policy decision or a listing for one organization never names another's
/// members.
public struct IdentityStore: Sendable {
    let store: AuthStore
    /// The cost of new password hashes.
    public var passwordParameters: Scrypt.Parameters
    /// The longest password accepted, in bytes.
    public static let maximumPasswordLength = 1024

    /// Creates the identity store over `store`.
    public init(store: AuthStore, passwordParameters: Scrypt.Parameters = .default) {
        self.store = store
        self.passwordParameters = passwordParameters
    }

    // MARK: Organizations

    /// Creates an organization.
    ///
    /// - Throws: ``AuthError`` (``AuthError/Code/alreadyExists``, ``AuthError/Code/invalidValue``).
    public func createOrganization(_ organization: Organization) throws(AuthError) {
        try IdentityName.check(organization.name, "organization")
        try store.write { db in
            try db.execute(
                sql: "INSERT INTO organizations (name, display_name, created) VALUES (?, ?, ?)",
                arguments: [organization.name, organization.displayName, Self.now()])
        }
    }

    /// Every organization, by name.
    public func organizations() throws(AuthError) -> [Organization] {
        try store.read { db in
            try db.query(sql: "SELECT name, display_name FROM organizations ORDER BY name").map { row in
                Organization(name: try row.value(at: 0), displayName: try row.value(at: 1))
            }
        }
    }

    // MARK: Teams

    /// Creates a team in an existing organization.
    ///
    /// - Throws: ``AuthError`` (``AuthError/Code/notFound`` for the organization,
    ///   ``AuthError/Code/alreadyExists``).
    public func createTeam(_ team: Team) throws(AuthError) {
        try IdentityName.check(team.name, "team")
        try store.write { db in
            try Self.requireOrganization(team.organization, db)
            try db.execute(
                sql: "INSERT INTO teams (organization, name, created) VALUES (?, ?, ?)",
                arguments: [team.organization, team.name, Self.now()])
        }
    }

    /// The teams of one organization, by name.
    public func teams(in organization: String) throws(AuthError) -> [Team] {
        try store.read { db in
            try db.query(sql: "SELECT name FROM teams WHERE organization = ? ORDER BY name", arguments: [organization])
                .map { row in Team(organization: organization, name: try row.value(at: 0)) }
        }
    }

    /// Adds a user to a team of the user's own organization.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/notFound`` when the user or the team
    ///   does not exist in that organization.
    public func addMember(_ username: String, to team: Team) throws(AuthError) {
        try store.write { db in
            guard let organization = try Self.organization(ofUser: username, db), organization == team.organization
            else { throw AuthError(.notFound, "no user \(username) in organization \(team.organization)") }
            guard
                try !db.query(
                    sql: "SELECT 1 FROM teams WHERE organization = ? AND name = ?",
                    arguments: [team.organization, team.name]
                ).isEmpty
            else { throw AuthError(.notFound, "no team \(team.name) in organization \(team.organization)") }
            try db.execute(
                sql: "INSERT OR IGNORE INTO memberships (organization, team, username) VALUES (?, ?, ?)",
                arguments: [team.organization, team.name, username])
        }
    }

    /// Removes a user from a team.
    public func removeMember(_ username: String, from team: Team) throws(AuthError) {
        try store.write { db in
            try db.execute(
                sql: "DELETE FROM memberships WHERE organization = ? AND team = ? AND username = ?",
                arguments: [team.organization, team.name, username])
        }
    }

    // MARK: Users

    /// Creates a user, with a local password or none (a user who signs in through an
    /// external provider).
    ///
    /// - Throws: ``AuthError`` (``AuthError/Code/notFound`` for the organization,
    ///   ``AuthError/Code/alreadyExists``, ``AuthError/Code/invalidValue`` for a bad name
    ///   or password).
    public func createUser(_ user: User, password: String?) throws(AuthError) {
        try IdentityName.check(user.username, "user")
        let hash = try password.map { (password) throws(AuthError) in try hashPassword(password) }
        try store.write { db in
            try Self.requireOrganization(user.organization, db)
            try db.execute(
                sql: """
                    INSERT INTO users (username, organization, display_name, email, password_hash,
                        external_issuer, external_subject, disabled, created)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    user.username, user.organization, user.displayName, user.email, hash, user.external?.issuer,
                    user.external?.subject, user.isDisabled, Self.now(),
                ])
        }
    }

    /// Replaces a user's password.
    public func setPassword(_ password: String, of username: String) throws(AuthError) {
        let hash = try hashPassword(password)
        try store.write { db in
            try db.execute(sql: "UPDATE users SET password_hash = ? WHERE username = ?", arguments: [hash, username])
            guard db.changes > 0 else { throw AuthError(.notFound, "no user \(username)") }
        }
    }

    /// Refuses or allows a user's sign-in.
    public func setDisabled(_ disabled: Bool, username: String) throws(AuthError) {
        try store.write { db in
            try db.execute(sql: "UPDATE users SET disabled = ? WHERE username = ?", arguments: [disabled, username])
            guard db.changes > 0 else { throw AuthError(.notFound, "no user \(username)") }
        }
    }

    /// Deletes a user and the user's memberships and refresh tokens.
    public func deleteUser(_ username: String) throws(AuthError) {
        try store.write { db in
            try db.execute(sql: "DELETE FROM refresh_tokens WHERE username = ?", arguments: [username])
            try db.execute(sql: "DELETE FROM users WHERE username = ?", arguments: [username])
            guard db.changes > 0 else { throw AuthError(.notFound, "no user \(username)") }
        }
    }

    /// A user, with the user's teams.
    public func user(_ username: String) throws(AuthError) -> User? {
        try store.read { db in try Self.user(where: "username = ?", [username], db).first }
    }

    /// The user an external provider knows by `subject`.
    public func user(issuer: String, subject: String) throws(AuthError) -> User? {
        try store.read { db in
            try Self.user(where: "external_issuer = ? AND external_subject = ?", [issuer, subject], db).first
        }
    }

    /// The users of one organization, by name.
    public func users(in organization: String) throws(AuthError) -> [User] {
        try store.read { db in try Self.user(where: "organization = ?", [organization], db) }
    }

    /// Whether a user signs in with a local password (not only through a provider).
    public func hasPassword(_ username: String) throws(AuthError) -> Bool {
        try store.read { db in
            try db.query(
                sql: "SELECT 1 FROM users WHERE username = ? AND password_hash IS NOT NULL", arguments: [username]
            ).isEmpty == false
        }
    }

    /// Checks a local user's password.
    ///
    /// The same work is done whether the user exists or not, so the answer's timing does
    /// not tell which usernames exist.
    ///
    /// - Returns: the user, or `nil` when the name, the password or the account is not
    ///   good for a sign-in.
    public func authenticate(username: String, password: String) throws(AuthError) -> User? {
        let stored = try store.read { db in
            try db.query(
                sql: "SELECT password_hash, disabled FROM users WHERE username = ?", arguments: [username]
            ).first.map { row -> (String?, Bool) in (try row.value(at: 0), try row.value(at: 1)) }
        }
        guard password.utf8.count <= Self.maximumPasswordLength else { return nil }
        guard let (hash, disabled) = stored, let hash else {
            _ = PasswordHash.verify(Array(password.utf8), against: Self.decoyHash)
            return nil
        }
        guard PasswordHash.verify(Array(password.utf8), against: hash), !disabled else { return nil }
        return try user(username)
    }

    /// A hash to check against when there is no user, so a missing user costs as much as
    /// a wrong password.
    private static let decoyHash: String =
        (try? PasswordHash(hashing: Array("decoy".utf8)).encoded)
        ?? "$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

    private func hashPassword(_ password: String) throws(AuthError) -> String {
        guard (8...Self.maximumPasswordLength).contains(password.utf8.count) else {
            throw AuthError(.invalidValue, "a password is 8 to \(Self.maximumPasswordLength) bytes")
        }
        do {
            return try PasswordHash(hashing: Array(password.utf8), parameters: passwordParameters).encoded
        } catch {
            throw AuthError(.storeFailure, "the password cannot be hashed: \(error)")
        }
    }

    // MARK: Rows

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970) }

    private static func requireOrganization(_ name: String, _ db: DatabaseConnection) throws {
        guard try !db.query(sql: "SELECT 1 FROM organizations WHERE name = ?", arguments: [name]).isEmpty else {
            throw AuthError(.notFound, "no organization \(name)")
        }
    }

    private static func organization(ofUser username: String, _ db: DatabaseConnection) throws -> String? {
        try db.query(sql: "SELECT organization FROM users WHERE username = ?", arguments: [username]).first
            .map { row in try row.value(at: 0) }
    }

    private static func user(
        where condition: String, _ arguments: [any DatabaseValueConvertible], _ db: DatabaseConnection
    ) throws -> [User] {
        let rows = try db.query(
            sql: """
                SELECT username, organization, display_name, email, disabled, external_issuer, external_subject
                FROM users WHERE \(condition) ORDER BY username
                """, arguments: StatementArguments(arguments))
        return try rows.map { row in
            let username: String = try row.value(at: 0)
            let organization: String = try row.value(at: 1)
            let teams = try db.query(
                sql: "SELECT team FROM memberships WHERE organization = ? AND username = ? ORDER BY team",
                arguments: [organization, username]
            ).map { row -> String in try row.value(at: 0) }
            let issuer: String? = try row.value(at: 5)
            let subject: String? = try row.value(at: 6)
            return User(
                username: username, organization: organization, displayName: try row.value(at: 2),
                email: try row.value(at: 3), teams: teams, isDisabled: try row.value(at: 4),
                external: issuer.flatMap { issuer in subject.map { (issuer, $0) } })
        }
    }
}

/// The status of users as the identity store says, remembered for a short while so a token
/// check does not read the store each time: a user disabled or deleted loses access within
/// that while, not at the end of their tokens' lifetime.
public final class CachedSubjectStatus: SubjectStatus {
    private let identities: IdentityStore
    private let clock: AuthClock
    private let lifetime: Int64
    private let cache = Mutex<[String: (active: Bool, checked: Int64)]>([:])

    /// Creates the cache.
    ///
    /// - Parameters:
    ///   - identities: the identity store.
    ///   - lifetime: how long an answer is reused, in seconds.
    ///   - clock: the time source.
    public init(identities: IdentityStore, lifetime: Int64 = 30, clock: AuthClock = .system) {
        self.identities = identities
        self.lifetime = lifetime
        self.clock = clock
    }

    public func isActive(_ subject: String) -> Bool {
        let now = clock.now()
        if let known = cache.withLock({ $0[subject] }), now - known.checked < lifetime { return known.active }
        let active = ((try? identities.user(subject)) ?? nil).map { !$0.isDisabled } ?? false
        cache.withLock { cache in
            if cache.count >= 100_000 { cache.removeAll(keepingCapacity: true) }
            cache[subject] = (active, now)
        }
        return active
    }
}

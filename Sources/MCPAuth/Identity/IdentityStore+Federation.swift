public import MCPCore
import MCPStore

extension IdentityStore {
    /// The user an external provider's validated ID token claims stand for, created on the
    /// first sign-in when the provider allows it, with its teams set from the groups claim.
    ///
    /// A username that already belongs to another account (a local user, or a user of
    /// another provider) is refused, so an external account cannot take over a local one by
    /// claiming its e-mail address; an e-mail claimed as unverified is refused too.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/notFound`` (no account and none may be
    ///   created), ``AuthError/Code/alreadyExists``, or ``AuthError/Code/invalidValue``.
    public func federatedUser(_ claims: JSONObject, from provider: FederatedProvider) throws(AuthError) -> User {
        guard let subject = claims["sub"]?.stringValue else {
            throw AuthError(.invalidValue, "the ID token has no subject")
        }
        let teams = Self.teams(from: claims, provider: provider)
        let existing = try user(issuer: provider.issuer, subject: subject)
        let username: String
        if let existing {
            guard !existing.isDisabled else {
                throw AuthError(.notFound, "the account \(existing.username) is disabled")
            }
            guard existing.organization == provider.organization else {
                throw AuthError(.invalidValue, "the account belongs to another organization")
            }
            username = existing.username
        } else {
            guard let claimed = claims[provider.usernameClaim]?.stringValue else {
                throw AuthError(.invalidValue, "the ID token has no \(provider.usernameClaim) claim")
            }
            if provider.usernameClaim == "email", claims["email_verified"]?.boolValue != true {
                throw AuthError(.invalidValue, "the provider does not say the e-mail address is verified")
            }
            try IdentityName.check(claimed, "user")
            username = claimed
        }
        // Without automatic creation, an administrator creates the user beforehand, with no
        // password: the first sign-in links that user to this identity.
        var linking = false
        if existing == nil, !provider.createsUsers {
            let candidate = try store.read { db in
                try db.query(
                    sql: """
                        SELECT 1 FROM users WHERE username = ? AND organization = ? AND password_hash IS NULL
                            AND external_issuer IS NULL AND disabled = 0
                        """, arguments: [username, provider.organization]
                ).isEmpty == false
            }
            guard candidate else {
                throw AuthError(.notFound, "no account is linked to this \(provider.displayName) identity")
            }
            linking = true
        }
        let organization = provider.organization
        let displayName = claims["name"]?.stringValue.map { String($0.prefix(200)) } ?? username
        let email = claims["email"]?.stringValue.map { String($0.prefix(320)) }
        let manageTeams = provider.groupsClaim != nil
        try store.write { db in
            if linking {
                try db.execute(
                    sql: """
                        UPDATE users SET external_issuer = ?, external_subject = ?
                        WHERE username = ? AND password_hash IS NULL AND external_issuer IS NULL
                        """, arguments: [provider.issuer, subject, username])
            } else if existing == nil {
                guard
                    try db.query(sql: "SELECT 1 FROM organizations WHERE name = ?", arguments: [organization]).first
                        != nil
                else { throw AuthError(.notFound, "no organization \(organization)") }
                guard try db.query(sql: "SELECT 1 FROM users WHERE username = ?", arguments: [username]).isEmpty else {
                    throw AuthError(.alreadyExists, "another account is named \(username)")
                }
                try db.execute(
                    sql: """
                        INSERT INTO users (username, organization, display_name, email, password_hash,
                            external_issuer, external_subject, disabled, created)
                        VALUES (?, ?, ?, ?, NULL, ?, ?, 0, ?)
                        """,
                    arguments: [username, organization, displayName, email, provider.issuer, subject, Self.now()])
            }
            guard manageTeams else { return }
            for team in teams {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO teams (organization, name, created) VALUES (?, ?, ?)",
                    arguments: [organization, team, Self.now()])
            }
            try db.execute(
                sql: "DELETE FROM memberships WHERE organization = ? AND username = ?",
                arguments: [organization, username])
            for team in teams {
                try db.execute(
                    sql: "INSERT INTO memberships (organization, team, username) VALUES (?, ?, ?)",
                    arguments: [organization, team, username])
            }
        }
        guard let signedIn = try user(username) else { throw AuthError(.notFound, "no user \(username)") }
        return signedIn
    }

    /// The teams a provider's groups claim maps to, sorted, at most 100; groups whose name
    /// cannot be a team's are ignored.
    static func teams(from claims: JSONObject, provider: FederatedProvider) -> [String] {
        guard let claim = provider.groupsClaim else { return [] }
        let groups: [String]
        switch claims[claim] {
        case .array(let values)?: groups = values.compactMap(\.stringValue)
        case .string(let value)?: groups = value.split(separator: " ").map(String.init)
        default: groups = []
        }
        let teams = groups.prefix(1000).compactMap { group in provider.teamMapping.map { $0[group] } ?? group }
            .filter { (try? IdentityName.check($0, "team")) != nil }
        return Array(Set(teams).sorted().prefix(100))
    }
}

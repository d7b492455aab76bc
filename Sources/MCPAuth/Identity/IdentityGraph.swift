/// An organization: a tenant. Nothing of one organization is visible to another.
public struct Organization: Sendable, Hashable {
    /// The unique name, as tokens and policies carry it.
    public var name: String
    /// The name shown to people.
    public var displayName: String

    /// Creates an organization.
    public init(name: String, displayName: String? = nil) {
        self.name = name
        self.displayName = displayName ?? name
    }
}

/// A team inside an organization.
public struct Team: Sendable, Hashable {
    /// The organization.
    public var organization: String
    /// The name, unique within the organization.
    public var name: String

    /// Creates a team.
    public init(organization: String, name: String) {
        self.organization = organization
        self.name = name
    }
}

/// A user: a member of exactly one organization, signed in with a local password or
/// through an external OpenID Connect provider.
public struct User: Sendable, Hashable {
    /// The unique login name; the `sub` of the user's tokens.
    public var username: String
    /// The organization.
    public var organization: String
    /// The name shown to people.
    public var displayName: String
    /// The e-mail address, when known.
    public var email: String?
    /// The teams the user belongs to, in the user's organization, sorted.
    public var teams: [String]
    /// Whether sign-in is refused.
    public var isDisabled: Bool
    /// For a federated user, the provider's issuer and subject.
    public var external: (issuer: String, subject: String)?

    /// Creates a user.
    public init(
        username: String, organization: String, displayName: String? = nil, email: String? = nil,
        teams: [String] = [], isDisabled: Bool = false, external: (issuer: String, subject: String)? = nil
    ) {
        self.username = username
        self.organization = organization
        self.displayName = displayName ?? username
        self.email = email
        self.teams = teams
        self.isDisabled = isDisabled
        self.external = external
    }

    public static func == (lhs: User, rhs: User) -> Bool {
        lhs.username == rhs.username && lhs.organization == rhs.organization && lhs.displayName == rhs.displayName
            && lhs.email == rhs.email && lhs.teams == rhs.teams && lhs.isDisabled == rhs.isDisabled
            && lhs.external?.issuer == rhs.external?.issuer && lhs.external?.subject == rhs.external?.subject
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(username)
        hasher.combine(organization)
    }
}

/// Who is calling, as a validated access token says: what every later layer (policy,
/// audit, the upstream credential vault) attributes the request to.
public struct Principal: Sendable, Hashable {
    /// The user (the token's `sub`).
    public var subject: String
    /// The user's organization.
    public var organization: String
    /// The user's teams when the token was issued.
    public var teams: [String]
    /// The agent: the OAuth client the token was issued to.
    public var clientID: String
    /// The granted scopes.
    public var scopes: [String]
    /// The token's id (`jti`).
    public var tokenID: String
    /// When the token expires, in seconds since 1970.
    public var expiresAt: Int64
    /// The grant (one sign-in, through its refresh tokens) the token was issued under.
    public var grantID: String?

    /// Creates a principal.
    public init(
        subject: String, organization: String, teams: [String], clientID: String, scopes: [String],
        tokenID: String, expiresAt: Int64, grantID: String? = nil
    ) {
        self.grantID = grantID
        self.subject = subject
        self.organization = organization
        self.teams = teams
        self.clientID = clientID
        self.scopes = scopes
        self.tokenID = tokenID
        self.expiresAt = expiresAt
    }
}

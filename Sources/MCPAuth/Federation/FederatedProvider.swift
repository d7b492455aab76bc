/// An external OpenID Connect provider users may sign in with (the company's identity
/// provider), and how its claims become a user of one organization.
public struct FederatedProvider: Sendable, Hashable, CustomStringConvertible {
    /// The name used in URLs and forms: letters, digits, `-` and `_`.
    public var name: String
    /// The name shown on the sign-in button.
    public var displayName: String
    /// The provider's issuer; its discovery document is at
    /// `<issuer>/.well-known/openid-configuration`.
    public var issuer: String
    /// The gateway's client id at the provider.
    public var clientID: String
    /// The gateway's client secret at the provider; never logged or shown.
    public var clientSecret: String
    /// The scopes asked for; `openid` is always included.
    public var scopes: [String] = ["openid", "email", "profile"]
    /// The organization the provider's users belong to.
    public var organization: String
    /// The claim that becomes the username (`email`, `preferred_username`, `sub`...).
    public var usernameClaim = "email"
    /// The claim that lists the user's groups, or `nil` to leave teams alone.
    public var groupsClaim: String? = "groups"
    /// Provider group to team; `nil` uses each group's name as the team's name. Groups not
    /// listed are ignored.
    public var teamMapping: [String: String]?
    /// Whether a first sign-in creates the user; otherwise an administrator creates users
    /// beforehand (with no password).
    public var createsUsers = true
    /// Whether the provider may be on an internal address (development and tests).
    public var allowsInternalAddresses = false

    /// Creates a provider.
    public init(
        name: String, displayName: String? = nil, issuer: String, clientID: String, clientSecret: String,
        organization: String
    ) {
        self.name = name
        self.displayName = displayName ?? name
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.organization = organization
    }

    public var description: String { "FederatedProvider(\(name), \(issuer), client \(clientID))" }
}

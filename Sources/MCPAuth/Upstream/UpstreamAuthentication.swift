/// How the gateway authenticates to one upstream: per user through OAuth, with the client
/// credentials grant, or with a bearer token or API key (one per user, or one shared).
public struct UpstreamAuthentication: Sendable, Hashable {
    /// The kind of credential.
    public enum Mode: Sendable, Hashable {
        /// Each user connects once through the upstream's consent page; the gateway keeps the
        /// user's tokens fresh.
        case oauth
        /// The gateway's own token from the client credentials grant, for every user.
        case clientCredentials
        /// A bearer token: each user's own from the vault, or `shared` for everyone.
        case bearer(shared: String?)
        /// An API key in a header: each user's own from the vault, or `shared`.
        case apiKey(header: String, shared: String?)
    }

    /// The upstream's configured name.
    public var upstream: String
    /// The upstream's MCP endpoint URL (where discovery starts; the `resource`).
    public var url: String
    /// The kind of credential.
    public var mode: Mode
    /// The scopes asked for; by default what the upstream's challenge or metadata names.
    public var scopes: [String]?
    /// A client id registered with the upstream's authorization server beforehand.
    public var clientID: String?
    /// Its secret: sent only to ``issuer``.
    public var clientSecret: String?
    /// The authorization server the client id and secret belong to: discovery that leads
    /// elsewhere is refused rather than handing them to another server.
    public var issuer: String?
    /// The provider's departures from the RFCs.
    public var quirks = ProviderQuirks()
    /// Whether the upstream and its authorization server may be on internal addresses
    /// (development and tests).
    public var allowsInternalAddresses = false

    /// Creates the settings.
    public init(upstream: String, url: String, mode: Mode) {
        self.upstream = upstream
        self.url = url
        self.mode = mode
    }

    /// Whether each user has a credential of their own.
    public var isPerUser: Bool {
        switch mode {
        case .oauth: true
        case .clientCredentials: false
        case .bearer(let shared), .apiKey(_, let shared): shared == nil
        }
    }
}

/// Why a call cannot be authenticated to its upstream: what the user is told.
public enum UpstreamAccessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The user has not connected the upstream yet; `link` starts the connection.
    case notConnected(upstream: String, link: String?)
    /// The connection ended for good (a refused refresh, a revoked grant): the user must
    /// connect again at `link`.
    case reconnectNeeded(upstream: String, reason: String, link: String?)
    /// The upstream's authorization server cannot be used right now.
    case unavailable(upstream: String, reason: String)

    public var description: String {
        switch self {
        case .notConnected(let upstream, let link):
            "You have not connected \(upstream) yet." + (link.map { " Connect it at \($0)" } ?? "")
        case .reconnectNeeded(let upstream, let reason, let link):
            "Your connection to \(upstream) has ended (\(reason)). Connect it again"
                + (link.map { " at \($0)" } ?? "") + "."
        case .unavailable(let upstream, let reason):
            "\(upstream) cannot be reached with your credentials right now: \(reason)."
        }
    }

    /// The link that connects the upstream, when there is one.
    public var link: String? {
        switch self {
        case .notConnected(_, let link), .reconnectNeeded(_, _, let link): link
        case .unavailable: nil
        }
    }
}

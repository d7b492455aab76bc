/// The settings of an ``AuthorizationServer``. Every lifetime is in seconds; every size
/// and count is bounded.
public struct AuthorizationServerConfiguration: Sendable, Hashable {
    /// Dynamic Client Registration (RFC 7591).
    public struct DynamicRegistration: Sendable, Hashable {
        /// Whether the registration endpoint accepts registrations.
        public var isEnabled = true
        /// The most registrations one client address may make per minute.
        public var registrationsPerMinute = 10
        /// The most dynamically registered clients kept.
        public var maximumClients = 10_000
        /// How long a dynamically registered client is kept after it last got a token (or,
        /// never having got one, after it registered), in seconds. A client that still holds
        /// a live refresh token is kept however long ago it was used.
        public var unusedClientLifetime: Int64 = 30 * 86_400
        /// Whether confidential clients (with a secret) may register.
        public var allowsConfidentialClients = true

        /// Creates the settings.
        public init() {}
    }

    /// Client ID Metadata Documents: client ids that are URLs of their own metadata.
    public struct MetadataDocuments: Sendable, Hashable {
        /// Whether URL client ids are accepted.
        public var isEnabled = true
        /// Whether the documents may be on internal addresses (loopback, private,
        /// link-local); only for development and tests.
        public var allowsInternalAddresses = false
        /// Whether `http` URLs are accepted besides `https`; only with internal addresses.
        public var allowsHTTP = false
        /// The largest document, in bytes.
        public var maximumBytes = 16_384
        /// How long fetching a document may take, in seconds.
        public var timeoutSeconds = 5
        /// How long a fetched document is used before it is fetched again.
        public var cacheLifetime: Int64 = 3600
        /// How many documents are remembered.
        public var cacheCapacity = 1000

        /// Creates the settings.
        public init() {}
    }

    /// The issuer: the server's base URL, `https` in production, with no trailing slash.
    public var issuer: String
    /// The resources (MCP endpoint URLs) tokens may be issued for (RFC 8707).
    public var resources: [String]
    /// The scopes a client may ask for.
    public var scopesSupported: [String] = ["mcp"]
    /// The scopes granted when a client asks for none.
    public var defaultScopes: [String] = ["mcp"]
    /// How long an access token lives.
    public var accessTokenLifetime: Int64 = 600
    /// How long a refresh token lives unused.
    public var refreshTokenLifetime: Int64 = 14 * 86_400
    /// How long a chain of rotated refresh tokens lives in all, from the sign-in.
    public var refreshFamilyLifetime: Int64 = 90 * 86_400
    /// How long an authorization code may be redeemed.
    public var authorizationCodeLifetime: Int64 = 60
    /// How long a user has to sign in and consent.
    public var authorizationRequestLifetime: Int64 = 600
    /// How many sign-ins may be under way at once.
    public var maximumPendingAuthorizations = 10_000
    /// How many of them one client address may hold.
    public var maximumPendingAuthorizationsPerAddress = 100
    /// How many wrong passwords one sign-in page accepts before it is withdrawn.
    public var maximumSignInAttempts = 5
    /// How long a signing key signs before a new one replaces it.
    public var signingKeyRotation: Int64 = 30 * 86_400
    /// The largest form or JSON body accepted, in bytes.
    public var maximumRequestBytes = 16_384
    /// The most parameters in one request.
    public var maximumParameters = 64
    /// Dynamic Client Registration.
    public var dynamicRegistration = DynamicRegistration()
    /// Client ID Metadata Documents.
    public var metadataDocuments = MetadataDocuments()
    /// Clients written into the configuration.
    public var clients: [ClientRegistration] = []
    /// External OpenID Connect providers users may sign in with.
    public var federatedProviders: [FederatedProvider] = []

    /// Creates the settings.
    ///
    /// - Parameters:
    ///   - issuer: the server's base URL, without a trailing slash.
    ///   - resources: the resources tokens may be issued for.
    public init(issuer: String, resources: [String]) {
        self.issuer = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        self.resources = resources
    }
}

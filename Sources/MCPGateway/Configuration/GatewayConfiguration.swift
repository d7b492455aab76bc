public import MCPCore
public import MCPAuth
public import MCPTransport
public import MCPInspect

/// The gateway's configuration: one JSON document, checked fully at start.
///
/// ```json
/// {
///   "listen": { "host": "127.0.0.1", "port": 8080, "path": "/mcp" },
///   "namespacing": { "separator": "__", "onCollision": "first" },
///   "upstreams": [
///     { "name": "example", "command": "mcp-example-server", "timeoutSeconds": 30 },
///     { "name": "remote", "url": "http://127.0.0.1:9000/mcp", "transport": "streamable-http" }
///   ]
/// }
/// ```
///
/// With one upstream its names pass through unchanged; with several, each upstream's
/// tools and prompts are exposed as `<prefix><separator><name>` (the prefix is the
/// upstream's name unless set).
public struct GatewayConfiguration: Sendable, Hashable {
    /// Where the gateway listens.
    public struct Listen: Sendable, Hashable {
        /// The numeric address; loopback by default.
        public var host: String = "127.0.0.1"
        /// The port; 0 picks a free one.
        public var port: UInt16 = 8080
        /// The path of the MCP endpoint.
        public var path: String = "/mcp"
        /// Browser origins allowed besides loopback ones.
        public var allowedOrigins: [String] = []
        /// The certificate chain and key to serve HTTPS with; plain HTTP when `nil`. Relative
        /// paths are resolved by the program that loads the file (gatewayd: against the data
        /// directory).
        public var tls: TLSConfiguration?

        /// Creates listener settings.
        public init(
            host: String = "127.0.0.1", port: UInt16 = 8080, path: String = "/mcp", allowedOrigins: [String] = []
        ) {
            self.host = host
            self.port = port
            self.path = path
            self.allowedOrigins = allowedOrigins
        }
    }

    /// How an upstream is reached.
    public enum UpstreamEndpoint: Sendable, Hashable {
        /// A child process speaking MCP over stdio.
        case stdio(command: String, args: [String], env: [String: String]?, workingDirectory: String?)
        /// An MCP server over Streamable HTTP.
        case streamableHTTP(url: String)
        /// An MCP server over the HTTP+SSE transport of 2024-11-05 (`url` is its event stream).
        case legacySSE(url: String)
    }

    /// An MCP server behind the gateway.
    public struct Upstream: Sendable, Hashable {
        /// A short name, unique among upstreams.
        public var name: String
        /// How it is reached.
        public var endpoint: UpstreamEndpoint
        /// The prefix of its names when exposed; `nil` for the default (none with a single
        /// upstream, else the upstream's name).
        public var prefix: String?
        /// The revision to ask for; `nil` negotiates the newest legacy-era revision.
        public var revision: ProtocolRevision?
        /// Whether the gateway probes with `server/discover` first and speaks 2026-07-28 to
        /// an upstream that does (`"revision": "auto"`).
        public var probesRevision = false
        /// Header fields sent with every HTTP request (an upstream credential, never a
        /// client's token for the gateway).
        public var headers: [String: String] = [:]
        /// The longest a request may wait for the upstream's answer.
        public var timeoutSeconds: Double = 30
        /// How the gateway authenticates to the upstream (per user through OAuth, the client
        /// credentials grant, a bearer token or an API key), for upstreams over HTTP.
        public var auth: UpstreamAuth?

        /// Creates settings for an upstream run as a child process over stdio.
        public init(
            name: String, command: String, args: [String] = [], env: [String: String]? = nil,
            workingDirectory: String? = nil,
            timeoutSeconds: Double = 30
        ) {
            self.name = name
            self.endpoint = .stdio(command: command, args: args, env: env, workingDirectory: workingDirectory)
            self.timeoutSeconds = timeoutSeconds
        }

        /// Creates settings for an upstream reached at an endpoint.
        public init(name: String, endpoint: UpstreamEndpoint, prefix: String? = nil, timeoutSeconds: Double = 30) {
            self.name = name
            self.endpoint = endpoint
            self.prefix = prefix
            self.timeoutSeconds = timeoutSeconds
        }

        /// The program, for upstreams run over stdio.
        public var command: String? {
            if case .stdio(let command, _, _, _) = endpoint { return command }
            return nil
        }

        /// A short description of where the upstream is, for logs.
        public var location: String {
            switch endpoint {
            case .stdio(let command, _, _, _): return command
            case .streamableHTTP(let url): return url
            case .legacySSE(let url): return url
            }
        }
    }

    /// How the gateway authenticates to one upstream (the `auth` member of an upstream).
    public struct UpstreamAuth: Sendable, Hashable {
        /// The kind of credential.
        public enum Kind: String, Sendable, Hashable {
            /// Each user connects through the upstream's consent page.
            case oauth
            /// The gateway's own token from the client credentials grant.
            case clientCredentials
            /// A bearer token: each user's own, or one shared (`secretFile`).
            case bearer
            /// An API key in a header: each user's own, or one shared (`secretFile`).
            case apiKey
        }

        /// The kind of credential.
        public var kind: Kind
        /// The scopes to ask for.
        public var scopes: [String]?
        /// A client id registered at the upstream's authorization server beforehand.
        public var clientID: String?
        /// A file holding its secret (relative to the data directory).
        public var clientSecretFile: String?
        /// The authorization server (issuer) the client id and secret belong to; required with
        /// a secret, which is never sent to another.
        public var issuer: String?
        /// A file holding the shared bearer token or API key.
        public var secretFile: String?
        /// The header an API key goes in.
        public var header = "X-API-Key"
        /// Whose connection the gateway's own requests (initialize, lists) use; by default
        /// the most recently connected user.
        public var catalogSubject: String?
        /// Whether the upstream's authorization server may be on an internal address.
        public var allowInternalAddresses = false
        /// The provider's departures from the RFCs.
        public var quirks = ProviderQuirks()

        /// Creates the settings.
        public init(kind: Kind) { self.kind = kind }
    }

    /// What to do when two upstreams expose the same name after prefixing.
    public enum CollisionRule: String, Sendable, Hashable {
        /// The upstream listed first keeps the name; the later one's is hidden and logged.
        case first
        /// Neither is exposed; both are logged.
        case hide
    }

    /// How names of several upstreams are told apart.
    public struct Namespacing: Sendable, Hashable {
        /// Between the prefix and the name.
        public var separator: String = "__"
        /// What to do about a name two upstreams expose.
        public var onCollision: CollisionRule = .first

        /// Creates namespacing settings.
        public init(separator: String = "__", onCollision: CollisionRule = .first) {
            self.separator = separator
            self.onCollision = onCollision
        }
    }

    /// Bounds on what clients and upstreams may make the gateway hold.
    public struct Limits: Sendable, Hashable {
        /// The most requests in flight to one upstream; more are refused at once.
        public var maxInFlightPerUpstream: Int = 256
        /// The most items the gateway keeps of one upstream's list (tools, resources, ...).
        public var maxListItems: Int = 10_000
        /// The most items in one page of a merged list.
        public var pageSize: Int = 100
        /// The most users with a session of their own per upstream whose credentials are
        /// per user; the least recently used session is closed past it.
        public var maxUserSessionsPerUpstream: Int = 1000

        /// Creates limits.
        public init(maxInFlightPerUpstream: Int = 256, maxListItems: Int = 10_000, pageSize: Int = 100) {
            self.maxInFlightPerUpstream = maxInFlightPerUpstream
            self.maxListItems = maxListItems
            self.pageSize = pageSize
        }
    }

    /// How lost upstream sessions are recognised.
    public struct Recovery: Sendable, Hashable {
        /// Case-insensitive phrases in a JSON-RPC error message that mean the upstream
        /// lost the session, for servers that say so only in prose.
        public var sessionLostPatterns: [String] = [
            "session not found", "session terminated", "no valid session id", "invalid or expired session",
            "is no longer live", "unknown session",
        ]

        /// Creates recovery settings.
        public init(sessionLostPatterns: [String]? = nil) {
            if let sessionLostPatterns { self.sessionLostPatterns = sessionLostPatterns }
        }
    }

    /// A named endpoint that exposes a chosen part of the upstreams: some of them, and of
    /// those only the tools, prompts and resources whose names match its patterns.
    public struct VirtualServer: Sendable, Hashable {
        /// A short name, for logs.
        public var name: String
        /// Its path, such as `/mcp/dev`.
        public var path: String
        /// The upstreams it exposes, by name, in the order it lists them.
        public var upstreams: [String]
        /// Patterns (`*` any run of characters, `?` one) of the tool names it exposes, as
        /// its clients see them; `nil` exposes every tool.
        public var tools: [String]?
        /// Patterns of the prompt names it exposes; `nil` exposes every prompt.
        public var prompts: [String]?
        /// Patterns of the resource URIs (and template URIs) it exposes; `nil` for all.
        public var resources: [String]?

        /// Creates a virtual server.
        public init(
            name: String, path: String, upstreams: [String], tools: [String]? = nil, prompts: [String]? = nil,
            resources: [String]? = nil
        ) {
            self.name = name
            self.path = path
            self.upstreams = upstreams
            self.tools = tools
            self.prompts = prompts
            self.resources = resources
        }
    }

    /// Where the policy comes from (read by whoever runs the gateway: `gatewayd` loads
    /// the files; an embedding program builds its own `PolicyEngine`).
    public struct PolicySettings: Sendable, Hashable {
        /// Policy documents (paths relative to the configuration file).
        public var files: [String]
        /// Who a request without an authenticated principal is taken to be; `nil` denies
        /// such requests.
        public var anonymousSubject: String?
        /// The organization of the anonymous principal, and of authenticated principals
        /// that have none.
        public var anonymousOrganization: String?
        /// The anonymous principal's teams.
        public var anonymousTeams: [String] = []

        /// Creates policy settings.
        public init(
            files: [String], anonymousSubject: String? = nil, anonymousOrganization: String? = nil,
            anonymousTeams: [String] = []
        ) {
            self.files = files
            self.anonymousSubject = anonymousSubject
            self.anonymousOrganization = anonymousOrganization
            self.anonymousTeams = anonymousTeams
        }
    }

    /// Where the audit trail goes (opened by whoever runs the gateway: `gatewayd` opens
    /// the log; an embedding program opens its own `AuditLog`).
    public struct AuditSettings: Sendable, Hashable {
        /// When a call counts as recorded: `acknowledged`, `async` or `failClosed`.
        public enum Durability: String, Sendable, Hashable {
            case acknowledged, async, failClosed
        }

        /// The SQLite file (relative to the data directory).
        public var path: String = "audit.sqlite"
        /// When a call counts as recorded.
        public var durability: Durability = .acknowledged
        /// A file holding the hexadecimal Ed25519 key that signs checkpoints (relative to
        /// the data directory); unsigned checkpoints when `nil`.
        public var signingKeyFile: String?
        /// Whether records carry the call's arguments, besides their digest.
        public var recordArguments = false
        /// Where records are exported as they are written.
        public var sinks: [Sink] = []
        /// Records older than this many days are removed (hourly and at start); `nil`
        /// keeps them.
        public var retentionDays: Int?
        /// Shorter (or longer) retention for some organizations, in days.
        public var organizationRetentionDays: [String: Int] = [:]

        /// An export of records: a JSON Lines file, or an RFC 5424 syslog collector.
        public enum Sink: Sendable, Hashable {
            case file(path: String)
            case syslog(host: String, port: UInt16, tcp: Bool)
        }

        /// Creates audit settings.
        public init(
            path: String = "audit.sqlite", durability: Durability = .acknowledged, signingKeyFile: String? = nil
        ) {
            self.path = path
            self.durability = durability
            self.signingKeyFile = signingKeyFile
        }
    }

    /// The administrators' endpoints (approvals), when turned on.
    public struct AdminSettings: Sendable, Hashable {
        /// A file holding the bearer token administrators present (at least 16 characters;
        /// relative to the data directory).
        public var tokenFile: String
        /// The gateway's URL as administrators reach it, for approval links.
        public var publicURL: String?

        /// Creates admin settings.
        public init(tokenFile: String, publicURL: String? = nil) {
            self.tokenFile = tokenFile
            self.publicURL = publicURL
        }
    }

    /// The gateway as an OAuth 2.1 authorization server and protected resource (MCPAuth).
    public struct AuthorizationSettings: Sendable, Hashable {
        /// A client written into the configuration.
        public struct Client: Sendable, Hashable {
            /// The client id.
            public var clientID: String
            /// The name shown on the consent page.
            public var name: String
            /// The redirect URIs.
            public var redirectURIs: [String]
            /// A file holding the client's secret (relative to the data directory), for a
            /// confidential client; none for a public one.
            public var secretFile: String?

            /// Creates a client.
            public init(clientID: String, name: String, redirectURIs: [String], secretFile: String? = nil) {
                self.clientID = clientID
                self.name = name
                self.redirectURIs = redirectURIs
                self.secretFile = secretFile
            }
        }

        /// An external OpenID Connect provider users may sign in with.
        public struct Federation: Sendable, Hashable {
            /// The name used in URLs and forms.
            public var name: String
            /// The name on the sign-in button.
            public var displayName: String?
            /// The provider's issuer.
            public var issuer: String
            /// The gateway's client id at the provider.
            public var clientID: String
            /// A file holding the gateway's client secret at the provider (relative to the
            /// data directory).
            public var clientSecretFile: String
            /// The scopes asked for.
            public var scopes: [String] = ["openid", "email", "profile"]
            /// The organization the provider's users belong to.
            public var organization: String
            /// The claim that becomes the username.
            public var usernameClaim = "email"
            /// The claim listing the user's groups; `nil` leaves teams alone.
            public var groupsClaim: String? = "groups"
            /// Provider group to team; `nil` uses group names as team names.
            public var teamMapping: [String: String]?
            /// Whether a first sign-in creates the user.
            public var createUsers = true
            /// Whether the provider may be on an internal address (development and tests).
            public var allowInternalAddresses = false

            /// Creates a provider.
            public init(
                name: String, issuer: String, clientID: String, clientSecretFile: String, organization: String
            ) {
                self.name = name
                self.issuer = issuer
                self.clientID = clientID
                self.clientSecretFile = clientSecretFile
                self.organization = organization
            }
        }

        /// The issuer: the gateway's URL as clients reach it, without a trailing `/`; by
        /// default `http://<listen.host>:<listen.port>`.
        public var issuer: String?
        /// The SQLite file of identities, clients and tokens (relative to the data directory).
        public var storeFile = "auth.sqlite"
        /// A file holding the master key that seals the signing keys (relative to the data
        /// directory; created, readable by its owner only, when missing).
        public var masterKeyFile: String?
        /// An environment variable holding the master key instead.
        public var masterKeyEnvironment: String?
        /// The scopes; the first ones are required on every MCP request.
        public var scopes: [String] = ["mcp"]
        /// How long an access token lives, in seconds.
        public var accessTokenLifetime: Int = 600
        /// How long an unused refresh token lives, in seconds.
        public var refreshTokenLifetime: Int = 14 * 86_400
        /// Whether clients may register themselves (RFC 7591).
        public var dynamicRegistration = true
        /// How many registrations one address may make per minute.
        public var registrationsPerMinute = 10
        /// The most dynamically registered clients kept.
        public var maximumDynamicClients = 10_000
        /// How long a dynamically registered client is kept after its last token, in
        /// seconds, unless it holds a live refresh token.
        public var unusedClientLifetime = 30 * 86_400
        /// Whether client ids may be Client ID Metadata Document URLs.
        public var clientMetadataDocuments = true
        /// Whether those documents (and `http` ones) may be on internal addresses; only for
        /// development and tests.
        public var allowInternalAddresses = false
        /// Clients written into the configuration.
        public var clients: [Client] = []
        /// External OpenID Connect providers users may sign in with.
        public var federation: [Federation] = []

        /// Creates the settings.
        public init() {}
    }

    /// Where the gateway listens.
    public var listen = Listen()
    /// Who may reach the MCP endpoints; `nil` lets every caller through unauthenticated.
    public var authorization: AuthorizationSettings?
    /// The administrators' endpoints.
    public var admin: AdminSettings?
    /// Inspection of arguments, results and tool definitions (MCPInspect's format), when on.
    public var inspection: InspectionConfiguration?
    /// The audit trail, when calls are recorded.
    public var audit: AuditSettings?
    /// The policy, when calls are governed by one.
    public var policy: PolicySettings?
    /// Endpoints besides `listen.path` that each expose part of the upstreams.
    public var servers: [VirtualServer] = []
    /// The upstream servers, in the order their names are listed to clients.
    public var upstreams: [Upstream] = []
    /// How names of several upstreams are told apart.
    public var namespacing = Namespacing()
    /// Bounds.
    public var limits = Limits()
    /// How lost upstream sessions are recognised.
    public var recovery = Recovery()
    /// Where the gateway keeps its files; `nil` keeps nothing on disk.
    public var dataDirectory: String?

    /// Creates a configuration.
    public init(listen: Listen = Listen(), upstreams: [Upstream], namespacing: Namespacing = Namespacing()) {
        self.listen = listen
        self.upstreams = upstreams
        self.namespacing = namespacing
    }

    /// The configuration a virtual server sees: only its upstreams, so that a virtual
    /// server over one upstream passes its names through unchanged.
    public func scoped(to server: VirtualServer) -> GatewayConfiguration {
        var scoped = self
        scoped.upstreams = server.upstreams.compactMap { name in upstreams.first { $0.name == name } }
        scoped.servers = []
        return scoped
    }

    /// The prefix an upstream's names get (empty for none).
    public func prefix(of upstream: Upstream) -> String {
        if let prefix = upstream.prefix { return prefix }
        return upstreams.count == 1 ? "" : upstream.name
    }

    /// Reads and checks a configuration document.
    ///
    /// - Parameter bytes: the JSON text.
    /// - Throws: ``GatewayConfigurationError`` naming the key path of the first problem.
    public init(parsing bytes: [UInt8]) throws(GatewayConfigurationError) {
        let root: JSONValue
        do {
            root = try JSONParser(limits: JSONLimits(maxBytes: 1 << 20)).parse(bytes)
        } catch {
            throw GatewayConfigurationError(path: "", "not valid JSON: \(error)")
        }
        self = try ConfigurationReader().read(root)
    }
}

/// A problem in the configuration, with the key path where it is.
public struct GatewayConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key path, such as `upstreams[0].command`; empty for the document itself.
    public let path: String
    /// What is wrong.
    public let message: String

    init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `"<path>: <message>"`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

public import MCPAuth
import MCPCrypto
public import MCPTransport

extension OAuthAuthenticator {
    /// The authorization server's settings for a gateway configuration: the issuer, and a
    /// resource for each MCP endpoint (the main path, the HTTP+SSE stream, each virtual
    /// server).
    ///
    /// - Parameters:
    ///   - configuration: the gateway's configuration, with its `authorization` section.
    ///   - clientSecrets: the secrets of configured confidential clients, by client id.
    ///   - providerSecrets: the gateway's client secrets at external providers, by provider name.
    /// - Returns: the settings, and the resource of each endpoint path.
    public static func serverConfiguration(
        for configuration: GatewayConfiguration, clientSecrets: [String: String] = [:],
        providerSecrets: [String: String] = [:]
    ) -> (AuthorizationServerConfiguration, resources: [String: String]) {
        let settings = configuration.authorization ?? .init()
        let scheme = configuration.listen.tls == nil ? "http" : "https"
        let issuer = settings.issuer ?? "\(scheme)://\(configuration.listen.host):\(configuration.listen.port)"
        let origin = Self.origin(of: issuer)
        var resources = [configuration.listen.path: origin + configuration.listen.path, "/sse": origin + "/sse"]
        for server in configuration.servers { resources[server.path] = origin + server.path }
        var server = AuthorizationServerConfiguration(issuer: issuer, resources: Array(Set(resources.values)).sorted())
        server.scopesSupported = settings.scopes
        server.defaultScopes = [settings.scopes[0]]
        server.accessTokenLifetime = Int64(settings.accessTokenLifetime)
        server.refreshTokenLifetime = Int64(settings.refreshTokenLifetime)
        server.dynamicRegistration.isEnabled = settings.dynamicRegistration
        server.dynamicRegistration.registrationsPerMinute = settings.registrationsPerMinute
        server.dynamicRegistration.maximumClients = settings.maximumDynamicClients
        server.dynamicRegistration.unusedClientLifetime = Int64(settings.unusedClientLifetime)
        server.metadataDocuments.isEnabled = settings.clientMetadataDocuments
        server.metadataDocuments.allowsInternalAddresses = settings.allowInternalAddresses
        server.metadataDocuments.allowsHTTP = settings.allowInternalAddresses
        server.clients = settings.clients.map { client in
            let secret = clientSecrets[client.clientID]
            return ClientRegistration(
                clientID: client.clientID, kind: .preregistered, name: client.name, redirectURIs: client.redirectURIs,
                authenticationMethod: secret == nil ? .none : .clientSecretBasic,
                secretHash: secret.map { SHA256.hash(Array($0.utf8)) })
        }
        server.federatedProviders = settings.federation.compactMap { federation in
            guard let secret = providerSecrets[federation.name] else { return nil }
            var provider = FederatedProvider(
                name: federation.name, displayName: federation.displayName, issuer: federation.issuer,
                clientID: federation.clientID, clientSecret: secret, organization: federation.organization)
            provider.scopes = federation.scopes
            provider.usernameClaim = federation.usernameClaim
            provider.groupsClaim = federation.groupsClaim
            provider.teamMapping = federation.teamMapping
            provider.createsUsers = federation.createUsers
            provider.allowsInternalAddresses = federation.allowInternalAddresses
            return provider
        }
        return (server, resources)
    }

    /// Creates the authenticator for a gateway configuration.
    ///
    /// - Parameters:
    ///   - configuration: the gateway's configuration, with its `authorization` section.
    ///   - store: the authorization store.
    ///   - masterKey: the key that seals the signing keys.
    ///   - clientSecrets: the secrets of configured confidential clients, by client id.
    ///   - providerSecrets: the gateway's client secrets at external providers, by name.
    ///   - http: what fetches Client ID Metadata Documents and talks to providers.
    public init(
        configuration: GatewayConfiguration, store: AuthStore, masterKey: MasterKey,
        clientSecrets: [String: String] = [:], providerSecrets: [String: String] = [:], http: HTTPClient?
    ) throws(AuthError) {
        let (settings, resources) = Self.serverConfiguration(
            for: configuration, clientSecrets: clientSecrets, providerSecrets: providerSecrets)
        let server = try AuthorizationServer(configuration: settings, store: store, masterKey: masterKey, http: http)
        self.init(server: server, resources: resources)
    }

    private static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        let end = rest.firstIndex(of: "/") ?? rest.endIndex
        return String(url[..<end])
    }
}

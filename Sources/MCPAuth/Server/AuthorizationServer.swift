import MCPCore
import Foundation
public import MCPTransport

/// An OAuth 2.1 authorization server and the metadata of the resources it protects,
/// answering HTTP: what the gateway serves to MCP clients, and what any other Swift
/// service can mount to protect its own API.
///
/// Endpoints (under the issuer's path):
/// - `/.well-known/oauth-authorization-server` (RFC 8414) and
///   `/.well-known/openid-configuration`, in both the path-inserted and path-appended forms;
/// - `/.well-known/oauth-protected-resource<resource path>` (RFC 9728) for each resource;
/// - `/jwks`: the public signing keys;
/// - `/authorize`: the code flow with PKCE S256, sign-in and consent pages;
/// - `/token`: `authorization_code` and `refresh_token` grants;
/// - `/register`: Dynamic Client Registration (RFC 7591);
/// - `/revoke` (RFC 7009) and `/introspect` (RFC 7662).
///
/// Every refusal is an ``OAuthError`` with the RFC's code, and changes nothing.
public final class AuthorizationServer: HTTPResponder, Sendable {
    /// The settings.
    public let configuration: AuthorizationServerConfiguration
    /// The identity graph.
    public let identities: IdentityStore
    /// The known clients.
    public let clients: ClientStore
    /// The signing keys.
    public let keys: SigningKeyRing
    /// Revoked access tokens.
    public let revocations: RevokedTokens
    /// What validates this server's access tokens.
    public let validator: AccessTokenValidator
    let refreshTokens: RefreshTokenStore
    let pending: PendingAuthorizations
    /// Failed sign-ins by username and address.
    let signIns: SignInThrottle
    /// The external providers users may sign in with, by name.
    let federation: [String: OpenIDProviderClient]
    let clock: AuthClock
    /// The issuer's path, without a trailing slash (empty at the origin's root).
    let basePath: String
    let issuerOrigin: String

    /// Creates a server over a store.
    ///
    /// - Parameters:
    ///   - configuration: the settings.
    ///   - store: where identities, clients, tokens and keys live.
    ///   - masterKey: the key that seals the signing keys.
    ///   - http: the client that fetches Client ID Metadata Documents, or `nil` to refuse
    ///     URL client ids.
    ///   - clock: the time source.
    /// - Throws: ``AuthError`` when the issuer is not a URL or the keys cannot be loaded.
    public init(
        configuration: AuthorizationServerConfiguration, store: AuthStore, masterKey: MasterKey,
        http: HTTPClient? = nil, clock: AuthClock = .system
    ) throws(AuthError) {
        guard let parts = RedirectURI.parse(configuration.issuer),
            parts.scheme == "https" || parts.scheme == "http", !parts.host.isEmpty,
            !parts.rest.contains("?")
        else { throw AuthError(.invalidConfiguration, "the issuer must be an http(s) URL without query or fragment") }
        self.configuration = configuration
        self.clock = clock
        self.basePath = parts.rest == "/" ? "" : parts.rest
        self.issuerOrigin = parts.scheme + "://" + parts.host + (parts.port.map { ":" + $0 } ?? "")
        self.identities = IdentityStore(store: store)
        self.clients = ClientStore(
            store: store, configuration: configuration,
            documents: http.map { ClientMetadataDocumentFetcher(http: $0, configuration: configuration, clock: clock) },
            clock: clock)
        self.keys = try SigningKeyRing(
            store: store, masterKey: masterKey, retention: max(configuration.accessTokenLifetime * 2, 3600),
            clock: clock)
        try keys.rotateIfOlder(than: configuration.signingKeyRotation)
        self.revocations = try RevokedTokens(store: store, clock: clock)
        self.validator = AccessTokenValidator(
            issuer: configuration.issuer, keys: keys, revocations: revocations, clock: clock,
            subjects: CachedSubjectStatus(identities: identities, clock: clock))
        self.refreshTokens = RefreshTokenStore(
            store: store, issuer: configuration.issuer, lifetime: configuration.refreshTokenLifetime, clock: clock)
        self.pending = PendingAuthorizations(configuration: configuration, clock: clock)
        self.signIns = SignInThrottle(clock: clock)
        var federation: [String: OpenIDProviderClient] = [:]
        if let http {
            for provider in configuration.federatedProviders {
                federation[provider.name] = OpenIDProviderClient(provider: provider, http: http, clock: clock)
            }
        }
        self.federation = federation
        refreshTokens.purge()
        try clients.removeUnusedClients()
    }

    /// The guard of one resource this server issues tokens for.
    ///
    /// - Parameters:
    ///   - resource: one of the configured resources.
    ///   - requiredScopes: the scopes every request needs; by default the default scopes.
    public func protectedResource(_ resource: String, requiredScopes: [String]? = nil) -> ProtectedResource {
        ProtectedResource(
            resource: resource, requiredScopes: requiredScopes ?? configuration.defaultScopes, validator: validator)
    }

    /// The URL of an endpoint of this server.
    public func endpoint(_ name: String) -> String { configuration.issuer + "/" + name }

    /// Whether a request path is one this server answers.
    public func handles(path: Substring) -> Bool { route(path) != nil }

    enum Route {
        case serverMetadata, openIDConfiguration, resourceMetadata(String), jwks, authorize, token, register
        case revoke, introspect, federationCallback
    }

    func route(_ path: Substring) -> Route? {
        switch path {
        case "/.well-known/oauth-authorization-server" + basePath, basePath + "/.well-known/oauth-authorization-server":
            return .serverMetadata
        case "/.well-known/openid-configuration" + basePath, basePath + "/.well-known/openid-configuration":
            return .openIDConfiguration
        case basePath + "/jwks": return .jwks
        case basePath + "/authorize": return .authorize
        case basePath + "/token": return .token
        case basePath + "/register": return .register
        case basePath + "/revoke": return .revoke
        case basePath + "/introspect": return .introspect
        case basePath + "/federation/callback": return .federationCallback
        default:
            guard path.hasPrefix("/.well-known/oauth-protected-resource") else { return nil }
            let url = issuerOrigin + path.dropFirst("/.well-known/oauth-protected-resource".count)
            let resource = configuration.resources.first { $0 == url || ($0 == url + "/") }
            return resource.map { .resourceMetadata($0) }
        }
    }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        guard let route = route(request.head.path) else {
            try await sendJSON(OAuthError(.invalidRequest, "no such endpoint", status: 404), to: response)
            return
        }
        if request.head.method.rawValue == "OPTIONS" {
            try await response.send(
                status: HTTPStatus(code: 204),
                fields: [
                    "Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                    "Access-Control-Allow-Headers": "Authorization, Content-Type, MCP-Protocol-Version",
                    "Access-Control-Max-Age": "600",
                ])
            return
        }
        switch route {
        case .serverMetadata:
            try await requireGet(request, response) {
                try await self.sendJSON(.object(self.serverMetadata), to: response)
            }
        case .openIDConfiguration:
            try await requireGet(request, response) {
                try await self.sendJSON(.object(self.openIDConfiguration), to: response)
            }
        case .resourceMetadata(let resource):
            try await requireGet(request, response) {
                try await self.sendJSON(.object(self.resourceMetadata(resource)), to: response)
            }
        case .jwks:
            try await requireGet(request, response) { try await self.sendJSON(self.keys.keySet.json, to: response) }
        case .authorize:
            try await authorize(request, response)
        case .token:
            try await requirePost(request, response) { try await self.token(request, response) }
        case .register:
            try await requirePost(request, response) { try await self.register(request, response) }
        case .revoke:
            try await requirePost(request, response) { try await self.revoke(request, response) }
        case .introspect:
            try await requirePost(request, response) { try await self.introspect(request, response) }
        case .federationCallback:
            try await requireGet(request, response) { try await self.federationCallback(request, response) }
        }
    }

    // MARK: Responses

    func sendJSON(
        _ value: JSONValue, status: Int = 200, to response: HTTPServerResponse, extra: HTTPFields = [:]
    ) async throws {
        var fields: HTTPFields = [
            "Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache",
            "Access-Control-Allow-Origin": "*",
        ]
        for field in extra { fields.append(name: field.name, value: field.value) }
        try await response.send(
            status: HTTPStatus(code: status), fields: fields, body: JSONSerializer().serialize(value))
    }

    func sendJSON(_ error: OAuthError, to response: HTTPServerResponse, extra: HTTPFields = [:]) async throws {
        var fields: HTTPFields = [
            "Content-Type": "application/json", "Cache-Control": "no-store", "Pragma": "no-cache",
            "Access-Control-Allow-Origin": "*",
        ]
        for field in extra { fields.append(name: field.name, value: field.value) }
        try await response.send(status: HTTPStatus(code: error.status), fields: fields, body: error.body)
    }

    func sendPage(_ html: String, status: Int = 200, to response: HTTPServerResponse) async throws {
        var fields = HTTPFields()
        for (name, value) in AuthorizationPages.headers { fields.append(name: name, value: value) }
        try await response.send(status: HTTPStatus(code: status), fields: fields, body: Array(html.utf8))
    }

    private func requireGet(
        _ request: HTTPServerRequest, _ response: HTTPServerResponse, _ body: () async throws -> Void
    ) async throws {
        guard request.head.method == .get || request.head.method.rawValue == "HEAD" else {
            try await sendJSON(
                OAuthError(.invalidRequest, "use GET", status: 405), to: response, extra: ["Allow": "GET"])
            return
        }
        try await body()
    }

    private func requirePost(
        _ request: HTTPServerRequest, _ response: HTTPServerResponse, _ body: () async throws -> Void
    ) async throws {
        guard request.head.method.rawValue == "POST" else {
            try await sendJSON(
                OAuthError(.invalidRequest, "use POST", status: 405), to: response, extra: ["Allow": "POST"])
            return
        }
        try await body()
    }

    /// Reads a form body: `application/x-www-form-urlencoded`, bounded in size and count.
    func form(_ request: HTTPServerRequest) async throws(OAuthError) -> FormParameters {
        let type = request.header("Content-Type")?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces)
        guard type?.lowercased() == "application/x-www-form-urlencoded" else {
            throw OAuthError(.invalidRequest, "the body must be application/x-www-form-urlencoded")
        }
        let body: [UInt8]
        do {
            body = try await request.collectBody(upTo: configuration.maximumRequestBytes)
        } catch {
            throw OAuthError(
                .invalidRequest, "the body is larger than \(configuration.maximumRequestBytes) bytes", status: 413)
        }
        return try FormParameters(parsing: body, maximumCount: configuration.maximumParameters)
    }

    /// The client's address, for rate limits.
    func address(of request: HTTPServerRequest) -> String {
        request.remoteAddress?.host ?? "unknown"
    }
}

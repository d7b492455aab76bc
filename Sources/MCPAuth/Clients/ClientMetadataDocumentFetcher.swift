import MCPCore
public import MCPTransport
import Synchronization

/// Fetches, checks and caches Client ID Metadata Documents: a client id that is an HTTPS
/// URL names the JSON document that describes the client.
///
/// The URL must be `https` (or `http` where configured for development), with a path, and
/// without user information, fragment or dot segments; its host must not resolve to an
/// internal address unless configured; redirects are not followed. The document must be a
/// JSON object no larger than the configured size whose `client_id` is exactly the URL, with
/// redirect URIs that could be registered, and no shared secret: such a client is public.
public final class ClientMetadataDocumentFetcher: Sendable {
    private struct Cached: Sendable {
        let registration: ClientRegistration
        let fetched: Int64
    }

    private let http: HTTPClient
    private let settings: AuthorizationServerConfiguration.MetadataDocuments
    private let configuration: AuthorizationServerConfiguration
    private let guardrail: AddressGuard
    private let clock: AuthClock
    private let cache = Mutex<[String: Cached]>([:])

    /// Creates a fetcher.
    ///
    /// - Parameters:
    ///   - http: the client that fetches.
    ///   - configuration: the server's settings (document limits, supported scopes).
    ///   - clock: the time source.
    public init(http: HTTPClient, configuration: AuthorizationServerConfiguration, clock: AuthClock = .system) {
        self.http = http
        self.settings = configuration.metadataDocuments
        self.configuration = configuration
        self.guardrail = AddressGuard(allowsInternalAddresses: configuration.metadataDocuments.allowsInternalAddresses)
        self.clock = clock
    }

    /// The registration the document at `url` describes, fetched at most once per cache
    /// lifetime.
    ///
    /// - Throws: ``OAuthError`` with ``OAuthError/Code/invalidClient`` naming the problem.
    public func registration(for url: String) async throws(OAuthError) -> ClientRegistration {
        let now = clock.now()
        if let cached = cache.withLock({ $0[url] }), now - cached.fetched < settings.cacheLifetime {
            return cached.registration
        }
        let host = try checkURL(url)
        let addresses: [String]
        do {
            addresses = try await guardrail.checkResolving(host: host)
        } catch {
            throw OAuthError(.invalidClient, "the client metadata document cannot be fetched: \(error.message)")
        }
        let body: [UInt8]
        do {
            // Connect to the address just checked, so that resolving the name again cannot
            // lead to another one.
            var request = HTTPClientRequest(
                url: url, headers: [("Accept", "application/json")],
                timeout: .seconds(settings.timeoutSeconds), connectTimeout: .seconds(settings.timeoutSeconds),
                maxResponseBytes: settings.maximumBytes)
            request.connectAddress = addresses.first
            let response = try await http.execute(request)
            body = try await response.collectBody()
            guard response.status == 200 else {
                throw OAuthError(.invalidClient, "the client metadata document answered HTTP \(response.status)")
            }
        } catch let error as OAuthError {
            throw error
        } catch {
            throw OAuthError(.invalidClient, "the client metadata document cannot be fetched")
        }
        guard body.count <= settings.maximumBytes, let document = (try? JSONValue(parsing: body))?.objectValue else {
            throw OAuthError(
                .invalidClient,
                "the client metadata document is not a JSON object of at most \(settings.maximumBytes) bytes")
        }
        guard document["client_id"]?.stringValue == url else {
            throw OAuthError(.invalidClient, "the client metadata document's client_id is not its URL")
        }
        guard document["client_secret"] == nil, document["client_secret_expires_at"] == nil else {
            throw OAuthError(.invalidClient, "a client metadata document carries no client secret")
        }
        var request = document
        let method = document["token_endpoint_auth_method"]?.stringValue ?? "none"
        guard method == "none" else {
            throw OAuthError(.invalidClient, "a client described by a metadata document authenticates with none")
        }
        request["token_endpoint_auth_method"] = "none"
        if request["grant_types"] == nil { request["grant_types"] = ["authorization_code", "refresh_token"] }
        var registration: ClientRegistration
        do {
            registration = try ClientStore.validate(request, configuration: configuration)
        } catch {
            throw OAuthError(.invalidClient, "the client metadata document is not acceptable: \(error.message)")
        }
        registration.clientID = url
        registration.kind = .metadataDocument
        let entry = Cached(registration: registration, fetched: now)
        cache.withLock { cache in
            if cache.count >= settings.cacheCapacity { cache.removeAll(keepingCapacity: true) }
            cache[url] = entry
        }
        return registration
    }

    /// Checks the URL's form and returns its host.
    private func checkURL(_ url: String) throws(OAuthError) -> String {
        let https = url.hasPrefix("https://")
        guard https || (settings.allowsHTTP && url.hasPrefix("http://")) else {
            throw OAuthError(.invalidClient, "a client id URL uses https")
        }
        guard url.utf8.count <= RedirectURI.maximumLength,
            url.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }),
            !url.contains("#"), let parts = RedirectURI.parse(url), !parts.host.isEmpty,
            parts.rest.hasPrefix("/"), parts.rest.count > 1
        else { throw OAuthError(.invalidClient, "a client id URL has a host and a path, and no fragment or user") }
        let path = parts.rest.split(separator: "?", maxSplits: 1).first ?? ""
        guard !path.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == "." || $0 == ".." })
        else { throw OAuthError(.invalidClient, "a client id URL has no dot segments") }
        return parts.host
    }
}

public import MCPCore
public import MCPTransport

/// Outgoing requests the authorization layer makes to addresses it was handed (provider
/// discovery, keys, token endpoints, upstream metadata): `https` only (or `http` where
/// internal addresses are allowed), the host resolved and checked by ``AddressGuard`` and
/// then connected to at the checked address, no redirects followed, and bounded in size
/// and time.
public struct GuardedFetcher: Sendable {
    /// An answer.
    public struct Answer: Sendable {
        /// The status.
        public var status: Int
        /// The header fields.
        public var headers: [(name: String, value: String)]
        /// The body.
        public var body: [UInt8]

        /// The first value of a header field, compared without regard to case.
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        /// The body as a JSON object, when it is one.
        public var jsonObject: JSONObject? { (try? JSONValue(parsing: body))?.objectValue }
    }

    let http: HTTPClient
    /// Whether internal (and `http`) addresses may be reached.
    public var allowsInternalAddresses: Bool
    /// The largest body read.
    public var maximumBytes: Int
    /// The limit on a whole request.
    public var timeout: Duration

    /// Creates a fetcher.
    public init(
        http: HTTPClient, allowsInternalAddresses: Bool, maximumBytes: Int = 65_536, timeout: Duration = .seconds(10)
    ) {
        self.http = http
        self.allowsInternalAddresses = allowsInternalAddresses
        self.maximumBytes = maximumBytes
        self.timeout = timeout
    }

    /// Sends one request.
    ///
    /// - Throws: ``OAuthError`` (`invalid_request`) naming why the address is refused or
    ///   the request failed; never the request's credentials.
    public func fetch(
        _ url: String, method: String = "GET", headers: [(String, String)] = [("Accept", "application/json")],
        body: [UInt8]? = nil
    ) async throws(OAuthError) -> Answer {
        guard url.hasPrefix("https://") || (allowsInternalAddresses && url.hasPrefix("http://")),
            let parts = RedirectURI.parse(url), !parts.host.isEmpty
        else { throw OAuthError(.invalidRequest, "\(Self.printable(url)) is not an https URL") }
        let addresses: [String]
        do {
            addresses = try await AddressGuard(allowsInternalAddresses: allowsInternalAddresses).checkResolving(
                host: parts.host)
        } catch {
            throw OAuthError(.invalidRequest, error.message)
        }
        var request = HTTPClientRequest(
            method: method, url: url, headers: headers.map { (name: $0.0, value: $0.1) }, body: body,
            timeout: timeout, connectTimeout: min(timeout, .seconds(5)), maxResponseBytes: maximumBytes)
        // The address just checked: resolving the name again cannot lead elsewhere.
        request.connectAddress = addresses.first
        do {
            let response = try await http.execute(request)
            return Answer(status: response.status, headers: response.headers, body: try await response.collectBody())
        } catch {
            throw OAuthError(.invalidRequest, "no answer from \(Self.printable(url))")
        }
    }

    /// A URL without its query, for messages.
    static func printable(_ url: String) -> String {
        String(url.prefix { $0 != "?" }.prefix(200))
    }
}

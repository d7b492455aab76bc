import MCPCore
public import MCPTransport

/// The HTTP side of connecting users to upstreams:
/// - `GET /connect/{upstream}?ticket=...`: the link a user gets in an error; sends the
///   browser to the upstream's consent page.
/// - `GET /connect/callback`: where the upstream's authorization server sends it back; the
///   tokens are stored for that user and upstream.
/// - `GET /connect/client-metadata.json`: the gateway's Client ID Metadata Document.
/// - `GET /connections`, `DELETE /connections/{upstream}`, `PUT /connections/{upstream}`
///   (`{"secret": ...}` for an API key or token of one's own): a user's connections, with
///   the user's bearer token for the gateway.
public struct UpstreamConnectEndpoint: HTTPResponder {
    /// The broker.
    public let broker: UpstreamCredentialBroker
    private let authenticate: @Sendable (String?) -> String?

    /// Creates the endpoint.
    ///
    /// - Parameters:
    ///   - broker: the broker.
    ///   - authenticate: the subject of a request's `Authorization` header, or `nil` when the
    ///     header is not a valid token for the gateway.
    public init(broker: UpstreamCredentialBroker, authenticate: @escaping @Sendable (String?) -> String?) {
        self.broker = broker
        self.authenticate = authenticate
    }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        let path = request.head.path
        let method = request.head.method.rawValue
        if path == "/connect/client-metadata.json" {
            try await json(.object(broker.clientMetadataDocument), to: response)
        } else if path == "/connect/callback", method == "GET" {
            let outcome: Result<(subject: String, upstream: String), UpstreamAccessError>
            do throws(UpstreamAccessError) {
                outcome = .success(try await broker.completeConnect(Array((request.head.query ?? "").utf8)))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let connected):
                try await page(
                    "Connected",
                    "\(connected.upstream) is connected. You can close this page and go back to your application.",
                    200, response)
            case .failure(let error):
                try await page("Connection failed", error.description, 400, response)
            }
        } else if path.hasPrefix("/connect/"), method == "GET" {
            let upstream = (try? FormParameters.decode(path.dropFirst("/connect/".count).utf8)) ?? ""
            let ticket = (try? FormParameters(parsing: Array((request.head.query ?? "").utf8), maximumCount: 8))?[
                "ticket"]
            guard let ticket else {
                try await page(
                    "Connection failed", "The link has no ticket. Use the link your application showed.", 400, response)
                return
            }
            let outcome: Result<String, UpstreamAccessError>
            do throws(UpstreamAccessError) {
                outcome = .success(try await broker.startConnect(upstream: upstream, ticket: ticket))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let location):
                try await response.send(
                    status: HTTPStatus(code: 303),
                    fields: ["Location": location, "Cache-Control": "no-store", "Referrer-Policy": "no-referrer"])
            case .failure(.notConnected):
                try await page(
                    "Connection failed",
                    "This link has expired or was already used. Make the call again to get a new one.",
                    400, response)
            case .failure(let error):
                try await page("Connection failed", error.description, 400, response)
            }
        } else if path == "/connections" || path.hasPrefix("/connections/") {
            try await connections(request, response)
        } else {
            try await response.send(
                status: HTTPStatus(code: 404), fields: ["Content-Type": "text/plain"], body: Array("not found\n".utf8))
        }
    }

    private func connections(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        guard let subject = authenticate(request.header("Authorization")) else {
            try await response.send(
                status: HTTPStatus(code: 401),
                fields: [
                    "WWW-Authenticate": "Bearer", "Content-Type": "application/json", "Cache-Control": "no-store",
                ],
                body: OAuthError(.invalidToken, "a bearer token for the gateway is required").body)
            return
        }
        let path = request.head.path
        let upstream =
            path == "/connections" ? nil : (try? FormParameters.decode(path.dropFirst("/connections/".count).utf8))
        switch (request.head.method.rawValue, upstream) {
        case ("GET", nil):
            let list: [JSONValue] = broker.connections(of: subject).map { entry in
                var object: JSONObject = ["upstream": .string(entry.upstream), "status": .string(entry.status)]
                if entry.status != "connected", let link = broker.link(subject, entry.upstream) {
                    object["connectURL"] = .string(link)
                }
                return .object(object)
            }
            try await json(["connections": .array(list)], to: response)
        case ("DELETE", let upstream?):
            let removed = await broker.disconnect(subject: subject, upstream: upstream)
            try await json(
                ["upstream": .string(upstream), "disconnected": .bool(removed)], status: removed ? 200 : 404,
                to: response)
        case ("PUT", let upstream?):
            guard let body = try? await request.collectBody(upTo: 16_384),
                let secret = (try? JSONValue(parsing: body))?.objectValue?["secret"]?.stringValue, !secret.isEmpty,
                secret.utf8.count <= 8192
            else {
                try await json(
                    ["error": "invalid_request", "error_description": "the body is {\"secret\": \"...\"}"], status: 400,
                    to: response)
                return
            }
            var failure: AuthError?
            do throws(AuthError) {
                try broker.storeSecret(secret, subject: subject, upstream: upstream)
            } catch {
                failure = error
            }
            if let failure {
                try await json(
                    ["error": "invalid_request", "error_description": .string(failure.message)], status: 400,
                    to: response)
            } else {
                try await json(["upstream": .string(upstream), "stored": true], to: response)
            }
        default:
            try await json(
                ["error": "invalid_request", "error_description": "unsupported method"], status: 405, to: response)
        }
    }

    private func json(_ value: JSONValue, status: Int = 200, to response: HTTPServerResponse) async throws {
        try await response.send(
            status: HTTPStatus(code: status),
            fields: ["Content-Type": "application/json", "Cache-Control": "no-store"],
            body: JSONSerializer().serialize(value))
    }

    private func page(_ title: String, _ message: String, _ status: Int, _ response: HTTPServerResponse) async throws {
        var fields = HTTPFields()
        for (name, value) in AuthorizationPages.headers { fields.append(name: name, value: value) }
        let html = AuthorizationPages.message(title: title, text: message)
        try await response.send(status: HTTPStatus(code: status), fields: fields, body: Array(html.utf8))
    }
}

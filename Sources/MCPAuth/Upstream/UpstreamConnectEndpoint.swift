import Foundation
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
    private let identities: IdentityStore?
    /// The name of the cookie that binds a connection to the browser that started it.
    static let cookieName = "mcp_connect"

    /// Creates the endpoint.
    ///
    /// - Parameters:
    ///   - broker: the broker.
    ///   - identities: where users' passwords are checked: the page of a connect link asks
    ///     for the password of the user it was made for (a user who signs in through an
    ///     external provider confirms with a button).
    ///   - authenticate: the subject of a request's `Authorization` header, or `nil` when the
    ///     header is not a valid token for the gateway.
    public init(
        broker: UpstreamCredentialBroker, identities: IdentityStore?,
        authenticate: @escaping @Sendable (String?) -> String?
    ) {
        self.broker = broker
        self.identities = identities
        self.authenticate = authenticate
    }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        let path = request.head.path
        let method = request.head.method.rawValue
        if path == "/connect/client-metadata.json" {
            try await json(.object(broker.clientMetadataDocument), to: response)
        } else if path == "/connect/callback", method == "GET" {
            try await callback(request, response)
        } else if path.hasPrefix("/connect/"), method == "GET" || method == "POST" {
            let upstream = (try? FormParameters.decode(path.dropFirst("/connect/".count).utf8)) ?? ""
            if method == "GET" {
                try await confirmation(request, upstream: upstream, response)
            } else {
                try await start(request, upstream: upstream, response)
            }
        } else if path == "/connections" || path.hasPrefix("/connections/") {
            try await connections(request, response)
        } else {
            try await response.send(
                status: HTTPStatus(code: 404), fields: ["Content-Type": "text/plain"], body: Array("not found\n".utf8))
        }
    }

    /// `GET /connect/{upstream}?ticket=...`: the page that asks the user to confirm, as
    /// themselves, that the upstream is to be connected to their gateway account.
    private func confirmation(_ request: HTTPServerRequest, upstream: String, _ response: HTTPServerResponse)
        async throws
    {
        let ticket = (try? FormParameters(parsing: Array((request.head.query ?? "").utf8), maximumCount: 8))?["ticket"]
        guard let ticket, let subject = broker.ticketOwner(upstream: upstream, ticket: ticket) else {
            try await expiredLink(response)
            return
        }
        let needsPassword = (try? identities?.hasPassword(subject)) ?? false
        let html = AuthorizationPages.connectConfirmation(
            action: broker.baseURL + "/connect/" + FormParameters.encode(upstream), ticket: ticket, upstream: upstream,
            subject: subject, asksPassword: needsPassword == true)
        try await sendHTML(html, status: 200, response)
    }

    /// `POST /connect/{upstream}`: the confirmed link. The password (for a local user) is
    /// checked, then the browser goes to the upstream's consent page with a cookie that
    /// only it holds.
    private func start(_ request: HTTPServerRequest, upstream: String, _ response: HTTPServerResponse) async throws {
        guard
            request.header("Content-Type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
            let body = try? await request.collectBody(upTo: 16_384),
            let form = try? FormParameters(parsing: body, maximumCount: 8), let ticket = form["ticket"],
            let subject = broker.ticketOwner(upstream: upstream, ticket: ticket)
        else {
            try await expiredLink(response)
            return
        }
        if let identities, (try? identities.hasPassword(subject)) == true {
            let password = form["password"] ?? ""
            let user = await BlockingWork.hashing {
                try? identities.authenticate(username: subject, password: password)
            }
            guard user != nil else {
                broker.discardTicket(ticket)
                try await page(
                    "Connection failed",
                    "The password is not \(subject)'s. Make the call again to get a new link.", 403, response)
                return
            }
        }
        let outcome: Result<(location: String, browserNonce: String), UpstreamAccessError>
        do throws(UpstreamAccessError) {
            outcome = .success(try await broker.startConnect(upstream: upstream, ticket: ticket))
        } catch {
            outcome = .failure(error)
        }
        switch outcome {
        case .success(let started):
            var cookie =
                "\(Self.cookieName)=\(started.browserNonce); Path=/connect/; HttpOnly; SameSite=Lax; Max-Age=600"
            if broker.baseURL.hasPrefix("https://") { cookie += "; Secure" }
            try await response.send(
                status: HTTPStatus(code: 303),
                fields: [
                    "Location": started.location, "Set-Cookie": cookie, "Cache-Control": "no-store",
                    "Referrer-Policy": "no-referrer",
                ])
        case .failure(.notConnected):
            try await expiredLink(response)
        case .failure(let error):
            try await page("Connection failed", error.description, 400, response)
        }
    }

    /// `GET /connect/callback`: the upstream's answer, accepted from the browser that
    /// started the connection only.
    private func callback(_ request: HTTPServerRequest, _ response: HTTPServerResponse) async throws {
        let nonce = Self.cookie(Self.cookieName, in: request.header("Cookie"))
        let outcome: Result<(subject: String, upstream: String), UpstreamAccessError>
        do throws(UpstreamAccessError) {
            outcome = .success(
                try await broker.completeConnect(Array((request.head.query ?? "").utf8), browserNonce: nonce))
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
    }

    /// The value of a cookie in a `Cookie` header.
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            if pair.hasPrefix(name + "=") { return String(pair.dropFirst(name.count + 1)) }
        }
        return nil
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

    private func expiredLink(_ response: HTTPServerResponse) async throws {
        try await page(
            "Connection failed", "This link has expired or was already used. Make the call again to get a new one.",
            400,
            response)
    }

    private func page(_ title: String, _ message: String, _ status: Int, _ response: HTTPServerResponse) async throws {
        try await sendHTML(AuthorizationPages.message(title: title, text: message), status: status, response)
    }

    private func sendHTML(_ html: String, status: Int, _ response: HTTPServerResponse) async throws {
        var fields = HTTPFields()
        for (name, value) in AuthorizationPages.headers { fields.append(name: name, value: value) }
        try await response.send(status: HTTPStatus(code: status), fields: fields, body: Array(html.utf8))
    }
}

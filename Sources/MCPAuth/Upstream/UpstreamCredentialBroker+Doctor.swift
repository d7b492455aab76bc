import MCPCore
import Synchronization

extension UpstreamCredentialBroker {
    /// Runs discovery and a token cycle against an upstream and says what it found,
    /// including the provider quirks it observed: for `gatewayd upstream doctor`.
    ///
    /// - Parameters:
    ///   - upstream: the upstream's name.
    ///   - subject: a user whose connection is refreshed for the token cycle (OAuth
    ///     upstreams); the client credentials grant is used when configured.
    /// - Returns: lines of `(topic, finding)`, and whether everything worked.
    public func diagnose(_ upstream: String, subject: String? = nil) async -> (
        report: [(String, String)], healthy: Bool
    ) {
        guard let settings = upstreams[upstream] else {
            return ([("upstream", "no credentials are configured for \(upstream)")], false)
        }
        var report: [(String, String)] = [("upstream", "\(upstream) at \(settings.url)")]
        var healthy = true
        let challenge = await unauthenticatedChallenge(settings)
        report.append(
            (
                "challenge",
                challenge.map { "401/403 with WWW-Authenticate: \($0)" } ?? "no 401 challenge without a token"
            ))
        let server: UpstreamAuthorizationServer
        do {
            server = try await authorizationServer(settings, challenge: challenge)
        } catch {
            return (report + [("discovery", "failed: \(error)")], false)
        }
        report.append(("issuer", server.issuer))
        report.append(("endpoints", "authorization \(server.authorizationEndpoint), token \(server.tokenEndpoint)"))
        report.append(
            (
                "registration",
                settings.clientID != nil
                    ? "pre-registered client \(settings.clientID!)"
                    : server.acceptsMetadataDocuments
                        ? "the gateway's client metadata document (\(clientMetadataURL))"
                        : server.registrationEndpoint.map { "dynamic registration at \($0)" }
                            ?? "none available: configure a client id"
            ))
        report.append(("iss in responses", server.sendsIssuerInResponses ? "yes (checked)" : "not announced"))
        if let resource = server.resource { report.append(("resource", resource)) }
        if !server.scopes.isEmpty { report.append(("scopes", server.scopes.joined(separator: " "))) }

        switch settings.mode {
        case .clientCredentials:
            guard let clientID = settings.clientID, let secret = settings.clientSecret else { break }
            var form = [("grant_type", "client_credentials")]
            if settings.quirks.sendsResource { form.append(("resource", settings.url)) }
            let (result, seen) = await observedTokenRequest(server.tokenEndpoint, form, clientID, secret, settings)
            report.append(("token cycle", Self.describe(result)))
            if !seen.isEmpty { report.append(("quirks observed", seen.joined(separator: "; "))) }
            if case .failure = result { healthy = false }
        case .oauth:
            guard let subject, var credential = try? vault.credential(subject: subject, upstream: upstream) else {
                report.append(("token cycle", "skipped: name a connected user to refresh their tokens"))
                break
            }
            guard let refreshToken = credential.refreshToken, let clientID = credential.clientID else {
                report.append(("token cycle", "\(subject)'s connection has no refresh token"))
                break
            }
            let secret =
                (try? vault.registration(upstream: upstream, issuer: server.issuer))?["client_secret"]?.stringValue
                ?? settings.clientSecret
            var form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken)]
            if settings.quirks.sendsResource { form.append(("resource", settings.url)) }
            let (result, seen) = await observedTokenRequest(server.tokenEndpoint, form, clientID, secret, settings)
            var observed = seen
            if case .success(let tokens) = result {
                observed.append(
                    tokens.refreshToken == nil
                        ? "refresh token not rotated (the old one is kept)" : "refresh token rotated")
                // The user's connection goes on with the new tokens (a rotating provider
                // has ended the old ones).
                let now = clock.now()
                credential.secret = tokens.accessToken
                credential.refreshToken = tokens.refreshToken ?? refreshToken
                credential.expiresAt =
                    tokens.expiresIn.map { now + $0 } ?? settings.quirks.assumedLifetime.map { now + $0 }
                try? vault.store(credential, subject: subject, upstream: upstream)
            } else {
                healthy = false
            }
            report.append(("token cycle", Self.describe(result)))
            if !observed.isEmpty { report.append(("quirks observed", observed.joined(separator: "; "))) }
        case .bearer, .apiKey:
            report.append(("token cycle", "not applicable: a static credential"))
        }
        return (report, healthy)
    }

    private static func describe(_ result: Result<TokenAnswer.Tokens, OAuthError>) -> String {
        switch result {
        case .success(let tokens):
            "ok: a token (\(tokens.expiresIn.map { "expires in \($0) s" } ?? "no stated lifetime"))"
        case .failure(let error): "failed: \(error.message)"
        }
    }

    /// One token request whose raw answer is also described for the report.
    private func observedTokenRequest(
        _ endpoint: String, _ form: [(String, String)], _ clientID: String, _ secret: String?,
        _ settings: UpstreamAuthentication
    ) async -> (Result<TokenAnswer.Tokens, OAuthError>, [String]) {
        let observed = Mutex<[String]>([])
        let result = await tokenRequest(
            endpoint, form: form, clientID: clientID, secret: secret, settings: settings, grant: "doctor",
            observe: { status, type, body in
                observed.withLock { $0 = TokenAnswer.observations(status: status, contentType: type, body: body) }
            })
        return (result, observed.withLock { $0 })
    }
}

import MCPCore

/// How one upstream's authorization server departs from the RFCs, so the gateway keeps
/// its users' access through it. Most quirks are also detected from the answers
/// themselves (a form-encoded token answer, `expires_in` as a string, comma-separated
/// scopes, an error sent with HTTP 200, a refresh answer without a new refresh token);
/// these settings cover what cannot be told from one answer.
public struct ProviderQuirks: Sendable, Hashable {
    /// How long a token lives when the provider sends no `expires_in`; `nil` treats it as
    /// good until the upstream refuses it (the first refusal then triggers a refresh).
    public var assumedLifetime: Int64? = 3600
    /// How long before expiry a token is refreshed.
    public var refreshSkew: Int64 = 60
    /// Whether the `resource` parameter (RFC 8707) is sent; some providers refuse it.
    public var sendsResource = true
    /// HTTP statuses with which the upstream refuses an expired access token.
    public var expiredStatuses: Set<Int> = [401]
    /// Phrases in the error message of a JSON-RPC error answered with HTTP 200 that mean
    /// the access token was refused (results are never matched).
    public var expiredBodyPatterns: [String] = []
    /// How the gateway authenticates at the token endpoint when it has a secret.
    public var clientAuthentication: ClientAuthentication = .basic

    /// Where the client secret goes.
    public enum ClientAuthentication: String, Sendable, Hashable {
        /// HTTP Basic.
        case basic
        /// The request body (some providers accept only this).
        case body
    }

    /// The defaults: RFC behaviour, with a one-hour assumption for a missing `expires_in`.
    public init() {}

    /// Whether an upstream answer means the access token was refused.
    ///
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - challenge: the `WWW-Authenticate` value, if any.
    ///   - body: the start of the body, for providers that answer 200 with the failure inside.
    public func refusesToken(status: Int, challenge: String?, body: some Collection<UInt8>) -> Bool {
        if status == 401 || expiredStatuses.contains(status) { return true }
        if status == 403, let challenge, challenge.lowercased().contains("invalid_token") { return true }
        guard status == 200, !expiredBodyPatterns.isEmpty, body.count <= 65_536,
            let answer = (try? JSONValue(parsing: body))?.objectValue, answer["result"] == nil,
            let error = answer["error"]?.objectValue, let message = error["message"]?.stringValue
        else { return false }
        let text = message.lowercased()
        return expiredBodyPatterns.contains { text.contains($0.lowercased()) }
    }
}

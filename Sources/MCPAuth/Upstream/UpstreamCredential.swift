import MCPCore

/// What the gateway holds for one (principal, upstream) pair: the upstream's tokens for
/// that user, or an API key or bearer token. Never logged (its description is redacted),
/// never returned to a client, never sent to another upstream.
public struct UpstreamCredential: Sendable, Hashable, CustomStringConvertible {
    /// What kind of credential this is.
    public enum Kind: String, Sendable, Hashable {
        /// OAuth tokens obtained through the user's consent (or the client credentials grant).
        case oauth
        /// A static bearer token.
        case bearer
        /// An API key sent in a header.
        case apiKey
    }

    /// What kind of credential this is.
    public var kind: Kind
    /// The access token, bearer token or API key.
    public var secret: String
    /// The refresh token, for OAuth.
    public var refreshToken: String?
    /// When the access token expires, in seconds since 1970; `nil` when unknown.
    public var expiresAt: Int64?
    /// Whether `expiresAt` is an assumption (the provider sent no `expires_in`).
    public var expiryAssumed: Bool
    /// The granted scopes.
    public var scopes: [String]
    /// The upstream authorization server's issuer, for OAuth; a credential obtained from
    /// one issuer is never sent after the upstream moved to another.
    public var issuer: String?
    /// The client id the tokens were issued to, for OAuth.
    public var clientID: String?
    /// The header an API key goes in.
    public var headerName: String?
    /// Set when a refresh failed for good: the user must connect again.
    public var needsReconnect: String?
    /// When the credential was stored, in seconds since 1970.
    public var updated: Int64

    /// Creates a credential.
    public init(
        kind: Kind, secret: String, refreshToken: String? = nil, expiresAt: Int64? = nil, expiryAssumed: Bool = false,
        scopes: [String] = [], issuer: String? = nil, clientID: String? = nil, headerName: String? = nil,
        needsReconnect: String? = nil, updated: Int64 = 0
    ) {
        self.kind = kind
        self.secret = secret
        self.refreshToken = refreshToken
        self.expiresAt = expiresAt
        self.expiryAssumed = expiryAssumed
        self.scopes = scopes
        self.issuer = issuer
        self.clientID = clientID
        self.headerName = headerName
        self.needsReconnect = needsReconnect
        self.updated = updated
    }

    /// The header field that carries the credential upstream. OAuth and bearer tokens always
    /// go as `Bearer`, whatever case the provider wrote `token_type` in.
    public var header: (name: String, value: String) {
        switch kind {
        case .oauth, .bearer: ("Authorization", "Bearer " + secret)
        case .apiKey: (headerName ?? "X-API-Key", secret)
        }
    }

    public var description: String {
        "UpstreamCredential(\(kind.rawValue), expires \(expiresAt.map(String.init) ?? "unknown")\(needsReconnect == nil ? "" : ", needs reconnect"))"
    }

    /// The sealed form's plaintext.
    var json: JSONValue {
        var object: JSONObject = [
            "kind": .string(kind.rawValue), "secret": .string(secret), "expiryAssumed": .bool(expiryAssumed),
            "scopes": .array(scopes.map { .string($0) }), "updated": .number(JSONNumber(updated)),
        ]
        if let refreshToken { object["refreshToken"] = .string(refreshToken) }
        if let expiresAt { object["expiresAt"] = .number(JSONNumber(expiresAt)) }
        if let issuer { object["issuer"] = .string(issuer) }
        if let clientID { object["clientID"] = .string(clientID) }
        if let headerName { object["headerName"] = .string(headerName) }
        if let needsReconnect { object["needsReconnect"] = .string(needsReconnect) }
        return .object(object)
    }

    init?(json: JSONValue) {
        guard let object = json.objectValue, let kind = object["kind"]?.stringValue.flatMap(Kind.init),
            let secret = object["secret"]?.stringValue
        else { return nil }
        self.init(
            kind: kind, secret: secret, refreshToken: object["refreshToken"]?.stringValue,
            expiresAt: object["expiresAt"]?.numberValue?.int64Value,
            expiryAssumed: object["expiryAssumed"]?.boolValue ?? false,
            scopes: object["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            issuer: object["issuer"]?.stringValue, clientID: object["clientID"]?.stringValue,
            headerName: object["headerName"]?.stringValue, needsReconnect: object["needsReconnect"]?.stringValue,
            updated: object["updated"]?.numberValue?.int64Value ?? 0)
    }
}

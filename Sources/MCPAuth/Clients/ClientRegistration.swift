public import MCPCore

/// An OAuth client the authorization server knows: an agent that may ask users for access.
///
/// Clients come three ways: pre-registered in the configuration, registered dynamically
/// (RFC 7591), or described by a Client ID Metadata Document (the client id is the
/// document's HTTPS URL).
public struct ClientRegistration: Sendable, Hashable {
    /// How the server came to know the client.
    public enum Kind: String, Sendable, Hashable {
        /// Written into the configuration by an operator.
        case preregistered
        /// Registered through the registration endpoint.
        case dynamic
        /// Described by a Client ID Metadata Document.
        case metadataDocument
    }

    /// How the client authenticates at the token endpoint.
    public enum AuthenticationMethod: String, Sendable, Hashable, CaseIterable {
        /// A public client: no secret, PKCE only.
        case none
        /// HTTP Basic with the client id and secret.
        case clientSecretBasic = "client_secret_basic"
        /// The client id and secret in the form body.
        case clientSecretPost = "client_secret_post"
    }

    /// The client id.
    public var clientID: String
    /// How the server came to know the client.
    public var kind: Kind
    /// The name shown on the consent page.
    public var name: String
    /// The redirect URIs, matched exactly (loopback ports aside).
    public var redirectURIs: [String]
    /// How the client authenticates at the token endpoint.
    public var authenticationMethod: AuthenticationMethod
    /// The SHA-256 of the client secret, for confidential clients.
    public var secretHash: [UInt8]?
    /// The grant types the client may use.
    public var grantTypes: [String]
    /// The scopes the client may ask for; `nil` for any the server supports.
    public var scopes: [String]?
    /// The client's home page, shown on the consent page when present.
    public var clientURI: String?

    /// Creates a registration.
    public init(
        clientID: String, kind: Kind, name: String, redirectURIs: [String],
        authenticationMethod: AuthenticationMethod = .none, secretHash: [UInt8]? = nil,
        grantTypes: [String] = ["authorization_code", "refresh_token"], scopes: [String]? = nil,
        clientURI: String? = nil
    ) {
        self.clientID = clientID
        self.kind = kind
        self.name = name
        self.redirectURIs = redirectURIs
        self.authenticationMethod = authenticationMethod
        self.secretHash = secretHash
        self.grantTypes = grantTypes
        self.scopes = scopes
        self.clientURI = clientURI
    }

    /// Whether the client has a secret.
    public var isConfidential: Bool { authenticationMethod != .none }

    /// The client metadata (RFC 7591 §2), as stored and as the registration endpoint
    /// answers, without the secret.
    public var metadata: JSONObject {
        var object: JSONObject = [
            "client_id": .string(clientID), "client_name": .string(name),
            "redirect_uris": .array(redirectURIs.map { .string($0) }),
            "token_endpoint_auth_method": .string(authenticationMethod.rawValue),
            "grant_types": .array(grantTypes.map { .string($0) }), "response_types": ["code"],
        ]
        if let scopes { object["scope"] = .string(scopes.joined(separator: " ")) }
        if let clientURI { object["client_uri"] = .string(clientURI) }
        return object
    }

    /// Reads stored metadata back.
    init?(kind: Kind, metadata: JSONObject, secretHash: [UInt8]?) {
        guard let clientID = metadata["client_id"]?.stringValue,
            let redirects = metadata["redirect_uris"]?.arrayValue?.compactMap(\.stringValue),
            let method = metadata["token_endpoint_auth_method"]?.stringValue.flatMap(AuthenticationMethod.init)
        else { return nil }
        self.init(
            clientID: clientID, kind: kind, name: metadata["client_name"]?.stringValue ?? clientID,
            redirectURIs: redirects, authenticationMethod: method, secretHash: secretHash,
            grantTypes: metadata["grant_types"]?.arrayValue?.compactMap(\.stringValue)
                ?? ["authorization_code", "refresh_token"],
            scopes: metadata["scope"]?.stringValue.map { $0.split(separator: " ").map(String.init) },
            clientURI: metadata["client_uri"]?.stringValue)
    }
}

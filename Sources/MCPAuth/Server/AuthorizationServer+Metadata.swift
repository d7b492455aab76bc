public import MCPCore

extension AuthorizationServer {
    /// The Authorization Server Metadata (RFC 8414).
    public var serverMetadata: JSONObject {
        var metadata: JSONObject = [
            "issuer": .string(configuration.issuer),
            "authorization_endpoint": .string(endpoint("authorize")),
            "token_endpoint": .string(endpoint("token")),
            "jwks_uri": .string(endpoint("jwks")),
            "revocation_endpoint": .string(endpoint("revoke")),
            "introspection_endpoint": .string(endpoint("introspect")),
            "scopes_supported": .array(configuration.scopesSupported.map { .string($0) }),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
            "revocation_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
            "introspection_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "code_challenge_methods_supported": ["S256"],
            "authorization_response_iss_parameter_supported": true,
            "client_id_metadata_document_supported": .bool(configuration.metadataDocuments.isEnabled),
        ]
        if configuration.dynamicRegistration.isEnabled {
            metadata["registration_endpoint"] = .string(endpoint("register"))
        }
        return metadata
    }

    /// The OpenID Provider configuration: the same metadata, with the members OpenID
    /// Connect Discovery requires.
    public var openIDConfiguration: JSONObject {
        var metadata = serverMetadata
        metadata["subject_types_supported"] = ["public"]
        metadata["id_token_signing_alg_values_supported"] = ["ES256"]
        metadata["claims_supported"] = [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "email", "name", "groups", "org",
        ]
        return metadata
    }

    /// The Protected Resource Metadata of one resource (RFC 9728).
    public func resourceMetadata(_ resource: String) -> JSONObject {
        [
            "resource": .string(resource),
            "authorization_servers": [.string(configuration.issuer)],
            "scopes_supported": .array(configuration.scopesSupported.map { .string($0) }),
            "bearer_methods_supported": ["header"],
            "resource_signing_alg_values_supported": ["ES256"],
        ]
    }
}

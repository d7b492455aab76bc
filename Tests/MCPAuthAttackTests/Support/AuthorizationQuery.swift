import MCPCrypto

/// A PKCE verifier and its S256 challenge (RFC 7636).
struct PKCE: Sendable {
    /// 64 unreserved characters.
    let verifier: String

    init() throws {
        verifier = Base64URL.encode(try SecureRandom.bytes(count: 48))
    }

    /// `BASE64URL(SHA256(verifier))`.
    var challenge: String { Base64URL.encode(SHA256.hash(Array(verifier.utf8))) }
}

/// The query of an authorization request, in order, so a test can drop, change or repeat
/// any parameter.
struct AuthorizationQuery: Sendable {
    var parameters: [(name: String, value: String)]

    /// A well-formed code request with PKCE S256, a state and a resource.
    static func code(
        clientID: String = "app", redirectURI: String = "https://app.example/cb", pkce: PKCE,
        state: String = "state-1234", resource: String
    ) -> AuthorizationQuery {
        AuthorizationQuery(parameters: [
            ("response_type", "code"), ("client_id", clientID), ("redirect_uri", redirectURI), ("state", state),
            ("code_challenge", pkce.challenge), ("code_challenge_method", "S256"), ("resource", resource),
        ])
    }

    /// The query with `name` set to `value` (replacing the first occurrence, or added).
    func setting(_ name: String, to value: String) -> AuthorizationQuery {
        var copy = self
        if let index = copy.parameters.firstIndex(where: { $0.name == name }) {
            copy.parameters[index].value = value
        } else {
            copy.parameters.append((name, value))
        }
        return copy
    }

    /// The query without `name`.
    func removing(_ name: String) -> AuthorizationQuery {
        AuthorizationQuery(parameters: parameters.filter { $0.name != name })
    }

    /// The query with one more `name=value`, even when `name` is there already.
    func appending(_ name: String, _ value: String) -> AuthorizationQuery {
        AuthorizationQuery(parameters: parameters + [(name, value)])
    }

    /// The value of `name`.
    subscript(name: String) -> String? { parameters.first { $0.name == name }?.value }

    /// `/authorize?...`.
    var target: String { "/authorize?" + FormEncoding.encode(parameters.map { ($0.name, $0.value) }) }
}

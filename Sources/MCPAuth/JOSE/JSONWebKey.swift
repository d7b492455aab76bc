public import MCPCore
public import MCPCrypto

/// A P-256 public key as a JSON Web Key (RFC 7517, RFC 7518 §6.2): what the JWKS endpoint
/// publishes and what a verifier of the gateway's tokens reads.
public struct JSONWebKey: Sendable, Hashable {
    /// The key id (`kid`).
    public let keyID: String
    /// The public key.
    public let publicKey: P256.PublicKey

    /// Creates a key.
    public init(keyID: String, publicKey: P256.PublicKey) {
        self.keyID = keyID
        self.publicKey = publicKey
    }

    /// Reads a JWK: `kty` `EC`, `crv` `P-256`, `x`, `y` and `kid`; any private member
    /// (`d`) is refused, so a private key is never taken for a public one.
    ///
    /// - Throws: ``OAuthError`` with ``OAuthError/Code/invalidRequest`` naming the member.
    public init(json: JSONObject) throws(OAuthError) {
        guard json["kty"]?.stringValue == "EC", json["crv"]?.stringValue == "P-256" else {
            throw OAuthError(.invalidRequest, "the key is not an EC P-256 key")
        }
        guard json["d"] == nil else { throw OAuthError(.invalidRequest, "the key set holds a private key") }
        if let alg = json["alg"]?.stringValue, alg != "ES256" {
            throw OAuthError(.invalidRequest, "the key is for \(alg), not ES256")
        }
        guard let kid = json["kid"]?.stringValue, !kid.isEmpty else {
            throw OAuthError(.invalidRequest, "the key has no kid")
        }
        guard let x = json["x"]?.stringValue.flatMap({ try? Base64URL.decode($0) }),
            let y = json["y"]?.stringValue.flatMap({ try? Base64URL.decode($0) }),
            let key = try? P256.PublicKey(x: x, y: y)
        else { throw OAuthError(.invalidRequest, "the key's coordinates are not a P-256 point") }
        self.keyID = kid
        self.publicKey = key
    }

    /// The JWK, with `use` `sig` and `alg` `ES256`.
    public var json: JSONObject {
        [
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": .string(keyID),
            "x": .string(Base64URL.encode(publicKey.x)), "y": .string(Base64URL.encode(publicKey.y)),
        ]
    }

    /// The RFC 7638 thumbprint of a P-256 public key, base64url: a key id that anyone can
    /// recompute from the key.
    public static func thumbprint(of key: P256.PublicKey) -> String {
        let canonical =
            #"{"crv":"P-256","kty":"EC","x":""# + Base64URL.encode(key.x) + #"","y":""#
            + Base64URL.encode(key.y) + #""}"#
        return Base64URL.encode(SHA256.hash(Array(canonical.utf8)))
    }
}

/// A set of keys (RFC 7517 §5), as served at the JWKS endpoint.
public struct JSONWebKeySet: Sendable, Hashable {
    /// The keys.
    public var keys: [JSONWebKey]

    /// Creates a set.
    public init(keys: [JSONWebKey]) { self.keys = keys }

    /// Reads a set; keys of other kinds are skipped, as RFC 7517 §5 asks.
    ///
    /// - Throws: ``OAuthError`` when the document is not a key set.
    public init(json: JSONValue) throws(OAuthError) {
        guard let array = json.objectValue?["keys"]?.arrayValue else {
            throw OAuthError(.invalidRequest, "the document is not a JSON Web Key Set")
        }
        keys = array.compactMap { $0.objectValue.flatMap { try? JSONWebKey(json: $0) } }
    }

    /// `{"keys": [...]}`.
    public var json: JSONValue { .object(["keys": .array(keys.map { .object($0.json) })]) }

    /// The key with this id.
    public subscript(keyID: String) -> JSONWebKey? { keys.first { $0.keyID == keyID } }
}

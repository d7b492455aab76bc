/// One protected resource (an MCP endpoint, or any HTTP API) and how its requests are
/// authenticated: the bearer token in `Authorization` must be valid, issued for this
/// resource, and carry the required scopes.
///
/// A refusal comes with the `WWW-Authenticate` challenge the MCP authorization spec and
/// RFC 6750 / RFC 9728 describe, pointing the client at the resource's metadata.
public struct ProtectedResource: Sendable {
    /// A refused request: the status, the challenge and a JSON error body.
    public struct Challenge: Error, Sendable, Hashable {
        /// 401 for a missing or invalid token, 403 for a missing scope.
        public let status: Int
        /// The `WWW-Authenticate` value.
        public let header: String
        /// The error.
        public let error: OAuthError?
    }

    /// The resource identifier: the endpoint's URL.
    public let resource: String
    /// Where its Protected Resource Metadata is served.
    public let metadataURL: String
    /// The scopes every request needs.
    public let requiredScopes: [String]
    private let validator: AccessTokenValidator

    /// Creates a protected resource.
    ///
    /// - Parameters:
    ///   - resource: the endpoint's URL, as clients send it in `resource`.
    ///   - requiredScopes: the scopes every request needs.
    ///   - validator: what checks tokens.
    public init(resource: String, requiredScopes: [String], validator: AccessTokenValidator) {
        self.resource = resource
        self.metadataURL = Self.metadataURL(for: resource)
        self.requiredScopes = requiredScopes
        self.validator = validator
    }

    /// The RFC 9728 metadata URL of a resource: `/.well-known/oauth-protected-resource`
    /// inserted between the origin and the path.
    public static func metadataURL(for resource: String) -> String {
        guard let parts = RedirectURI.parse(resource) else { return resource }
        let origin = parts.scheme + "://" + parts.host + (parts.port.map { ":" + $0 } ?? "")
        let path = parts.rest == "/" ? "" : parts.rest
        return origin + "/.well-known/oauth-protected-resource" + path
    }

    /// Authenticates a request from its `Authorization` header.
    ///
    /// - Parameter authorization: the header's value, if any.
    /// - Returns: who is calling.
    /// - Throws: ``Challenge`` with the status and `WWW-Authenticate` to answer.
    public func authenticate(authorization: String?) throws(Challenge) -> Principal {
        guard let authorization else { throw challenge(nil) }
        guard let token = Self.bearerToken(authorization) else {
            throw challenge(OAuthError(.invalidRequest, "the Authorization header is not a Bearer token"))
        }
        let principal: Principal
        do {
            principal = try validator.validate(token, audience: resource)
        } catch {
            throw challenge(error)
        }
        let missing = requiredScopes.filter { !principal.scopes.contains($0) }
        guard missing.isEmpty else {
            throw challenge(
                OAuthError(.insufficientScope, "the token lacks the scope \(missing.joined(separator: " "))"))
        }
        return principal
    }

    /// The token of a `Bearer` authorization, or `nil` when the header is of another scheme
    /// or the token is not a token68 (RFC 6750 §2.1).
    public static func bearerToken(_ authorization: String) -> Substring? {
        let utf8 = authorization.utf8
        guard utf8.count > 7, authorization.prefix(7).lowercased() == "bearer " else { return nil }
        let token = authorization.dropFirst(7).drop(while: { $0 == " " })
        guard !token.isEmpty,
            token.utf8.allSatisfy({ byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                    UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"), UInt8(ascii: "="):
                    true
                default: false
                }
            })
        else { return nil }
        return token
    }

    /// The challenge for a refusal; `nil` for a request with no credentials at all.
    public func challenge(_ error: OAuthError?) -> Challenge {
        var parts: [String] = []
        let status: Int
        if let error {
            status = error.code == .insufficientScope ? 403 : (error.code == .invalidRequest ? 400 : 401)
            parts.append("error=\"\(error.code.rawValue)\"")
            parts.append("error_description=\"\(Self.quotable(error.message))\"")
        } else {
            status = 401
        }
        parts.append("resource_metadata=\"\(metadataURL)\"")
        if !requiredScopes.isEmpty { parts.append("scope=\"\(requiredScopes.joined(separator: " "))\"") }
        return Challenge(status: status, header: "Bearer " + parts.joined(separator: ", "), error: error)
    }

    private static func quotable(_ text: String) -> String {
        String(
            text.unicodeScalars.filter { $0.value >= 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" }.map(
                Character.init))
    }
}

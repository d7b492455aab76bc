import Foundation
import MCPCore

/// What the gateway needs to know about an upstream's authorization server, found from
/// the upstream itself.
public struct UpstreamAuthorizationServer: Sendable, Hashable {
    /// The issuer.
    public var issuer: String
    /// The authorization endpoint.
    public var authorizationEndpoint: String
    /// The token endpoint.
    public var tokenEndpoint: String
    /// The registration endpoint (RFC 7591), when there is one.
    public var registrationEndpoint: String?
    /// The revocation endpoint (RFC 7009), when there is one.
    public var revocationEndpoint: String?
    /// Whether client ids may be metadata document URLs.
    public var acceptsMetadataDocuments: Bool
    /// Whether the server puts `iss` in its authorization responses (RFC 9207).
    public var sendsIssuerInResponses: Bool
    /// The resource identifier of the upstream, from its metadata (RFC 9728).
    public var resource: String?
    /// The scopes the upstream says it supports.
    public var scopes: [String]
}

/// Finds an upstream's authorization server the way the MCP authorization spec lays out:
/// the `resource_metadata` of its 401 challenge, or the well-known Protected Resource
/// Metadata URLs (path-inserted, then the root); then the authorization server's RFC 8414
/// metadata or its OpenID configuration, in the path-insertion and path-appending forms.
/// A server with no metadata at all (2025-03-26 style) gets the default endpoints at the
/// origin's root. Every request goes through a ``GuardedFetcher``.
struct UpstreamAuthorizationDiscovery: Sendable {
    let fetcher: GuardedFetcher

    /// Discovers the authorization server of the MCP endpoint at `url`.
    ///
    /// - Parameter challenge: the `WWW-Authenticate` value of the upstream's 401, if known.
    func discover(url: String, challenge: String?) async throws(OAuthError) -> UpstreamAuthorizationServer {
        guard let parts = RedirectURI.parse(url) else {
            throw OAuthError(.invalidRequest, "the upstream URL is malformed")
        }
        let origin = parts.scheme + "://" + parts.host + (parts.port.map { ":" + $0 } ?? "")
        let path = Self.path(of: parts.rest)
        var candidates: [String] = []
        if let challenge, let metadata = Self.parameter("resource_metadata", in: challenge) {
            candidates.append(metadata)
        }
        if !path.isEmpty { candidates.append(origin + "/.well-known/oauth-protected-resource" + path) }
        candidates.append(origin + "/.well-known/oauth-protected-resource")
        var resourceMetadata: JSONObject?
        for candidate in candidates {
            if let answer = try? await fetcher.fetch(candidate), answer.status == 200, let object = answer.jsonObject {
                resourceMetadata = object
                break
            }
        }
        let issuer: String
        var scopes: [String] = []
        var resource: String?
        if let resourceMetadata {
            guard let first = resourceMetadata["authorization_servers"]?.arrayValue?.first?.stringValue else {
                throw OAuthError(.invalidRequest, "the upstream's resource metadata names no authorization server")
            }
            issuer = first.hasSuffix("/") ? String(first.dropLast()) : first
            scopes = resourceMetadata["scopes_supported"]?.arrayValue?.compactMap(\.stringValue) ?? []
            resource = resourceMetadata["resource"]?.stringValue
            // RFC 9728 §3.3: metadata about another resource must not be used (its tokens
            // would be for someone else).
            if let resource, Self.trimmed(resource) != Self.trimmed(url) {
                throw OAuthError(.invalidRequest, "the upstream's resource metadata is about another resource")
            }
        } else {
            issuer = origin
        }
        if let challenge, let scope = Self.parameter("scope", in: challenge) {
            scopes = scope.split(separator: " ").map(String.init)
        }
        guard let issuerParts = RedirectURI.parse(issuer) else {
            throw OAuthError(.invalidRequest, "the authorization server's issuer is not a URL")
        }
        let issuerOrigin = issuerParts.scheme + "://" + issuerParts.host + (issuerParts.port.map { ":" + $0 } ?? "")
        let issuerPath = Self.path(of: issuerParts.rest)
        let metadataURLs =
            issuerPath.isEmpty
            ? [
                issuerOrigin + "/.well-known/oauth-authorization-server",
                issuerOrigin + "/.well-known/openid-configuration",
            ]
            : [
                issuerOrigin + "/.well-known/oauth-authorization-server" + issuerPath,
                issuerOrigin + "/.well-known/openid-configuration" + issuerPath,
                issuerOrigin + issuerPath + "/.well-known/openid-configuration",
            ]
        for candidate in metadataURLs {
            guard let answer = try? await fetcher.fetch(candidate), answer.status == 200,
                let metadata = answer.jsonObject
            else { continue }
            guard metadata["issuer"]?.stringValue == issuer else {
                throw OAuthError(.invalidRequest, "the authorization server's metadata names another issuer")
            }
            guard let authorization = metadata["authorization_endpoint"]?.stringValue,
                let token = metadata["token_endpoint"]?.stringValue
            else { throw OAuthError(.invalidRequest, "the authorization server's metadata lacks its endpoints") }
            if let methods = metadata["code_challenge_methods_supported"]?.arrayValue, !methods.contains("S256") {
                throw OAuthError(.invalidRequest, "the authorization server does not support PKCE S256")
            }
            return UpstreamAuthorizationServer(
                issuer: issuer, authorizationEndpoint: authorization, tokenEndpoint: token,
                registrationEndpoint: metadata["registration_endpoint"]?.stringValue,
                revocationEndpoint: metadata["revocation_endpoint"]?.stringValue,
                acceptsMetadataDocuments: metadata["client_id_metadata_document_supported"]?.boolValue ?? false,
                sendsIssuerInResponses: metadata["authorization_response_iss_parameter_supported"]?.boolValue ?? false,
                resource: resource, scopes: scopes)
        }
        guard resourceMetadata == nil else {
            throw OAuthError(.invalidRequest, "the authorization server \(issuer) publishes no metadata")
        }
        // No metadata anywhere: the 2025-03-26 defaults at the origin's root.
        return UpstreamAuthorizationServer(
            issuer: issuer, authorizationEndpoint: origin + "/authorize", tokenEndpoint: origin + "/token",
            registrationEndpoint: origin + "/register", revocationEndpoint: nil, acceptsMetadataDocuments: false,
            sendsIssuerInResponses: false, resource: nil, scopes: scopes)
    }

    /// A URL without a trailing `/`, for comparing resource identifiers.
    static func trimmed(_ url: String) -> String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    /// The path of a URL's rest (`/a/b?x` → `/a/b`), empty for the root.
    static func path(of rest: String) -> String {
        let path = String(rest.prefix { $0 != "?" && $0 != "#" })
        return path == "/" ? "" : (path.hasSuffix("/") ? String(path.dropLast()) : path)
    }

    /// A parameter of a `WWW-Authenticate` challenge (`name="value"` or `name=value`).
    static func parameter(_ name: String, in challenge: String) -> String? {
        var rest = Substring(challenge)
        while let range = rest.range(of: name + "=") {
            let before = rest[..<range.lowerBound].last
            rest = rest[range.upperBound...]
            guard before == nil || before == " " || before == "," else { continue }
            if rest.hasPrefix("\"") {
                let value = rest.dropFirst().prefix { $0 != "\"" }
                return String(value)
            }
            return String(rest.prefix { $0 != "," && $0 != " " })
        }
        return nil
    }
}

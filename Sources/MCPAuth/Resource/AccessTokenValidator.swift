import MCPCore
public import MCPCrypto
import Synchronization

/// Whether a user may still act, for validators that refuse the tokens of users disabled
/// or deleted since the token was issued.
public protocol SubjectStatus: Sendable {
    /// Whether `subject` exists and is not disabled.
    func isActive(_ subject: String) -> Bool
}

/// Where a validator finds the public key a token names.
public protocol TokenKeySource: Sendable {
    /// The public key with this id, or `nil` when it is unknown or no longer published.
    func publicKey(_ keyID: String) -> P256.PublicKey?
}

extension SigningKeyRing: TokenKeySource {}

/// Turns a bearer access token (an RFC 9068 JWT signed ES256) into the ``Principal`` it
/// was issued for, or refuses it with `invalid_token`.
///
/// The signature of a token is checked once and remembered (a bounded cache keyed by the
/// token); the time claims, the audience and revocation are checked on every request, so
/// a cached token still expires and can still be revoked.
public final class AccessTokenValidator: Sendable {
    private struct Verified: Sendable {
        let principal: Principal
        let audiences: [String]
        let notBefore: Int64
    }

    /// The issuer tokens must name.
    public let issuer: String
    private let keys: any TokenKeySource
    private let clock: AuthClock
    /// The clock skew allowed on `exp`, `nbf` and `iat`, in seconds: a token is good until
    /// `exp + leeway`, so a revocation must outlive that.
    public let leeway: Int64
    private let capacity: Int
    private let revocations: RevokedTokens?
    private let subjects: (any SubjectStatus)?
    private let cache = Mutex<[String: Verified]>([:])

    /// Creates a validator.
    ///
    /// - Parameters:
    ///   - issuer: the `iss` tokens must carry.
    ///   - keys: the issuer's public keys.
    ///   - revocations: revoked token ids, when the issuer revokes access tokens.
    ///   - leeway: clock skew allowed on `exp`, `nbf` and `iat`, in seconds.
    ///   - cacheCapacity: how many verified tokens are remembered.
    ///   - clock: the time source.
    ///   - subjects: whether a token's subject may still act (a disabled or deleted user may
    ///     not), when the issuer can tell; it should answer from a cache.
    public init(
        issuer: String, keys: any TokenKeySource, revocations: RevokedTokens? = nil, leeway: Int64 = 30,
        cacheCapacity: Int = 10_000, clock: AuthClock = .system, subjects: (any SubjectStatus)? = nil
    ) {
        self.subjects = subjects
        self.issuer = issuer
        self.keys = keys
        self.revocations = revocations
        self.leeway = leeway
        self.capacity = max(1, cacheCapacity)
        self.clock = clock
    }

    /// Validates a token for one resource.
    ///
    /// - Parameters:
    ///   - token: the bearer token.
    ///   - audience: the resource the request is for; the token's `aud` must name it.
    /// - Returns: who the token was issued for.
    /// - Throws: ``OAuthError`` with ``OAuthError/Code/invalidToken``.
    public func validate(_ token: some StringProtocol, audience: String) throws(OAuthError) -> Principal {
        let key = String(token)
        let verified: Verified
        if let cached = cache.withLock({ $0[key] }) {
            verified = cached
        } else {
            verified = try verify(key)
            cache.withLock { cache in
                if cache.count >= capacity {
                    let now = clock.now()
                    cache = cache.filter { $0.value.principal.expiresAt + leeway > now }
                    if cache.count >= capacity { cache.removeAll(keepingCapacity: true) }
                }
                cache[key] = verified
            }
        }
        let now = clock.now()
        guard verified.principal.expiresAt + leeway > now else { throw Self.invalid("the token has expired") }
        guard verified.notBefore - leeway <= now else { throw Self.invalid("the token is not valid yet") }
        guard verified.audiences.contains(audience) else {
            throw Self.invalid("the token was issued for another resource")
        }
        if let revocations, revocations.isRevoked(verified.principal) { throw Self.invalid("the token was revoked") }
        if let subjects, !subjects.isActive(verified.principal.subject) {
            throw Self.invalid("the token's user can no longer sign in")
        }
        return verified.principal
    }

    /// Checks a token's signature, issuer and expiry, whatever resource it is for: what
    /// revocation and introspection need.
    ///
    /// - Returns: the principal and the token's audiences.
    /// - Throws: ``OAuthError`` with ``OAuthError/Code/invalidToken``.
    public func inspect(_ token: some StringProtocol) throws(OAuthError) -> (principal: Principal, audiences: [String])
    {
        let verified = try verify(String(token))
        let now = clock.now()
        guard verified.principal.expiresAt + leeway > now else { throw Self.invalid("the token has expired") }
        guard verified.notBefore - leeway <= now else { throw Self.invalid("the token is not valid yet") }
        if let revocations, revocations.isRevoked(verified.principal) { throw Self.invalid("the token was revoked") }
        return (verified.principal, verified.audiences)
    }

    /// Forgets every remembered token (after keys were withdrawn, say).
    public func clearCache() { cache.withLock { $0.removeAll() } }

    private func verify(_ token: String) throws(OAuthError) -> Verified {
        let jwt = try JSONWebToken(parsing: token, expectedType: "at+jwt")
        guard let key = keys.publicKey(jwt.keyID) else { throw Self.invalid("the token is signed by an unknown key") }
        guard jwt.isSigned(by: key) else { throw Self.invalid("the token signature is invalid") }
        let claims = jwt.claims
        guard claims["iss"]?.stringValue == issuer else { throw Self.invalid("the token is from another issuer") }
        guard let subject = claims["sub"]?.stringValue, !subject.isEmpty,
            let organization = claims["org"]?.stringValue,
            let clientID = claims["client_id"]?.stringValue,
            let tokenID = claims["jti"]?.stringValue,
            let expires = claims["exp"]?.numberValue?.int64Value,
            let issuedAt = claims["iat"]?.numberValue?.int64Value
        else { throw Self.invalid("the token lacks a required claim") }
        let audiences: [String]
        switch claims["aud"] {
        case .string(let one)?: audiences = [one]
        case .array(let many)?: audiences = many.compactMap(\.stringValue)
        default: throw Self.invalid("the token has no audience")
        }
        let notBefore = claims["nbf"]?.numberValue?.int64Value ?? issuedAt
        guard issuedAt - leeway <= clock.now() else { throw Self.invalid("the token is issued in the future") }
        let teams = claims["groups"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let scopes = claims["scope"]?.stringValue.map { $0.split(separator: " ").map(String.init) } ?? []
        return Verified(
            principal: Principal(
                subject: subject, organization: organization, teams: teams, clientID: clientID, scopes: scopes,
                tokenID: tokenID, expiresAt: expires, grantID: claims["sid"]?.stringValue),
            audiences: audiences, notBefore: max(notBefore, issuedAt))
    }

    private static func invalid(_ message: String) -> OAuthError { OAuthError(.invalidToken, message) }
}

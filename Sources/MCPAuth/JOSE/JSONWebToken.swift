public import MCPCore
public import MCPCrypto

/// A JSON Web Token in JWS compact serialization (RFC 7515, RFC 7519), signed with ES256
/// (the gateway's own tokens) or, for ID tokens of external providers, RS256.
///
/// Parsing is strict and bounded: three base64url parts, a header whose `alg` is one the
/// caller accepts (so `none`, `HS256` signed with a public key and every other algorithm
/// are refused before any key is touched), a `kid`, no `crit` extension, and JSON objects
/// for the header and the claims. Keys named in the token itself (`jwk`, `jku`, `x5u`) are
/// never used.
public struct JSONWebToken: Sendable {
    /// The decoded header.
    public let header: JSONObject
    /// The decoded claims.
    public let claims: JSONObject
    /// The key id from the header.
    public let keyID: String
    /// The signature algorithm from the header: `ES256` or `RS256`.
    public let algorithm: String
    /// `header.claims` as sent: what the signature covers.
    public let signingInput: ArraySlice<UInt8>
    /// The 64-byte `r || s` signature.
    public let signature: [UInt8]

    /// The most bytes a token may have.
    public static let defaultMaximumLength = 8192

    /// Parses a token without checking its signature.
    ///
    /// - Parameters:
    ///   - token: the compact serialization.
    ///   - expectedType: the `typ` the header must carry (compared without regard to case,
    ///     with or without the `application/` prefix), or `nil` to accept any.
    ///   - algorithms: the algorithms accepted, among `ES256` and `RS256`.
    ///   - maximumLength: the most bytes accepted.
    /// - Throws: ``OAuthError`` with ``OAuthError/Code/invalidToken``.
    public init(
        parsing token: some StringProtocol, expectedType: String? = nil, algorithms: Set<String> = ["ES256"],
        maximumLength: Int = defaultMaximumLength
    ) throws(OAuthError) {
        let bytes = Array(token.utf8)
        guard bytes.count <= maximumLength else { throw Self.invalid("the token is too long") }
        guard let first = bytes.firstIndex(of: UInt8(ascii: ".")),
            let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: ".")),
            !bytes[(second + 1)...].contains(UInt8(ascii: "."))
        else { throw Self.invalid("the token is not a compact JWS") }
        guard let headerBytes = try? Base64URL.decode(utf8: bytes[..<first]),
            let claimBytes = try? Base64URL.decode(utf8: bytes[(first + 1)..<second]),
            let signature = try? Base64URL.decode(utf8: bytes[(second + 1)...])
        else { throw Self.invalid("the token is not base64url") }
        guard let header = (try? JSONValue(parsing: headerBytes))?.objectValue else {
            throw Self.invalid("the token header is not a JSON object")
        }
        guard let algorithm = header["alg"]?.stringValue, algorithms.contains(algorithm),
            algorithm == "ES256" || algorithm == "RS256"
        else { throw Self.invalid("the token is not signed with \(algorithms.sorted().joined(separator: " or "))") }
        guard header["crit"] == nil else { throw Self.invalid("the token uses a critical extension") }
        if let expectedType {
            guard let type = header["typ"]?.stringValue, Self.sameType(type, expectedType) else {
                throw Self.invalid("the token is not of type \(expectedType)")
            }
        }
        guard let keyID = header["kid"]?.stringValue, !keyID.isEmpty else {
            throw Self.invalid("the token names no key")
        }
        guard algorithm == "ES256" ? signature.count == 64 : (256...1024).contains(signature.count) else {
            throw Self.invalid("the signature is not an \(algorithm) signature")
        }
        guard let claims = (try? JSONValue(parsing: claimBytes))?.objectValue else {
            throw Self.invalid("the token claims are not a JSON object")
        }
        self.header = header
        self.claims = claims
        self.keyID = keyID
        self.algorithm = algorithm
        self.signingInput = bytes[..<second]
        self.signature = signature
    }

    /// Whether the token is ES256 and its signature is valid under `key`.
    public func isSigned(by key: P256.PublicKey) -> Bool {
        algorithm == "ES256" && key.isValidSignature(signature, for: signingInput)
    }

    /// Whether the token is RS256 and its signature is valid under `key`.
    public func isSigned(by key: RSA.PublicKey) -> Bool {
        algorithm == "RS256" && key.isValidSignature(signature, for: signingInput)
    }

    /// Signs claims into a compact token.
    ///
    /// - Parameters:
    ///   - claims: the claims.
    ///   - key: the private key.
    ///   - keyID: its `kid`.
    ///   - type: the `typ` header, such as `at+jwt`.
    /// - Returns: the compact serialization.
    public static func sign(
        _ claims: JSONObject, with key: P256.PrivateKey, keyID: String, type: String = "JWT"
    ) throws(CryptoError) -> String {
        let header: JSONValue = ["alg": "ES256", "typ": .string(type), "kid": .string(keyID)]
        let input =
            Base64URL.encode(JSONSerializer().serialize(header)) + "."
            + Base64URL.encode(JSONSerializer().serialize(.object(claims)))
        let signature = try key.signature(for: Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    private static func sameType(_ type: String, _ expected: String) -> Bool {
        let lower = type.lowercased()
        let wanted = expected.lowercased()
        return lower == wanted || lower == "application/" + wanted
    }

    private static func invalid(_ message: String) -> OAuthError { OAuthError(.invalidToken, message) }
}

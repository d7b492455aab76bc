/// The rules for redirect URIs: which a client may register, and which requested URI
/// matches a registered one.
///
/// Matching is exact, character for character (no prefix, case or encoding
/// normalization), with the one exception RFC 8252 §7.3 makes for native clients: for an
/// `http` loopback URI the port may differ, since the client picks a free port when it
/// starts.
public enum RedirectURI {
    /// The longest accepted redirect URI.
    public static let maximumLength = 2000

    /// The parts of a URI the rules look at.
    struct Parts: Equatable {
        var scheme: String
        var host: String
        var port: String?
        var rest: String
    }

    /// Why a redirect URI cannot be registered, or `nil` when it can.
    ///
    /// Accepted: `https` URIs, `http` URIs on a loopback host (`127.0.0.1`, `[::1]`,
    /// `localhost`), and private-use schemes of native apps written as a reversed domain
    /// (`com.example.app:/callback`). Refused: fragments, user information, white space
    /// and control characters, and schemes such as `javascript`, `data` or `file`.
    public static func problem(with uri: String) -> String? {
        guard !uri.isEmpty, uri.utf8.count <= maximumLength else {
            return "a redirect URI is 1 to \(maximumLength) bytes"
        }
        guard uri.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            return "a redirect URI has no white space, control or non-ASCII characters"
        }
        guard !uri.contains("#") else { return "a redirect URI has no fragment" }
        guard let colon = uri.firstIndex(of: ":") else { return "a redirect URI is absolute" }
        let scheme = uri[..<colon].lowercased()
        guard let first = scheme.unicodeScalars.first, first.properties.isAlphabetic,
            scheme.unicodeScalars.allSatisfy({
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)
            })
        else { return "a redirect URI has a valid scheme" }
        switch scheme {
        case "https":
            guard let parts = parse(uri), !parts.host.isEmpty else { return "an https redirect URI names a host" }
            _ = parts
            return nil
        case "http":
            guard let parts = parse(uri), isLoopback(parts.host) else {
                return "an http redirect URI must be on a loopback host (127.0.0.1, [::1] or localhost)"
            }
            return nil
        default:
            guard scheme.contains(".") else {
                return "a redirect URI uses https, http on a loopback host, or a reversed-domain private-use scheme"
            }
            return nil
        }
    }

    /// Whether `requested` matches one of `registered`.
    public static func matches(_ requested: String, registered: [String]) -> Bool {
        if registered.contains(requested) { return true }
        guard let wanted = parse(requested), wanted.scheme == "http", isLoopback(wanted.host) else { return false }
        return registered.contains { candidate in
            guard let parts = parse(candidate), parts.scheme == "http", isLoopback(parts.host) else { return false }
            return parts.host == wanted.host && parts.rest == wanted.rest
        }
    }

    /// Whether a host is a loopback address or `localhost`.
    static func isLoopback(_ host: String) -> Bool {
        host == "127.0.0.1" || host == "[::1]" || host == "localhost"
    }

    /// Splits `scheme://host[:port]rest`, refusing user information; the scheme is
    /// compared as written, so `HTTP://` matches nothing registered as `http://`.
    static func parse(_ uri: String) -> Parts? {
        guard let range = uri.range(of: "://") else { return nil }
        let scheme = String(uri[..<range.lowerBound])
        let afterScheme = uri[range.upperBound...]
        let authorityEnd =
            afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard !authority.contains("@") else { return nil }
        var host = String(authority)
        var port: String?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[...close])
            let tail = authority[authority.index(after: close)...]
            if tail.hasPrefix(":") { port = String(tail.dropFirst()) } else if !tail.isEmpty { return nil }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        }
        if let port, !port.isEmpty, !port.allSatisfy(\.isASCII) || !port.allSatisfy(\.isNumber) { return nil }
        return Parts(scheme: scheme, host: host, port: port, rest: String(afterScheme[authorityEnd...]))
    }
}

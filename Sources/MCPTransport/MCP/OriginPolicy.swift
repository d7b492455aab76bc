/// Which browser origins may call an MCP endpoint.
///
/// Browsers send `Origin` with cross-site requests; checking it stops a web page from
/// reaching a local MCP server through DNS rebinding. Requests without `Origin` come from
/// non-browser clients and are allowed. A refused origin gets HTTP 403.
public struct OriginPolicy: Sendable, Hashable {
    /// Origins allowed exactly, such as `https://app.example.com` (scheme, host and
    /// optional port, compared without regard to case).
    public var allowedOrigins: Set<String>
    /// Whether `http://localhost`, `http://127.0.0.1` and `http://[::1]` on any port are
    /// allowed.
    public var allowsLoopback: Bool

    /// Creates a policy.
    ///
    /// - Parameters:
    ///   - allowedOrigins: origins allowed exactly.
    ///   - allowsLoopback: whether loopback origins on any port are allowed (default true).
    public init(allowedOrigins: Set<String> = [], allowsLoopback: Bool = true) {
        self.allowedOrigins = Set(allowedOrigins.map { $0.lowercased() })
        self.allowsLoopback = allowsLoopback
    }

    /// Whether a request with this `Origin` header may proceed.
    ///
    /// - Parameter origin: the header's value, or `nil` when absent.
    public func allows(_ origin: String?) -> Bool {
        guard let origin else { return true }
        let lowered = origin.lowercased()
        if allowedOrigins.contains(lowered) { return true }
        guard allowsLoopback else { return false }
        for host in ["http://localhost", "http://127.0.0.1", "http://[::1]", "https://localhost", "https://127.0.0.1", "https://[::1]"] {
            guard lowered.hasPrefix(host) else { continue }
            let rest = lowered.dropFirst(host.count)
            if rest.isEmpty { return true }
            if rest.first == ":", rest.count > 1, rest.count <= 6, rest.dropFirst().allSatisfy(\.isNumber) { return true }
        }
        return false
    }
}

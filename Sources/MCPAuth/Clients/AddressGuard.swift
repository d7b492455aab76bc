#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Refuses outgoing requests (client metadata documents, provider discovery, JWKS) to
/// addresses inside the gateway's own network: loopback, private, link-local (cloud
/// metadata services), carrier-grade NAT, unspecified, multicast and reserved ranges, in
/// IPv4, IPv6, and IPv4 mapped into IPv6.
///
/// The host is resolved and every address it resolves to is checked, so any spelling of
/// an address (decimal, octal, hexadecimal, short forms) is judged by what it means.
public struct AddressGuard: Sendable {
    /// Whether internal addresses are allowed (for development and tests).
    public var allowsInternalAddresses: Bool

    /// Creates a guard.
    public init(allowsInternalAddresses: Bool = false) {
        self.allowsInternalAddresses = allowsInternalAddresses
    }

    /// Checks a host before a request is made to it.
    ///
    /// - Parameter host: a name or an address literal (IPv6 in brackets or not).
    /// - Returns: the addresses the host resolved to, in text form.
    /// - Throws: ``OAuthError`` with ``OAuthError/Code/invalidClientMetadata`` naming why.
    @discardableResult
    public func check(host: String) throws(OAuthError) -> [String] {
        var name = host
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        guard !name.isEmpty else { throw OAuthError(.invalidClientMetadata, "the URL has no host") }
        let addresses = Self.resolve(name)
        guard !addresses.isEmpty else { throw OAuthError(.invalidClientMetadata, "the host \(host) does not resolve") }
        if !allowsInternalAddresses {
            for address in addresses where Self.isInternal(address) {
                throw OAuthError(
                    .invalidClientMetadata, "the host \(host) resolves to an internal address, which is not allowed")
            }
        }
        return addresses.map(\.text)
    }

    /// ``check(host:)`` on the resolver threads, so a slow or silent name server never
    /// blocks an event loop.
    @discardableResult
    public func checkResolving(host: String) async throws(OAuthError) -> [String] {
        let guardrail = self
        let outcome: Result<[String], OAuthError> = await BlockingWork.resolving {
            do throws(OAuthError) {
                return .success(try guardrail.check(host: host))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// A resolved address.
    struct Address {
        var bytes: [UInt8]
        var text: String {
            if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
            return stride(from: 0, to: 16, by: 2).map {
                String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16)
            }
            .joined(separator: ":")
        }
    }

    static func resolve(_ host: String) -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor, addresses.count < 64 {
            if let sockaddr = info.pointee.ai_addr {
                if info.pointee.ai_family == AF_INET {
                    sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin_addr
                        addresses.append(Address(bytes: withUnsafeBytes(of: &address) { Array($0) }))
                    }
                } else if info.pointee.ai_family == AF_INET6 {
                    sockaddr.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { pointer in
                        var address = pointer.pointee.sin6_addr
                        addresses.append(Address(bytes: withUnsafeBytes(of: &address) { Array($0) }))
                    }
                }
            }
            cursor = info.pointee.ai_next
        }
        return addresses
    }

    /// Whether an address is inside a range that must not be reached from outside.
    static func isInternal(_ address: Address) -> Bool {
        let b = address.bytes
        if b.count == 4 { return isInternalIPv4(b) }
        guard b.count == 16 else { return true }
        // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) forms.
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF {
            return isInternalIPv4(Array(b[12...]))
        }
        if b[0..<12].allSatisfy({ $0 == 0 }) { return true }  // ::, ::1 and the deprecated compatible form
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B {
            // 64:ff9b::/96 translates public IPv4; 64:ff9b:1::/48 is for local use.
            if b[4] == 0x00 && b[5] == 0x01 { return true }
            return isInternalIPv4(Array(b[12...]))
        }
        if b[0..<8].allSatisfy({ $0 == 0 }) && b[8] == 0xFF && b[9] == 0xFF && b[10] == 0 && b[11] == 0 {
            return true  // ::ffff:0:0/96, IPv4-translated
        }
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00 { return true }  // Teredo 2001::/32
        if b[0] == 0x01 && b[1] == 0x00 && b[2..<8].allSatisfy({ $0 == 0 }) { return true }  // 100::/64 discard
        if b[0] & 0xFE == 0xFC { return true }  // fc00::/7 unique local
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return true }  // fe80::/10 link-local
        if b[0] == 0xFE && b[1] & 0xC0 == 0xC0 { return true }  // fec0::/10 site-local
        if b[0] == 0xFF { return true }  // multicast
        if b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8 { return true }  // documentation
        if b[0] == 0x20 && b[1] == 0x02 { return isInternalIPv4(Array(b[2..<6])) }  // 6to4
        return false
    }

    private static func isInternalIPv4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): return true
        case (100, 64...127): return true  // carrier-grade NAT
        case (169, 254): return true  // link-local, cloud metadata
        case (172, 16...31): return true
        case (192, 168): return true
        case (192, 0) where b[2] == 0 || b[2] == 2: return true  // IETF protocol, documentation
        case (198, 18...19): return true  // benchmarking
        case (198, 51) where b[2] == 100: return true
        case (203, 0) where b[2] == 113: return true
        case (224...255, _): return true  // multicast, reserved, broadcast
        default: return false
        }
    }
}

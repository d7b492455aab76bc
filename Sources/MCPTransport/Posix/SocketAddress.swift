internal import Glibc

/// An IPv4 or IPv6 address and port.
public struct SocketAddress: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Sendable, Hashable {
        case v4(UInt32, UInt16)  // network byte order address, host order port
        case v6([UInt8], UInt16, UInt32)  // 16 bytes, port, scope id
    }

    let storage: Storage

    /// Parses a numeric IPv4 (`127.0.0.1`) or IPv6 (`::1`) address; no name lookup.
    ///
    /// - Parameters:
    ///   - host: the numeric address.
    ///   - port: the port.
    /// - Returns: the address, or `nil` when `host` is not a numeric address.
    public init?(host: String, port: UInt16) {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            storage = .v4(v4.s_addr, port)
            return
        }
        var v6 = in6_addr()
        let trimmed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if inet_pton(AF_INET6, trimmed, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            storage = .v6(bytes, port, 0)
            return
        }
        return nil
    }

    init(_ storage: Storage) { self.storage = storage }

    /// The port.
    public var port: UInt16 {
        switch storage {
        case .v4(_, let port), .v6(_, let port, _): port
        }
    }

    /// The address without the port: `127.0.0.1` or `::1`.
    public var host: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        switch storage {
        case .v4(let address, _):
            var value = in_addr(s_addr: address)
            inet_ntop(AF_INET, &value, &buffer, socklen_t(buffer.count))
        case .v6(let bytes, _, _):
            var value = in6_addr()
            withUnsafeMutableBytes(of: &value) { $0.copyBytes(from: bytes) }
            inet_ntop(AF_INET6, &value, &buffer, socklen_t(buffer.count))
        }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether this is a loopback address (127.0.0.0/8 or ::1).
    public var isLoopback: Bool {
        switch storage {
        case .v4(let address, _): UInt32(bigEndian: address) >> 24 == 127
        case .v6(let bytes, _, _): bytes == [UInt8](repeating: 0, count: 15) + [1]
        }
    }

    /// `host:port`, with brackets around an IPv6 host.
    public var description: String {
        switch storage {
        case .v4: "\(host):\(port)"
        case .v6: "[\(host)]:\(port)"
        }
    }

    var family: CInt {
        switch storage {
        case .v4: AF_INET
        case .v6: AF_INET6
        }
    }

    /// Calls `body` with this address as a `sockaddr`.
    func withSockAddr<Result>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(SystemCallError) -> Result) throws(SystemCallError) -> Result {
        switch storage {
        case .v4(let address, let port):
            var value = sockaddr_in()
            value.sin_family = sa_family_t(AF_INET)
            value.sin_port = port.bigEndian
            value.sin_addr = in_addr(s_addr: address)
            return try withUnsafePointer(to: &value) { pointer throws(SystemCallError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(SystemCallError) in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let bytes, let port, let scope):
            var value = sockaddr_in6()
            value.sin6_family = sa_family_t(AF_INET6)
            value.sin6_port = port.bigEndian
            value.sin6_scope_id = scope
            withUnsafeMutableBytes(of: &value.sin6_addr) { $0.copyBytes(from: bytes) }
            return try withUnsafePointer(to: &value) { pointer throws(SystemCallError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(SystemCallError) in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }

    /// Reads an address from a `sockaddr_storage`.
    init?(_ storage: sockaddr_storage) {
        var storage = storage
        switch CInt(storage.ss_family) {
        case AF_INET:
            let value = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee } }
            self.storage = .v4(value.sin_addr.s_addr, UInt16(bigEndian: value.sin_port))
        case AF_INET6:
            var value = withUnsafePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee } }
            let bytes = withUnsafeBytes(of: &value.sin6_addr) { Array($0) }
            self.storage = .v6(bytes, UInt16(bigEndian: value.sin6_port), value.sin6_scope_id)
        default:
            return nil
        }
    }
}

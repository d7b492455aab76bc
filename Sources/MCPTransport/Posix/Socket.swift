internal import CLinux
internal import Glibc

/// A non-blocking socket descriptor, closed when released.
///
/// Owned by one event loop at a time; not shared across threads.
final class Socket {
    private(set) var descriptor: CInt

    init(adopting descriptor: CInt) {
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { Glibc.close(descriptor) }
    }

    var isOpen: Bool { descriptor >= 0 }

    func close() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
    }

    /// A listening TCP socket bound to `address`, non-blocking and close-on-exec.
    ///
    /// - Parameters:
    ///   - address: where to listen; port 0 picks a free port.
    ///   - backlog: the accept queue length.
    ///   - reusePort: whether several sockets (one per event loop) may bind the same
    ///     address, with the kernel spreading connections between them.
    static func listen(on address: SocketAddress, backlog: CInt, reusePort: Bool) throws(SystemCallError) -> Socket {
        let descriptor = try systemCall("socket") {
            Glibc.socket(address.family, CInt(SOCK_STREAM.rawValue) | CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue), 0)
        }
        let socket = Socket(adopting: descriptor)
        try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
        if reusePort { try socket.setOption(SOL_SOCKET, SO_REUSEPORT, 1) }
        if address.family == AF_INET6 { try socket.setOption(CInt(IPPROTO_IPV6), IPV6_V6ONLY, 1) }
        _ = try address.withSockAddr { (pointer, length) throws(SystemCallError) in
            try systemCall("bind(\(address))") { Glibc.bind(descriptor, pointer, length) }
        }
        _ = try systemCall("listen") { Glibc.listen(descriptor, backlog) }
        return socket
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket.
    ///
    /// - Returns: the socket and the peer's address, or `nil` when none is pending.
    func accept() throws(SystemCallError) -> (Socket, SocketAddress?)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let accepted = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                try nonBlockingCall("accept4") {
                    accept4(descriptor, address, &length, CInt(SOCK_NONBLOCK.rawValue) | CInt(SOCK_CLOEXEC.rawValue))
                }
            }
        }
        guard let accepted else { return nil }
        return (Socket(adopting: accepted), SocketAddress(storage))
    }

    /// The address this socket is bound to.
    func localAddress() throws(SystemCallError) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { pointer throws(SystemCallError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { address throws(SystemCallError) in
                try systemCall("getsockname") { getsockname(descriptor, address, &length) }
            }
        }
        return SocketAddress(storage)
    }

    func setOption(_ level: CInt, _ name: CInt, _ value: CInt) throws(SystemCallError) {
        var value = value
        _ = try systemCall("setsockopt") {
            setsockopt(descriptor, level, name, &value, socklen_t(MemoryLayout<CInt>.size))
        }
    }

    /// Reads what is available into `buffer`.
    ///
    /// - Returns: the byte count (0 at end of stream), or `nil` when nothing is available.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(SystemCallError) -> Int? {
        try nonBlockingCall("read") { Glibc.read(descriptor, buffer.baseAddress, buffer.count) }
    }

    /// Writes as much of `bytes` as the socket takes now.
    ///
    /// - Returns: the byte count written, or `nil` when the socket takes nothing now.
    func write(_ bytes: UnsafeRawBufferPointer) throws(SystemCallError) -> Int? {
        try nonBlockingCall("send") { Glibc.send(descriptor, bytes.baseAddress, bytes.count, CInt(MSG_NOSIGNAL)) }
    }

    /// Stops sending; the peer reads end of stream after what was sent.
    func shutdownOutput() {
        _ = Glibc.shutdown(descriptor, CInt(SHUT_WR))
    }
}

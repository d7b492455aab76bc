internal import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Sends records to a syslog collector as RFC 5424 messages, over UDP (one datagram per
/// message) or TCP (octet-counting framing, RFC 6587 section 3.4.1: `LEN SP MSG`).
///
/// Every wait is bounded: connecting and sending give up after their timeouts, and the
/// sink then drops the batch (counted by the log) and reconnects on the next one.
///
/// ```swift
/// let sink = try AuditSyslogSink(host: "127.0.0.1", port: 514, transport: .tcp,
///                                format: SyslogMessageFormat(hostname: "gw-1"))
/// ```
public final class AuditSyslogSink: AuditSink {
    /// The transport.
    public enum Transport: Hashable, Sendable {
        /// One datagram per message.
        case udp
        /// A stream with octet-counting framing.
        case tcp
    }

    /// The collector's host: an IPv4 or IPv6 address or a name.
    public let host: String
    /// The collector's port.
    public let port: UInt16
    /// The transport.
    public let transport: Transport
    /// How messages are formatted.
    public let format: SyslogMessageFormat
    /// The longest wait for a TCP connection.
    public let connectTimeout: Duration
    /// The longest wait for the socket to take more bytes.
    public let sendTimeout: Duration

    private let socket = Mutex<Int32>(-1)

    /// Creates a sink; the connection is made on the first export.
    ///
    /// - Parameters:
    ///   - host: the collector's address or name.
    ///   - port: its port.
    ///   - transport: UDP or TCP.
    ///   - format: the message format.
    ///   - connectTimeout: the longest wait to connect (TCP). Default 2 seconds.
    ///   - sendTimeout: the longest wait while sending. Default 2 seconds.
    /// - Throws: ``AuditError`` with ``AuditError/Code/invalidConfiguration`` for an empty
    ///   host or a zero port or timeout.
    public init(
        host: String, port: UInt16, transport: Transport, format: SyslogMessageFormat,
        connectTimeout: Duration = .seconds(2), sendTimeout: Duration = .seconds(2)
    ) throws(AuditError) {
        guard !host.isEmpty, port > 0, connectTimeout > .zero, sendTimeout > .zero else {
            throw AuditError(.invalidConfiguration, message: "the syslog host, port and timeouts must be set")
        }
        self.host = host
        self.port = port
        self.transport = transport
        self.format = format
        self.connectTimeout = connectTimeout
        self.sendTimeout = sendTimeout
    }

    deinit {
        close()
    }

    /// Sends each record as one message.
    ///
    /// - Parameter records: the records.
    /// - Throws: ``AuditError`` with ``AuditError/Code/sinkFailure`` when the collector
    ///   cannot be reached or does not take the bytes in time.
    public func export(_ records: [AuditRecord]) throws(AuditError) {
        try socket.withLock { descriptor throws(AuditError) in
            if descriptor < 0 {
                descriptor = try connect()
            }
            do throws(AuditError) {
                switch transport {
                case .udp:
                    for record in records {
                        try send(descriptor, format.message(for: record))
                    }
                case .tcp:
                    var bytes: [UInt8] = []
                    for record in records {
                        let message = format.message(for: record)
                        bytes += Array("\(message.count) ".utf8)
                        bytes += message
                    }
                    try send(descriptor, bytes)
                }
            } catch {
                _ = Glibc.close(descriptor)
                descriptor = -1
                throw error
            }
        }
    }

    /// Closes the connection.
    public func close() {
        socket.withLock { descriptor in
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            descriptor = -1
        }
    }

    private var milliseconds: (connect: Int32, send: Int32) {
        func millis(_ duration: Duration) -> Int32 {
            let (seconds, attoseconds) = duration.components
            return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
        return (millis(connectTimeout), millis(sendTimeout))
    }

    private func connect() throws(AuditError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(transport == .udp ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let list else {
            throw AuditError(.sinkFailure, message: "cannot resolve the syslog host")
        }
        defer { freeaddrinfo(list) }
        var current: UnsafeMutablePointer<addrinfo>? = list
        while let info = current {
            current = info.pointee.ai_next
            let descriptor = Glibc.socket(
                info.pointee.ai_family,
                info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue),
                info.pointee.ai_protocol)
            guard descriptor >= 0 else { continue }
            var result = Glibc.connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen)
            if result != 0 && errno == EINPROGRESS {
                if wait(descriptor, events: Int16(POLLOUT), milliseconds: milliseconds.connect) {
                    var error: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
                    result = error == 0 ? 0 : -1
                }
            }
            if result == 0 { return descriptor }
            _ = Glibc.close(descriptor)
        }
        throw AuditError(.sinkFailure, message: "cannot connect to the syslog collector")
    }

    private func send(_ descriptor: Int32, _ bytes: [UInt8]) throws(AuditError) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent >= 0 {
                offset += sent
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                guard wait(descriptor, events: Int16(POLLOUT), milliseconds: milliseconds.send) else {
                    throw AuditError(.sinkFailure, message: "the syslog collector took no bytes in time")
                }
                continue
            }
            throw AuditError(.sinkFailure, message: "cannot send to the syslog collector (errno \(code))")
        }
    }

    /// Waits for an event on one descriptor, retrying on EINTR, at most `milliseconds`.
    private func wait(_ descriptor: Int32, events: Int16, milliseconds: Int32) -> Bool {
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        while true {
            let result = poll(&entry, 1, milliseconds)
            if result < 0 && errno == EINTR { continue }
            return result > 0 && entry.revents & events != 0
        }
    }
}

/// Settings of an ``HTTPServer``: where it listens and every bound it enforces.
public struct HTTPServerConfiguration: Sendable {
    /// The numeric address to listen on; loopback unless configured otherwise.
    public var host: String
    /// The port; 0 picks a free one (see ``HTTPServer/listeningAddress()``).
    public var port: UInt16
    /// The number of event-loop threads, each with its own listening socket.
    public var eventLoopCount: Int
    /// The accept queue length of each listening socket.
    public var backlog: Int32
    /// Bounds on request heads and bodies.
    public var parserLimits: HTTPParserLimits
    /// The most connections open at once; more are answered 503 and closed.
    public var maxConnections: Int
    /// The most connections open at once from one client address.
    public var maxConnectionsPerAddress: Int
    /// The longest a client may take to send a whole request head, from its first byte.
    public var headerReadTimeout: Duration
    /// The longest a client may pause while sending a body.
    public var bodyReadTimeout: Duration
    /// The longest a keep-alive connection may stay idle between requests.
    public var idleTimeout: Duration
    /// The longest a client may leave response bytes unread before it is cut off.
    public var writeStallTimeout: Duration
    /// Request body bytes buffered ahead of a handler that reads slowly.
    public var requestBodyBufferBytes: Int
    /// Response bytes buffered for a client that reads slowly before a writing handler
    /// waits.
    public var responseBufferBytes: Int
    /// The certificate and key to serve HTTPS with; `nil` serves plain HTTP.
    public var tls: TLSConfiguration?

    /// Creates settings.
    ///
    /// - Parameters:
    ///   - host: the numeric address (default `127.0.0.1`).
    ///   - port: the port (default 0: any free port).
    ///   - eventLoopCount: event-loop threads (default 2).
    ///   - backlog: the accept queue length (default 256).
    ///   - parserLimits: bounds on requests (default ``HTTPParserLimits/default``).
    ///   - maxConnections: open connections in total (default 10,000).
    ///   - maxConnectionsPerAddress: open connections per client address (default 1,000).
    ///   - headerReadTimeout: default 10 s.
    ///   - bodyReadTimeout: default 30 s.
    ///   - idleTimeout: default 60 s.
    ///   - writeStallTimeout: default 30 s.
    ///   - requestBodyBufferBytes: default 256 KiB.
    ///   - responseBufferBytes: default 256 KiB.
    ///   - tls: the certificate and key for HTTPS; none by default.
    public init(
        host: String = "127.0.0.1",
        port: UInt16 = 0,
        eventLoopCount: Int = 2,
        backlog: Int32 = 256,
        parserLimits: HTTPParserLimits = .default,
        maxConnections: Int = 10_000,
        maxConnectionsPerAddress: Int = 1_000,
        headerReadTimeout: Duration = .seconds(10),
        bodyReadTimeout: Duration = .seconds(30),
        idleTimeout: Duration = .seconds(60),
        writeStallTimeout: Duration = .seconds(30),
        requestBodyBufferBytes: Int = 256 << 10,
        responseBufferBytes: Int = 256 << 10,
        tls: TLSConfiguration? = nil
    ) {
        self.tls = tls
        self.host = host
        self.port = port
        self.eventLoopCount = eventLoopCount
        self.backlog = backlog
        self.parserLimits = parserLimits
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.headerReadTimeout = headerReadTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.idleTimeout = idleTimeout
        self.writeStallTimeout = writeStallTimeout
        self.requestBodyBufferBytes = requestBodyBufferBytes
        self.responseBufferBytes = responseBufferBytes
    }
}

internal import CLinux
internal import Glibc
import Synchronization

/// A hardened HTTP/1.1 server on POSIX sockets and epoll, with no dependencies.
///
/// A small fixed number of event-loop threads each own a listening socket (the kernel
/// spreads connections between them) and their connections. Each connection is served by
/// one task that prefers its loop as executor, so parsing, the handler and writing run on
/// one thread. Every size, count and wait is bounded by ``HTTPServerConfiguration``.
///
/// ```swift
/// let server = HTTPServer(configuration: .init(port: 8080), responder: HTTPResponderClosure { request, response in
///     try await response.send(status: HTTPStatus(code: 200), body: Array("ok".utf8))
/// })
/// try await server.run()   // until shutdown() or cancellation
/// ```
public final class HTTPServer: Sendable {
    private struct State {
        var tls: TLSContext?
        var loops: [EventLoop] = []
        var address: SocketAddress?
        var addressWaiters: [CheckedContinuation<SocketAddress, any Error>] = []
        var startFailure: (any Error)?
        var connections = 0
        var perAddress: [String: Int] = [:]
        var shuttingDown = false
        var accepted: AsyncStream<HTTPServerConnection>.Continuation?
    }

    private let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let state = Mutex(State())
    /// Loops owned by someone else to serve on, besides those the server starts itself.
    private let sharedLoops: [EventLoop]

    /// Creates a server; nothing listens until ``run()``.
    ///
    /// - Parameters:
    ///   - configuration: where to listen and the bounds to enforce.
    ///   - responder: what answers the requests.
    public init(configuration: HTTPServerConfiguration = HTTPServerConfiguration(), responder: some HTTPResponder) {
        self.configuration = configuration
        self.responder = responder
        self.sharedLoops = []
    }

    /// Creates a server that also serves on loops its owner runs (so that a connection's
    /// work and, say, a child process's pipes share a thread); the server starts
    /// `eventLoopCount` minus their number of loops of its own, and never stops the shared
    /// ones.
    package init(configuration: HTTPServerConfiguration, responder: some HTTPResponder, sharing loops: [EventLoop]) {
        self.configuration = configuration
        self.responder = responder
        self.sharedLoops = loops
    }

    /// Listens and serves until ``shutdown(gracePeriod:)`` is called or the task is
    /// cancelled; then returns once every connection has closed.
    ///
    /// - Throws: ``SystemCallError`` when the address cannot be bound.
    public func run() async throws {
        guard let address = SocketAddress(host: configuration.host, port: configuration.port) else {
            let error = SystemCallError("listen: \(configuration.host) is not a numeric address", errno: EINVAL)
            failStart(error)
            throw error
        }
        let (stream, continuation) = AsyncStream.makeStream(of: HTTPServerConnection.self)
        let loops: [EventLoop]
        do {
            if let tls = configuration.tls {
                let context = try TLSContext(configuration: tls)
                state.withLock { $0.tls = context }
            }
            let owned = max(sharedLoops.isEmpty ? 1 : 0, configuration.eventLoopCount - sharedLoops.count)
            loops =
                try sharedLoops
                + (0..<owned).map { index throws(SystemCallError) in
                    try EventLoop.start(name: "http-\(index)")
                }
            let bound = try await startListeners(on: loops, address: address)
            let waiters = state.withLock { state in
                state.loops = loops
                state.address = bound
                state.accepted = continuation
                defer { state.addressWaiters = [] }
                return state.addressWaiters
            }
            for waiter in waiters { waiter.resume(returning: bound) }
        } catch {
            failStart(error)
            throw error
        }
        defer { for loop in loops where !sharedLoops.contains(where: { $0 === loop }) { loop.stop() } }

        let responder = self.responder
        await withTaskCancellationHandler {
            await withDiscardingTaskGroup { group in
                for await connection in stream {
                    group.addTask(executorPreference: connection.loop) {
                        await connection.serve(responder)
                    }
                }
            }
        } onCancel: {
            self.shutdown(gracePeriod: .zero)
        }
    }

    private func failStart(_ error: any Error) {
        let waiters = state.withLock { state in
            state.startFailure = error
            defer { state.addressWaiters = [] }
            return state.addressWaiters
        }
        for waiter in waiters { waiter.resume(throwing: error) }
    }

    /// The address the server listens on, once it does (with the real port when 0 was
    /// configured).
    ///
    /// - Throws: the error ``run()`` failed to start with.
    public func listeningAddress() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let ready: Result<SocketAddress, any Error>? = state.withLock { state in
                if let address = state.address { return .success(address) }
                if let failure = state.startFailure { return .failure(failure) }
                state.addressWaiters.append(continuation)
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Stops accepting connections and closes idle ones; connections in the middle of a
    /// request close after their response, and any left after `gracePeriod` are closed.
    ///
    /// - Parameter gracePeriod: how long busy connections may take to finish.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        let (loops, accepted) = state.withLock {
            state -> ([EventLoop], AsyncStream<HTTPServerConnection>.Continuation?) in
            guard !state.shuttingDown else { return ([], nil) }
            state.shuttingDown = true
            return (state.loops, state.accepted)
        }
        for loop in loops {
            loop.execute {
                guard let registry = Self.registries.withLock({ $0[ObjectIdentifier(loop)] }) else { return }
                registry.closeListener()
                registry.drainAll()
                loop.scheduleTimer(at: .now + gracePeriod) { registry.closeAll() }
                registry.whenEmpty { accepted?.finish() }
            }
        }
        if loops.isEmpty { accepted?.finish() }
    }

    /// The per-loop registries of listeners and connections, keyed by loop.
    private static let registries = Mutex<[ObjectIdentifier: ConnectionRegistry]>([:])

    private func startListeners(on loops: [EventLoop], address: SocketAddress) async throws -> SocketAddress {
        var bound = address
        for loop in loops {
            let target = bound
            let registry = ConnectionRegistry(loop: loop, server: self)
            Self.registries.withLock { $0[ObjectIdentifier(loop)] = registry }
            bound = try await loop.submit {
                let socket = try Socket.listen(on: target, backlog: self.configuration.backlog, reusePort: true)
                try registry.listen(on: socket)
                return try socket.localAddress() ?? target
            }
        }
        return bound
    }

    // MARK: Connection accounting

    fileprivate func admit(_ address: SocketAddress?) -> Bool {
        state.withLock { state in
            guard !state.shuttingDown, state.connections < configuration.maxConnections else { return false }
            let key = address?.host ?? ""
            guard state.perAddress[key, default: 0] < configuration.maxConnectionsPerAddress else { return false }
            state.connections += 1
            state.perAddress[key, default: 0] += 1
            return true
        }
    }

    fileprivate func release(_ address: SocketAddress?) {
        state.withLock { state in
            let key = address?.host ?? ""
            state.connections -= 1
            let remaining = state.perAddress[key, default: 1] - 1
            state.perAddress[key] = remaining > 0 ? remaining : nil
        }
    }

    fileprivate func deliver(_ connection: HTTPServerConnection) {
        _ = state.withLock { $0.accepted }?.yield(connection)
    }

    fileprivate var serverConfiguration: HTTPServerConfiguration { configuration }

    /// The TLS context connections start their sessions from, when serving HTTPS.
    fileprivate var tlsContext: TLSContext? { state.withLock { $0.tls } }

    /// The number of open connections.
    public var connectionCount: Int { state.withLock { $0.connections } }
}

/// The listening socket and the connections of one event loop. Confined to that loop.
private final class ConnectionRegistry: @unchecked Sendable {
    // @unchecked Sendable: every member is touched only on `loop`'s thread.
    let loop: EventLoop
    unowned let server: HTTPServer
    private var listener: Socket?
    private var listenerToken: UInt64?
    private var connections: [ObjectIdentifier: HTTPServerConnection] = [:]
    private var emptyCallbacks: [() -> Void] = []

    private static let refusal = Array(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8)

    init(loop: EventLoop, server: HTTPServer) {
        self.loop = loop
        self.server = server
    }

    func listen(on socket: Socket) throws(SystemCallError) {
        listener = socket
        listenerToken = try loop.register(
            descriptor: socket.descriptor, events: EPOLLIN.rawValue,
            handler: EventCallback { [unowned self] _ in self.acceptAll() })
    }

    private func acceptAll() {
        guard let listener else { return }
        while true {
            let accepted: (Socket, SocketAddress?)?
            do {
                accepted = try listener.accept()
            } catch {
                return  // EMFILE and the like: the backlog keeps them until a slot frees
            }
            guard let (socket, address) = accepted else { return }
            let context = server.tlsContext
            guard server.admit(address) else {
                // Over TLS a plain-text answer would be noise: just close.
                if context == nil { Self.refusal.withUnsafeBytes { _ = try? socket.write($0) } }
                socket.close()
                continue
            }
            var session: TLSSession?
            if let context {
                guard let started = try? TLSSession(context: context, descriptor: socket.descriptor) else {
                    server.release(address)
                    socket.close()
                    continue
                }
                session = started
            }
            let connection = HTTPServerConnection(
                socket: socket, tls: session, remoteAddress: address, loop: loop,
                configuration: server.serverConfiguration
            ) { [unowned self] connection in
                self.connections[ObjectIdentifier(connection)] = nil
                self.server.release(connection.remoteAddress)
                if self.connections.isEmpty {
                    let callbacks = self.emptyCallbacks
                    self.emptyCallbacks = []
                    for callback in callbacks { callback() }
                }
            }
            do {
                try connection.start()
            } catch {
                server.release(address)
                continue
            }
            connections[ObjectIdentifier(connection)] = connection
            server.deliver(connection)
        }
    }

    func closeListener() {
        if let listenerToken, let listener { loop.deregister(listenerToken, descriptor: listener.descriptor) }
        listenerToken = nil
        listener?.close()
        listener = nil
    }

    func drainAll() {
        for connection in Array(connections.values) { connection.drain() }
    }

    func closeAll() {
        for connection in Array(connections.values) { connection.close() }
    }

    func whenEmpty(_ callback: @escaping () -> Void) {
        if connections.isEmpty {
            callback()
        } else {
            emptyCallbacks.append(callback)
        }
    }
}

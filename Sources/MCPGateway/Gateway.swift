import MCPCore
public import MCPTransport
import Synchronization

/// The whole gateway as a library: an MCP endpoint (Streamable HTTP at the configured
/// path, and the HTTP+SSE transport of 2024-11-05 at `/sse` and `/messages`) in front of
/// an upstream MCP server, with `/healthz` and `/readyz` for orchestrators.
///
/// ```swift
/// let gateway = Gateway(configuration: try GatewayConfiguration(parsing: bytes))
/// try await gateway.run()   // until shutdown() or cancellation
/// ```
public final class Gateway: Sendable {
    private let configuration: GatewayConfiguration
    private let server = Mutex<HTTPServer?>(nil)
    private let supervisorForTests = Mutex<UpstreamSupervisor?>(nil)
    private let ready = Mutex<(address: SocketAddress?, waiters: [CheckedContinuation<SocketAddress, any Error>], failure: (any Error)?)>((nil, [], nil))

    /// Creates a gateway; nothing runs until ``run()``.
    ///
    /// - Parameter configuration: the checked configuration.
    public init(configuration: GatewayConfiguration) {
        self.configuration = configuration
    }

    /// Starts the upstream, initializes it, and serves clients until ``shutdown(gracePeriod:)``.
    ///
    /// - Throws: when the upstream cannot be started or initialized, or the address cannot
    ///   be bound.
    public func run() async throws {
        do {
            try await withResponder { responder in
                let http = HTTPServer(
                    configuration: HTTPServerConfiguration(host: configuration.listen.host, port: configuration.listen.port),
                    responder: responder)
                server.withLock { $0 = http }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await http.run() }
                    let address = try await http.listeningAddress()
                    let waiters = ready.withLock { state in
                        state.address = address
                        defer { state.waiters = [] }
                        return state.waiters
                    }
                    for waiter in waiters { waiter.resume(returning: address) }
                    try await group.waitForAll()
                }
            }
        } catch {
            let waiters = ready.withLock { state in
                state.failure = error
                defer { state.waiters = [] }
                return state.waiters
            }
            for waiter in waiters { waiter.resume(throwing: error) }
            throw error
        }
    }

    /// Runs the upstream and hands `body` a responder for the gateway's endpoints (the MCP
    /// transports, `/healthz`, `/readyz`), for a host that serves HTTP itself and mounts the
    /// gateway among its own routes. The upstream stops when `body` returns.
    ///
    /// - Parameter body: serves HTTP with the responder until the host is done.
    /// - Returns: what `body` returns.
    /// - Throws: when the upstream cannot be started or initialized, or what `body` throws.
    public func withResponder<Result: Sendable>(
        _ body: (any HTTPResponder) async throws -> Result
    ) async throws -> Result {
        let loop = try EventLoop.start(name: "upstreams")
        defer { loop.stop() }
        let supervisor = UpstreamSupervisor(configuration: configuration.upstreams[0], loop: loop)
        supervisorForTests.withLock { $0 = supervisor }
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            // The upstream runs (and is restarted) for as long as the host serves.
            let (firstStart, firstStartResult) = AsyncStream.makeStream(of: Swift.Result<Void, any Error>.self)
            group.addTask {
                await supervisor.run(
                    initialize: { upstream in
                        try await upstream.initialize(revision: ProtocolNegotiation().initializeRequest ?? .v2025_11_25)
                    },
                    ready: { result in
                        firstStartResult.yield(result)
                        firstStartResult.finish()
                    })
            }
            for await result in firstStart { try result.get() }
            let origins = OriginPolicy(allowedOrigins: Set(configuration.listen.allowedOrigins))
            let transport = MCPHTTPEndpoints(
                streamable: .init(path: configuration.listen.path, originPolicy: origins),
                legacy: .init(originPolicy: origins),
                handler: PassThroughHandler(supervisor: supervisor))
            let value: Result
            do {
                value = try await body(HealthEndpoints(mcp: transport, supervisor: supervisor))
            } catch {
                await supervisor.stop()
                throw error
            }
            await supervisor.stop()
            try await group.waitForAll()
            return value
        }
    }

    /// The upstream's supervisor, for tests.
    var upstreamSupervisor: UpstreamSupervisor? { supervisorForTests.withLock { $0 } }

    /// The address clients reach the gateway at, once it listens.
    public func listeningAddress() async throws -> SocketAddress {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<SocketAddress, any Error>? = ready.withLock { state in
                if let address = state.address { return .success(address) }
                if let failure = state.failure { return .failure(failure) }
                state.waiters.append(continuation)
                return nil
            }
            if let result { continuation.resume(with: result) }
        }
    }

    /// Stops taking requests, lets those in flight finish up to `gracePeriod`, then stops
    /// the upstream; ``run()`` returns.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        server.withLock { $0 }?.shutdown(gracePeriod: gracePeriod)
    }
}

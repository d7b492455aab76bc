import MCPCore
public import MCPTransport
import Synchronization

/// The whole gateway as a library: an MCP endpoint (Streamable HTTP at the configured
/// path, and the HTTP+SSE transport of 2024-11-05 at `/sse` and `/messages`) in front of
/// the configured upstream MCP servers, with `/healthz`, `/readyz` and `/metrics`.
///
/// Every client request passes through the interceptor pipeline: the gateway's logging
/// (when a log sink is given) and metrics interceptors first, then the given ones in
/// order.
///
/// ```swift
/// let gateway = Gateway(configuration: try GatewayConfiguration(parsing: bytes), logSink: JSONLinesLogSink())
/// try await gateway.run()   // until shutdown() or cancellation
/// ```
public final class Gateway: Sendable {
    private let configuration: GatewayConfiguration
    private let interceptors: [any GatewayInterceptor]
    private let log: GatewayLogger
    /// The gateway's metrics, also served at `/metrics`.
    public let metrics: GatewayMetrics
    private let server = Mutex<HTTPServer?>(nil)
    private let routerForTests = Mutex<GatewayRouter?>(nil)
    private let ready = Mutex<(address: SocketAddress?, waiters: [CheckedContinuation<SocketAddress, any Error>], failure: (any Error)?)>((nil, [], nil))

    /// Creates a gateway; nothing runs until ``run()`` or ``withResponder(_:)``.
    ///
    /// - Parameters:
    ///   - configuration: the checked configuration.
    ///   - interceptors: steps every client request passes through, in order, after the
    ///     gateway's own logging and metrics.
    ///   - logSink: where log lines go; none by default.
    ///   - metrics: where the gateway counts calls; a new set by default.
    public init(
        configuration: GatewayConfiguration, interceptors: [any GatewayInterceptor] = [], logSink: (any GatewayLogSink)? = nil,
        metrics: GatewayMetrics = GatewayMetrics()
    ) {
        self.configuration = configuration
        self.log = GatewayLogger(sink: logSink)
        self.metrics = metrics
        var chain: [any GatewayInterceptor] = []
        if let logSink { chain.append(LoggingInterceptor(sink: logSink)) }
        chain.append(MetricsInterceptor(metrics: metrics))
        self.interceptors = chain + interceptors
    }

    /// Starts the upstreams and serves clients until ``shutdown(gracePeriod:)``.
    ///
    /// - Throws: when no upstream can be started, or the address cannot be bound.
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
                    log.log(.info, "gateway.listening", ["address": .string("\(address)"), "path": .string(configuration.listen.path)])
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

    /// Runs the upstreams and hands `body` a responder for the gateway's endpoints (the
    /// MCP transports, `/healthz`, `/readyz`, `/metrics`), for a host that serves HTTP
    /// itself and mounts the gateway among its own routes. The upstreams stop when `body`
    /// returns.
    ///
    /// An upstream that fails to start is started again with backoff while the others
    /// serve; `/readyz` names it.
    ///
    /// - Parameter body: serves HTTP with the responder until the host is done.
    /// - Returns: what `body` returns.
    /// - Throws: when no upstream can be started, or what `body` throws.
    public func withResponder<Result: Sendable>(
        _ body: (any HTTPResponder) async throws -> Result
    ) async throws -> Result {
        let loop = try EventLoop.start(name: "upstreams")
        defer { loop.stop() }
        let needsHTTP = configuration.upstreams.contains { $0.command == nil }
        let httpClient = needsHTTP ? try HTTPClient() : nil
        defer { httpClient?.shutdown() }
        let routerBox = Mutex<GatewayRouter?>(nil)
        let supervisors = configuration.upstreams.map { upstream in
            UpstreamSupervisor(
                configuration: upstream, settings: configuration, loop: loop, httpClient: httpClient, log: log,
                catalogChanged: { routerBox.withLock { $0 }?.catalogsChanged() })
        }
        let router = GatewayRouter(
            configuration: configuration, supervisors: supervisors, interceptors: interceptors, metrics: metrics, log: log)
        routerBox.withLock { $0 = router }
        routerForTests.withLock { $0 = router }
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            // The upstreams run (and are restarted) for as long as the host serves.
            let (firstStarts, firstStartResult) = AsyncStream.makeStream(of: Swift.Result<Void, any Error>.self)
            for supervisor in supervisors {
                group.addTask {
                    await supervisor.run(ready: { result in firstStartResult.yield(result) })
                }
            }
            var outcomes: [Swift.Result<Void, any Error>] = []
            for await result in firstStarts {
                outcomes.append(result)
                if outcomes.count == supervisors.count { break }
            }
            firstStartResult.finish()
            let stopAll = {
                for supervisor in supervisors { await supervisor.stop() }
            }
            if !outcomes.contains(where: { if case .success = $0 { true } else { false } }), case .failure(let error)? = outcomes.first {
                await stopAll()
                try? await group.waitForAll()
                throw error
            }
            let origins = OriginPolicy(allowedOrigins: Set(configuration.listen.allowedOrigins))
            let transport = MCPHTTPEndpoints(
                streamable: .init(path: configuration.listen.path, originPolicy: origins),
                legacy: .init(originPolicy: origins),
                handler: router)
            let value: Result
            do {
                value = try await body(GatewayEndpoints(mcp: transport, router: router))
            } catch {
                await stopAll()
                try? await group.waitForAll()
                throw error
            }
            await stopAll()
            try await group.waitForAll()
            return value
        }
    }

    /// The router, for tests.
    var router: GatewayRouter? { routerForTests.withLock { $0 } }

    /// The first upstream's supervisor, for tests.
    var upstreamSupervisor: UpstreamSupervisor? { router?.supervisors.first }

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
    /// the upstreams; ``run()`` returns.
    public func shutdown(gracePeriod: Duration = .seconds(10)) {
        server.withLock { $0 }?.shutdown(gracePeriod: gracePeriod)
    }
}

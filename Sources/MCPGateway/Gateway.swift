import MCPCore
public import MCPAuth
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
    private let routes: [String: any HTTPResponder]
    private let authenticator: (any GatewayAuthenticator)?
    private let credentials: UpstreamCredentialBroker?
    private let log: GatewayLogger
    /// The gateway's metrics, also served at `/metrics`.
    public let metrics: GatewayMetrics
    private let server = Mutex<HTTPServer?>(nil)
    /// What a running gateway needs to reload; `nil` while it does not run.
    private let runtime = Mutex<Runtime?>(nil)
    private let ready = Mutex<
        (address: SocketAddress?, waiters: [CheckedContinuation<SocketAddress, any Error>], failure: (any Error)?)
    >((nil, [], nil))

    /// Creates a gateway; nothing runs until ``run()`` or ``withResponder(_:)``.
    ///
    /// - Parameters:
    ///   - configuration: the checked configuration.
    ///   - interceptors: steps every client request passes through, in order, after the
    ///     gateway's own logging and metrics.
    ///   - logSink: where log lines go; none by default.
    ///   - metrics: where the gateway counts calls; a new set by default.
    ///   - routes: more HTTP endpoints by path prefix (such as ``ApprovalEndpoint`` at
    ///     ``ApprovalEndpoint/pathPrefix``), answered before the MCP endpoints.
    ///   - authenticator: who may reach the MCP endpoints (such as ``OAuthAuthenticator``);
    ///     `nil` lets every caller through, unauthenticated.
    ///   - credentials: the per-user credentials of upstreams with `auth`; its connect
    ///     pages are served at `/connect/`.
    public init(
        configuration: GatewayConfiguration, interceptors: [any GatewayInterceptor] = [],
        logSink: (any GatewayLogSink)? = nil,
        metrics: GatewayMetrics = GatewayMetrics(), routes: [String: any HTTPResponder] = [:],
        authenticator: (any GatewayAuthenticator)? = nil, credentials: UpstreamCredentialBroker? = nil
    ) {
        self.routes = routes
        self.authenticator = authenticator
        self.credentials = credentials
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
                // The loop that owns the upstreams' pipes serves connections too: a call
                // that arrives there reaches a stdio upstream and comes back on one thread.
                let shared = self.runtime.withLock { $0 }.map { [$0.loop] } ?? []
                let http = HTTPServer(
                    configuration: HTTPServerConfiguration(
                        host: configuration.listen.host, port: configuration.listen.port, tls: configuration.listen.tls),
                    responder: responder, sharing: shared)
                server.withLock { $0 = http }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await http.run() }
                    let address = try await http.listeningAddress()
                    log.log(
                        .info, "gateway.listening",
                        ["address": .string("\(address)"), "path": .string(configuration.listen.path)])
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
        let httpClient = try HTTPClient()
        defer { httpClient.shutdown() }
        let owners = SessionOwners()
        let handle = RouterHandle(owners: owners)
        let virtualHandles = Dictionary(
            uniqueKeysWithValues: configuration.servers.map { ($0.path, RouterHandle(owners: owners)) })
        let (starts, startRequests) = AsyncStream.makeStream(
            of: (UpstreamSupervisor, @Sendable (Swift.Result<Void, any Error>) -> Void).self)
        let notifier = ClientNotifier()
        let runtime = Runtime(
            loop: loop, httpClient: httpClient, handle: handle, virtualHandles: virtualHandles,
            serverRequests: ServerRequestTable(),
            notifier: notifier, credentials: credentials, starts: startRequests)
        let supervisors = configuration.upstreams.map { runtime.makeSupervisor($0, settings: configuration, log: log) }
        installRouters(configuration, supervisors: supervisors, in: runtime)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            // The upstreams run (and are restarted) for as long as the host serves; a
            // reload starts more of them here.
            group.addTask {
                await withDiscardingTaskGroup { upstreams in
                    for await (supervisor, ready) in starts {
                        // On the loop that owns the upstreams' pipes: a message read there is
                        // routed without another thread hop.
                        upstreams.addTask(executorPreference: loop) { await supervisor.run(ready: ready) }
                    }
                }
            }
            let (firstStarts, firstStartResult) = AsyncStream.makeStream(of: Swift.Result<Void, any Error>.self)
            for supervisor in supervisors {
                startRequests.yield((supervisor, { result in firstStartResult.yield(result) }))
            }
            var outcomes: [Swift.Result<Void, any Error>] = []
            for await result in firstStarts {
                outcomes.append(result)
                if outcomes.count == supervisors.count { break }
            }
            firstStartResult.finish()
            let stopAll = {
                self.runtime.withLock { $0 = nil }
                notifier.finishListeners()
                for supervisor in handle.current.supervisors { await supervisor.stop() }
                startRequests.finish()
            }
            if !outcomes.contains(where: { if case .success = $0 { true } else { false } }),
                case .failure(let error)? = outcomes.first
            {
                await stopAll()
                try? await group.waitForAll()
                throw error
            }
            self.runtime.withLock { $0 = runtime }
            let origins = OriginPolicy(allowedOrigins: Set(configuration.listen.allowedOrigins))
            let transport = MCPHTTPEndpoints(
                streamable: .init(path: configuration.listen.path, originPolicy: origins),
                legacy: .init(originPolicy: origins),
                handler: handle)
            var virtual: [String: StreamableHTTPServerTransport] = [:]
            for server in configuration.servers {
                guard let virtualHandle = virtualHandles[server.path] else { continue }
                virtual[server.path] = StreamableHTTPServerTransport(
                    configuration: .init(path: server.path, originPolicy: origins), handler: virtualHandle)
            }
            notifier.attach(main: transport, virtual: Array(virtual.values))
            let endpoints = GatewayEndpoints(
                mcp: transport, handle: handle, virtual: virtual, routes: routes, authenticator: authenticator,
                owners: owners)
            let value: Result
            do {
                value = try await body(endpoints)
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

    /// Puts a new configuration in force without dropping clients: upstreams whose
    /// settings are unchanged keep running with their sessions, new ones start, removed
    /// ones stop, and the merged names follow the new configuration. The listener cannot
    /// change while the gateway runs.
    ///
    /// - Parameter newConfiguration: the checked new configuration.
    /// - Throws: ``GatewayConfigurationError`` when the gateway is not running or the new
    ///   configuration changes `listen`; the running configuration then stays in force.
    public func reload(configuration newConfiguration: GatewayConfiguration) async throws(GatewayConfigurationError) {
        guard let runtime = runtime.withLock({ $0 }) else {
            throw GatewayConfigurationError(path: "", "the gateway is not running")
        }
        guard newConfiguration.listen == configuration.listen else {
            throw GatewayConfigurationError(path: "listen", "cannot change while the gateway runs; restart it instead")
        }
        guard newConfiguration.servers.map(\.path) == configuration.servers.map(\.path) else {
            throw GatewayConfigurationError(
                path: "servers", "paths cannot change while the gateway runs; restart it instead")
        }
        let old = runtime.handle.current
        var kept: Set<ObjectIdentifier> = []
        var supervisors: [UpstreamSupervisor] = []
        var started: [UpstreamSupervisor] = []
        for upstream in newConfiguration.upstreams {
            if let existing = old.supervisors.first(where: {
                $0.configuration == upstream && !kept.contains(ObjectIdentifier($0))
            }) {
                kept.insert(ObjectIdentifier(existing))
                supervisors.append(existing)
            } else {
                let supervisor = runtime.makeSupervisor(upstream, settings: newConfiguration, log: log)
                supervisors.append(supervisor)
                started.append(supervisor)
            }
        }
        installRouters(newConfiguration, supervisors: supervisors, in: runtime)
        for supervisor in started { runtime.starts.yield((supervisor, { _ in })) }
        let removed = old.supervisors.filter { !kept.contains(ObjectIdentifier($0)) }
        for supervisor in removed { await supervisor.stop() }
        log.log(
            .info, "gateway.reloaded",
            [
                "kept": .array(
                    supervisors.filter { kept.contains(ObjectIdentifier($0)) }.map { .string($0.configuration.name) }),
                "started": .array(started.map { .string($0.configuration.name) }),
                "stopped": .array(removed.map { .string($0.configuration.name) }),
            ])
    }

    /// Puts routers for `configuration` in force: one for the main endpoint over every
    /// upstream, and one per virtual server over its upstreams and names.
    private func installRouters(
        _ configuration: GatewayConfiguration, supervisors: [UpstreamSupervisor], in runtime: Runtime
    ) {
        runtime.handle.install(
            GatewayRouter(
                configuration: configuration, supervisors: supervisors, interceptors: interceptors, metrics: metrics,
                log: log,
                serverRequests: runtime.serverRequests, notifier: runtime.notifier))
        for server in configuration.servers {
            let scoped = configuration.scoped(to: server)
            let subset = server.upstreams.compactMap { name in supervisors.first { $0.configuration.name == name } }
            runtime.virtualHandles[server.path]?.install(
                GatewayRouter(
                    configuration: scoped, supervisors: subset, interceptors: interceptors, metrics: metrics, log: log,
                    serverRequests: runtime.serverRequests, notifier: runtime.notifier,
                    filter: ExposureFilter(server: server)))
        }
    }

    /// Upstream requests still waiting for a client's answer, for tests.
    var pendingServerRequestCount: Int { runtime.withLock { $0 }?.serverRequests.count ?? 0 }

    /// The router in force, for tests.
    var router: GatewayRouter? { runtime.withLock { $0 }?.handle.current }

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

import MCPAuth
import MCPCore
import MCPTransport
import Synchronization

/// Keeps one upstream connected: starts and initializes it, reads its lists, and when the
/// connection ends (the process exits, the stream closes, the session is lost) starts it
/// again after the delay the ``RestartPolicy`` gives, until the policy gives up or the
/// gateway stops. While it is down, requests fail at once with a clear error instead of
/// waiting.
final class UpstreamSupervisor: Sendable {
    /// The upstream's state, as health checks and metrics report it.
    enum Health: String, Sendable {
        case starting
        case up
        case down
        case stopped
    }

    private struct State {
        var current: UpstreamConnection?
        var catalog: UpstreamCatalog?
        var health: Health = .starting
        var stopping = false
        var policy = RestartPolicy()
        var restarts = 0
        var sessionLosses = 0
        /// A new session is being set up after the last one was lost.
        var reconnecting = false
        var catalogVersion = 0
        var connectionWaiters: [Int: CheckedContinuation<UpstreamConnection?, Never>] = [:]
        var stopWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var nextWaiterKey = 0
    }

    let configuration: GatewayConfiguration.Upstream
    private let settings: GatewayConfiguration
    private let loop: EventLoop
    private let httpClient: HTTPClient?
    private let log: GatewayLogger
    private let state = Mutex(State())
    private let origin = ContinuousClock.now
    /// Where per-user upstream credentials come from, for upstreams with `auth`.
    private let credentials: UpstreamCredentialBroker?
    /// Each user's own session, for upstreams whose credentials are per user.
    private let users: UserConnections?
    /// Called whenever the upstream's catalog changes, so merged views can be rebuilt.
    private let catalogChanged: @Sendable () -> Void
    /// Offered each request the upstream sends.
    private let serverRequest: @Sendable (MessageEnvelope, UpstreamConnection) async -> Bool
    /// Told when the upstream said one of its lists changed and the new one was read.
    private let listChanged: @Sendable (UpstreamCatalog.List) async -> Void
    /// Told when the upstream says a resource changed.
    private let resourceUpdated: @Sendable (String) async -> Void

    /// What an upstream tells outside any request.
    private enum UpstreamEvent: Sendable {
        case listChanged(UpstreamCatalog.List)
        case resourceUpdated(String)
    }

    init(
        configuration: GatewayConfiguration.Upstream, settings: GatewayConfiguration, loop: EventLoop,
        httpClient: HTTPClient?, credentials: UpstreamCredentialBroker? = nil,
        log: GatewayLogger, catalogChanged: @escaping @Sendable () -> Void,
        serverRequest: @escaping @Sendable (MessageEnvelope, UpstreamConnection) async -> Bool = { _, _ in false },
        listChanged: @escaping @Sendable (UpstreamCatalog.List) async -> Void = { _ in },
        resourceUpdated: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.listChanged = listChanged
        self.resourceUpdated = resourceUpdated
        self.configuration = configuration
        self.settings = settings
        self.loop = loop
        self.httpClient = httpClient
        self.credentials = credentials
        if let credentials, configuration.auth != nil, credentials.authenticatesPerUser(configuration.name) {
            self.users = UserConnections(limit: settings.limits.maxUserSessionsPerUpstream)
        } else {
            self.users = nil
        }
        self.log = log
        self.catalogChanged = catalogChanged
        self.serverRequest = serverRequest
    }

    /// The running upstream.
    ///
    /// - Throws: an error for the client when the upstream is down.
    func connection() throws -> UpstreamConnection {
        guard let current = state.withLock({ $0.current }), !current.isClosed else {
            throw UpstreamConnection.Failure(
                jsonRPCError: JSONRPCError(
                    code: .internalError, message: "Upstream \(configuration.name) is unavailable"))
        }
        return current
    }

    /// The session of one user, for an upstream whose credentials are per user (`nil` for
    /// other upstreams, which share one session): opened on the user's first call with the
    /// user's credential.
    ///
    /// - Throws: ``UpstreamConnection/Failure`` saying how to connect, when the user has no
    ///   working credential for the upstream; or why the session could not be opened.
    func userConnection(for subject: String, revision: ProtocolRevision) async throws -> UpstreamConnection? {
        guard let users, let credentials else { return nil }
        do {
            _ = try await credentials.header(subject: subject, upstream: configuration.name)
        } catch {
            throw UpstreamConnection.Failure(jsonRPCError: UpstreamCredentials.clientError(error, revision: revision))
        }
        return try await users.connection(for: subject) { subject in
            let connection = UpstreamConnection(
                configuration: self.configuration, transport: try await self.startTransport(boundTo: subject),
                sessionLostPatterns: self.settings.recovery.sessionLostPatterns,
                maxInFlight: self.settings.limits.maxInFlightPerUpstream, notification: { _ in },
                serverRequest: self.serverRequest)
            Task {
                await connection.serve()
                users.ended(subject, connection)
            }
            do {
                try await UpstreamCaller.$subject.withValue(subject) {
                    try await connection.initialize(
                        revision: self.configuration.revision ?? .v2025_11_25, probe: self.configuration.probesRevision,
                        probeTimeout: .milliseconds(Int(self.configuration.timeoutSeconds * 1000)))
                }
            } catch {
                connection.close()
                throw error
            }
            return connection
        }
    }

    /// How many users have a session of their own with the upstream.
    var userSessionCount: Int { users?.count ?? 0 }

    /// Waits up to `timeout` for a running upstream (after a lost session, the next one).
    func awaitConnection(timeout: Duration) async -> UpstreamConnection? {
        if let current = state.withLock({ $0.current }), !current.isClosed { return current }
        return await withTaskGroup(of: UpstreamConnection?.self) { group in
            group.addTask { await self.waitForConnection() }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    /// Returns the next running connection, or `nil` when stopped or cancelled.
    private func waitForConnection() async -> UpstreamConnection? {
        let key = Mutex<Int?>(nil)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> UpstreamConnection?? in
                    if let current = state.current, !current.isClosed { return .some(current) }
                    if state.stopping || Task.isCancelled { return .some(nil) }
                    let assigned = state.nextWaiterKey
                    state.nextWaiterKey += 1
                    state.connectionWaiters[assigned] = continuation
                    key.withLock { $0 = assigned }
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<UpstreamConnection?, Never>? in
                guard let assigned = key.withLock({ $0 }) else { return nil }
                return state.connectionWaiters.removeValue(forKey: assigned)
            }
            continuation?.resume(returning: nil)
        }
    }

    /// Whether a new session is being set up after the upstream lost the last one;
    /// requests then wait for it instead of failing at once.
    var isReconnecting: Bool {
        state.withLock { $0.reconnecting || $0.current?.endedBySessionLoss == true }
    }

    /// The upstream's last known catalog.
    var catalog: UpstreamCatalog? { state.withLock { $0.catalog } }

    /// The upstream's health.
    var health: Health { state.withLock { $0.health } }

    /// The running upstream's process id, if it runs as a child process.
    var pid: Int32? { state.withLock { $0.current?.pid } }

    /// How many times the upstream was started again.
    var restartCount: Int { state.withLock { $0.restarts } }

    /// How many times the upstream lost the gateway's session.
    var sessionLossCount: Int { state.withLock { $0.sessionLosses } }

    /// Runs the upstream until ``stop()``. `ready` is called once, with the outcome of the
    /// first start, so that a gateway can say which upstreams failed to start.
    func run(ready: @escaping @Sendable (Result<Void, any Error>) -> Void) async {
        let reported = Mutex(false)
        let report: @Sendable (Result<Void, any Error>) -> Void = { result in
            let first = reported.withLock { made in
                defer { made = true }
                return !made
            }
            if first { ready(result) }
        }
        while !state.withLock({ $0.stopping }) {
            state.withLock { $0.policy.started(at: ContinuousClock.now - origin) }
            var sessionLost = false
            do {
                sessionLost = try await runOnce(report: report)
            } catch let failure as UpstreamConnection.Failure
                where failure.jsonRPCError.code == UpstreamCredentials.credentialsRequiredCode
            {
                // Per-user credentials and nobody has connected yet: not a failure of the
                // upstream. Wait for a first connection, then start at once.
                report(.success(()))
                log.log(.info, "upstream.waiting_for_connection", ["upstream": .string(configuration.name)])
                state.withLock { $0.health = .down }
                while !state.withLock({ $0.stopping }),
                    credentials?.isConnected(configuration.auth?.catalogSubject ?? "", configuration.name) != true
                {
                    await sleepUnlessStopped(.seconds(1))
                }
                continue
            } catch {
                report(.failure(error))
                log.log(
                    .warning, "upstream.failed",
                    ["upstream": .string(configuration.name), "error": .string("\(error)")])
            }
            let action = state.withLock { state -> RestartPolicy.Action? in
                state.current = nil
                state.reconnecting = sessionLost
                guard !state.stopping else { return nil }
                state.health = .down
                let action = state.policy.exited(at: ContinuousClock.now - origin, random: Double.random(in: 0..<1))
                // A lost session is set up again at once (the upstream itself is fine);
                // the policy still counts it, so an upstream that loses every session
                // is given up on instead of re-initialized in a loop.
                if sessionLost, case .restart = action { return .restart(after: .zero) }
                return action
            }
            guard case .restart(let delay) = action else {
                state.withLock { $0.reconnecting = false }
                if case .giveUp(let exits) = action {
                    log.log(
                        .error, "upstream.gave_up",
                        ["upstream": .string(configuration.name), "exits": .number(JSONNumber(exits))])
                }
                break
            }
            await sleepUnlessStopped(delay)
            state.withLock { $0.restarts += 1 }
        }
        let waiters = state.withLock { state in
            state.health = .stopped
            defer { state.connectionWaiters = [:] }
            return state.connectionWaiters.values
        }
        for waiter in waiters { waiter.resume(returning: nil) }
    }

    /// One connection's life: start, initialize, read the catalog, serve until it ends.
    ///
    /// - Returns: whether it ended because the upstream lost the session.
    private func runOnce(report: @escaping @Sendable (Result<Void, any Error>) -> Void) async throws -> Bool {
        let (changes, changed) = AsyncStream.makeStream(of: UpstreamEvent.self, bufferingPolicy: .bufferingNewest(64))
        let connection = UpstreamConnection(
            configuration: configuration, transport: try await startTransport(),
            sessionLostPatterns: settings.recovery.sessionLostPatterns,
            maxInFlight: settings.limits.maxInFlightPerUpstream,
            notification: { notification in
                if let method = notification.method, let list = UpstreamCatalog.List(changeNotification: method) {
                    changed.yield(.listChanged(list))
                    if list == .resources { changed.yield(.listChanged(.resourceTemplates)) }
                } else if notification.method == "notifications/resources/updated",
                    let uri = notification.decodeParams()?["uri"]?.stringValue
                {
                    changed.yield(.resourceUpdated(uri))
                }
            },
            serverRequest: serverRequest)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                await connection.serve()
                changed.finish()
            }
            do {
                // The probe gets the upstream's whole timeout: a server still starting
                // must not be taken for a legacy one (JSON-RPC servers answer an unknown
                // method with an error, so a legacy server answers at once).
                try await connection.initialize(
                    revision: configuration.revision ?? .v2025_11_25, probe: configuration.probesRevision,
                    probeTimeout: .milliseconds(Int(configuration.timeoutSeconds * 1000)))
                try await refreshCatalog(using: connection, lists: UpstreamCatalog.List.allCases)
            } catch {
                connection.close()
                state.withLock { $0.reconnecting = false }
                throw error
            }
            let waiters = state.withLock { state in
                state.current = connection
                state.health = .up
                state.reconnecting = false
                defer { state.connectionWaiters = [:] }
                return state.connectionWaiters.values
            }
            for waiter in waiters { waiter.resume(returning: connection) }
            report(.success(()))
            log.log(
                .info, "upstream.up",
                ["upstream": .string(configuration.name), "location": .string(configuration.location)])
            // Lists are read again when the upstream says they changed, one at a time;
            // resource updates go to the clients that subscribed.
            for await event in changes {
                switch event {
                case .resourceUpdated(let uri):
                    await resourceUpdated(uri)
                case .listChanged(let list):
                    do {
                        try await refreshCatalog(using: connection, lists: [list])
                        await listChanged(list)
                    } catch {
                        log.log(
                            .warning, "upstream.list_failed",
                            ["upstream": .string(configuration.name), "list": .string(list.rawValue)])
                    }
                }
            }
            try await group.waitForAll()
        }
        state.withLock { state in
            state.current = nil
            if connection.endedBySessionLoss { state.sessionLosses += 1 }
        }
        if state.withLock({ $0.stopping }) {
            log.log(.info, "upstream.stopped", ["upstream": .string(configuration.name)])
        } else if connection.endedBySessionLoss {
            log.log(.warning, "upstream.session_lost", ["upstream": .string(configuration.name)])
        } else {
            log.log(.warning, "upstream.down", ["upstream": .string(configuration.name)])
        }
        return connection.endedBySessionLoss
    }

    private func startTransport(boundTo subject: String? = nil) async throws -> any UpstreamTransport {
        switch configuration.endpoint {
        case .stdio(let command, let args, let env, let workingDirectory):
            let name = configuration.name
            let log = self.log
            return try await StdioUpstreamTransport.start(
                command: command, args: args, env: env, workingDirectory: workingDirectory, on: loop
            ) { line in
                log.log(
                    .debug, "upstream.stderr", ["upstream": .string(name), "line": .string(String(line.prefix(2000)))])
            }
        case .streamableHTTP(let url):
            guard let httpClient else {
                throw UpstreamConnection.Failure(
                    jsonRPCError: JSONRPCError(code: .internalError, message: "no HTTP client"))
            }
            var upstreamCredentials: UpstreamCredentials?
            if let auth = configuration.auth, let credentials, credentials.authenticates(configuration.name) {
                upstreamCredentials = UpstreamCredentials(
                    broker: credentials, upstream: configuration.name, quirks: auth.quirks,
                    catalogSubject: subject ?? auth.catalogSubject)
            }
            return StreamableHTTPUpstreamTransport(
                name: configuration.name, url: url, client: httpClient, headers: configuration.headers,
                revision: configuration.revision == .v2026_07_28 || configuration.probesRevision ? .v2026_07_28 : nil,
                timeout: .milliseconds(Int(configuration.timeoutSeconds * 1000)), credentials: upstreamCredentials)
        case .legacySSE(let url):
            guard let httpClient else {
                throw UpstreamConnection.Failure(
                    jsonRPCError: JSONRPCError(code: .internalError, message: "no HTTP client"))
            }
            return LegacySSEUpstreamTransport(url: url, client: httpClient, headers: configuration.headers)
        }
    }

    private func refreshCatalog(using connection: UpstreamConnection, lists: [UpstreamCatalog.List]) async throws {
        guard let result = connection.initializeResult?.objectValue else { return }
        var catalog = state.withLock { $0.catalog } ?? UpstreamCatalog(initializeResult: result)
        catalog.initializeResult = result
        for list in lists where catalog.offers(list) {
            do {
                catalog.items[list] = try await UpstreamCatalog.fetch(list, maxItems: settings.limits.maxListItems) {
                    method, params in
                    try await connection.request(method, params: params)
                }
            } catch let failure as UpstreamConnection.Failure where failure.jsonRPCError.code == .methodNotFound {
                // Declared but not implemented (some servers declare resources without templates).
                catalog.items[list] = []
            }
        }
        state.withLock { state in
            state.catalog = catalog
            state.catalogVersion += 1
        }
        catalogChanged()
    }

    /// Sleeps for `delay`, or less when ``stop()`` is called meanwhile.
    private func sleepUnlessStopped(_ delay: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: delay) }
            group.addTask { await self.waitForStop() }
            await group.next()
            group.cancelAll()
        }
    }

    /// Returns when ``stop()`` is called or the task is cancelled.
    private func waitForStop() async {
        let key = Mutex<Int?>(nil)
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let stopped = state.withLock { state -> Bool in
                    if state.stopping || Task.isCancelled { return true }
                    let assigned = state.nextWaiterKey
                    state.nextWaiterKey += 1
                    state.stopWaiters[assigned] = continuation
                    key.withLock { $0 = assigned }
                    return false
                }
                if stopped { continuation.resume() }
            }
        } onCancel: {
            let continuation = state.withLock { state -> CheckedContinuation<Void, Never>? in
                guard let assigned = key.withLock({ $0 }) else { return nil }
                return state.stopWaiters.removeValue(forKey: assigned)
            }
            continuation?.resume()
        }
    }

    /// Stops the upstream for good.
    func stop() async {
        let (current, stopWaiters) = state.withLock { state in
            state.stopping = true
            defer { state.stopWaiters = [:] }
            return (state.current, state.stopWaiters.values)
        }
        for waiter in stopWaiters { waiter.resume() }
        current?.close()
        users?.closeAll()
    }
}

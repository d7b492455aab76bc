import MCPCore
import MCPTransport
import Synchronization

/// Keeps one upstream running: starts and initializes it, and when it exits restarts it
/// after the delay the ``RestartPolicy`` gives, until the policy gives up or the gateway
/// stops. While it is down, requests fail at once with a clear error instead of waiting.
final class UpstreamSupervisor: Sendable {
    let configuration: GatewayConfiguration.Upstream
    private let loop: EventLoop
    private let state = Mutex<(current: UpstreamConnection?, stopping: Bool, policy: RestartPolicy, restarts: Int)>(
        (nil, false, RestartPolicy(), 0))
    private let origin = ContinuousClock.now

    init(configuration: GatewayConfiguration.Upstream, loop: EventLoop) {
        self.configuration = configuration
        self.loop = loop
    }

    /// The running upstream.
    ///
    /// - Throws: an error for the client when the upstream is down.
    func connection() throws -> UpstreamConnection {
        guard let current = state.withLock({ $0.current }) else {
            throw UpstreamConnection.Failure(
                jsonRPCError: JSONRPCError(code: .internalError, message: "Upstream \(configuration.name) is unavailable"))
        }
        return current
    }

    /// The running upstream's process id, if it runs.
    var pid: Int32? { state.withLock { $0.current?.pid } }

    /// How many times the upstream was restarted.
    var restartCount: Int { state.withLock { $0.restarts } }

    /// Runs the upstream until ``stop()``: starts it, initializes it, reads it until it
    /// exits, and restarts it after the policy's delay. `ready` is called once, with the
    /// outcome of the first start, so that a gateway whose upstream cannot start says so.
    func run(
        initialize: @escaping @Sendable (UpstreamConnection) async throws -> Void,
        ready: @escaping @Sendable (Result<Void, any Error>) -> Void
    ) async {
        let reported = Mutex(false)
        var next: UpstreamConnection?
        do {
            next = try await UpstreamConnection.start(configuration, on: loop)
        } catch {
            ready(.failure(error))
            return
        }
        while true {
            if let running = next {
                state.withLock { $0.policy.started(at: ContinuousClock.now - origin) }
                let firstFailed = await withTaskGroup(of: Void.self) { group -> Bool in
                    group.addTask { await running.readLoop() }
                    var failed = false
                    do {
                        try await initialize(running)
                        state.withLock { $0.current = running }
                        if Self.firstReport(reported) { ready(.success(())) }
                    } catch {
                        if Self.firstReport(reported) {
                            ready(.failure(error))
                            failed = true
                        }
                        await running.close()
                    }
                    await group.waitForAll()
                    return failed
                }
                if firstFailed { return }
            }
            let action = state.withLock { state -> RestartPolicy.Action? in
                state.current = nil
                guard !state.stopping else { return nil }
                return state.policy.exited(at: ContinuousClock.now - origin, random: Double.random(in: 0..<1))
            }
            guard case .restart(let delay) = action else { return }
            try? await Task.sleep(for: delay)
            guard !state.withLock({ $0.stopping }) else { return }
            next = try? await UpstreamConnection.start(configuration, on: loop)
            if next != nil { state.withLock { $0.restarts += 1 } }
        }
    }

    /// Whether this is the first report of a start's outcome (and marks it made).
    private static func firstReport(_ reported: borrowing Mutex<Bool>) -> Bool {
        reported.withLock { made in
            defer { made = true }
            return !made
        }
    }

    /// Stops the upstream for good.
    func stop() async {
        let current = state.withLock { state in
            state.stopping = true
            return state.current
        }
        await current?.close()
    }
}

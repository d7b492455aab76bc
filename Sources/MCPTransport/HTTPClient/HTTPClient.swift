internal import CCurl
internal import Glibc
import Synchronization

/// An HTTP/1.1 and HTTP/2 client over libcurl, for talking to upstream MCP servers and
/// OAuth endpoints.
///
/// One thread drives all transfers through a libcurl multi handle, which keeps
/// connections alive and reuses them. TLS certificates and host names are verified.
/// Response bodies stream to the caller as they arrive, bounded by a buffer; each request
/// has its own connect and total timeouts and a limit on the response size; cancelling the
/// waiting task, or the body, aborts the transfer at once.
public final class HTTPClient: Sendable {
    /// Client-wide settings.
    public struct Configuration: Sendable {
        /// The most connections kept open to one host.
        public var maxConnectionsPerHost: Int
        /// The most connections kept open in total.
        public var maxConnections: Int
        /// A file of trusted CA certificates in PEM, replacing the system's; for tests and
        /// private CAs.
        public var caCertificateFile: String?

        /// Creates settings.
        ///
        /// - Parameters:
        ///   - maxConnectionsPerHost: connections per host (default 16).
        ///   - maxConnections: connections in total (default 256).
        ///   - caCertificateFile: trusted CAs in PEM, or `nil` for the system's.
        public init(maxConnectionsPerHost: Int = 16, maxConnections: Int = 256, caCertificateFile: String? = nil) {
            self.maxConnectionsPerHost = maxConnectionsPerHost
            self.maxConnections = maxConnections
            self.caCertificateFile = caCertificateFile
        }
    }

    let worker: HTTPClientWorker

    /// Starts a client and its transfer thread.
    ///
    /// - Parameter configuration: the client-wide settings.
    /// - Throws: ``HTTPClientError`` when libcurl cannot be initialized.
    public init(configuration: Configuration = Configuration()) throws {
        worker = try HTTPClientWorker(configuration: configuration)
    }

    deinit {
        worker.shutdown()
    }

    /// Stops the client: every transfer in flight fails with ``HTTPClientError/Code/shutDown``.
    public func shutdown() {
        worker.shutdown()
    }

    /// Sends a request and waits for the response's status and headers.
    ///
    /// - Parameter request: the request.
    /// - Returns: the response, whose body streams.
    /// - Throws: ``HTTPClientError`` for a failed transfer; `CancellationError` handling:
    ///   cancelling the task aborts the transfer and throws ``HTTPClientError/Code/cancelled``.
    public func execute(_ request: HTTPClientRequest) async throws -> HTTPClientResponse {
        let transfer = try HTTPTransfer(request: request, caCertificateFile: worker.configuration.caCertificateFile)
        let worker = self.worker
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                transfer.onHead = { result in
                    continuation.resume(
                        with: result.map { head in
                            HTTPClientResponse(
                                status: head.status, headers: head.headers,
                                body: HTTPClientResponseBody(queue: transfer.body) { [weak worker] in
                                    worker?.cancel(transfer)
                                })
                        })
                }
                worker.start(transfer)
            }
        } onCancel: {
            worker.cancel(transfer)
        }
    }
}

/// The thread that runs the libcurl multi handle and every transfer on it.
final class HTTPClientWorker: @unchecked Sendable {
    // @unchecked Sendable: `multi` and `active` are touched only on the worker thread;
    // commands from other threads go through `commands` (a Mutex) and curl_multi_wakeup,
    // which libcurl documents as callable from any thread.

    enum Command {
        case start(HTTPTransfer)
        case cancel(HTTPTransfer)
        case resume(HTTPTransfer)
    }

    let configuration: HTTPClient.Configuration
    private let multi: UnsafeMutableRawPointer
    private let commands = Mutex<(queue: [Command], stopping: Bool)>(([], false))
    private var active: [UnsafeMutableRawPointer: HTTPTransfer] = [:]
    private var thread = pthread_t()
    private let stopped = Mutex(false)

    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    init(configuration: HTTPClient.Configuration) throws {
        self.configuration = configuration
        guard Self.globalInit == CURLE_OK, let multi = curl_multi_init() else {
            throw HTTPClientError(.transferFailed, "libcurl could not be initialized")
        }
        self.multi = multi
        ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxConnectionsPerHost)
        ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maxConnections)
        let box = Unmanaged.passRetained(self)
        let result = pthread_create(
            &thread, nil,
            { argument in
                let worker = Unmanaged<HTTPClientWorker>.fromOpaque(argument!).takeRetainedValue()
                worker.run()
                return nil
            }, box.toOpaque())
        guard result == 0 else {
            box.release()
            curl_multi_cleanup(multi)
            throw HTTPClientError(.transferFailed, "the HTTP client thread could not start")
        }
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    func start(_ transfer: HTTPTransfer) { send(.start(transfer)) }

    func cancel(_ transfer: HTTPTransfer) { send(.cancel(transfer)) }

    func resume(_ transfer: HTTPTransfer) { send(.resume(transfer)) }

    private func send(_ command: Command) {
        let accepted = commands.withLock { state -> Bool in
            guard !state.stopping else { return false }
            state.queue.append(command)
            return true
        }
        if accepted {
            curl_multi_wakeup(multi)
        } else if case .start(let transfer) = command {
            transfer.fail(HTTPClientError(.shutDown, "the HTTP client is shut down"))
        }
    }

    func shutdown() {
        let first = commands.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard first else { return }
        curl_multi_wakeup(multi)
        if pthread_equal(thread, pthread_self()) == 0 { pthread_join(thread, nil) }
    }

    private func run() {
        while true {
            let (queue, stopping) = commands.withLock { state in
                defer { state.queue.removeAll() }
                return (state.queue, state.stopping)
            }
            for command in queue { apply(command) }
            if stopping {
                for transfer in active.values {
                    remove(transfer, failure: HTTPClientError(.shutDown, "the HTTP client is shut down"))
                }
                return
            }
            var running: CInt = 0
            curl_multi_perform(multi, &running)
            collectFinished()
            var ready: CInt = 0
            curl_multi_poll(multi, nil, 0, 1000, &ready)
        }
    }

    private func apply(_ command: Command) {
        switch command {
        case .start(let transfer):
            // Weak: the transfer keeps this handler, and must not keep itself alive.
            transfer.setResumeHandler { [weak self, weak transfer] in
                if let transfer { self?.resume(transfer) }
            }
            guard curl_multi_add_handle(multi, transfer.easy) == CURLM_OK else {
                transfer.fail(HTTPClientError(.transferFailed, "the transfer could not start"))
                return
            }
            active[transfer.easy] = transfer
        case .cancel(let transfer):
            guard active[transfer.easy] != nil else { return }
            remove(transfer, failure: HTTPClientError(.cancelled, "the request was cancelled"))
        case .resume(let transfer):
            guard active[transfer.easy] != nil, transfer.paused else { return }
            transfer.paused = false
            curl_easy_pause(transfer.easy, CURLPAUSE_CONT)
        }
    }

    private func remove(_ transfer: HTTPTransfer, failure: HTTPClientError?) {
        curl_multi_remove_handle(multi, transfer.easy)
        active[transfer.easy] = nil
        if let failure { transfer.fail(failure) } else { transfer.complete() }
    }

    private func collectFinished() {
        var remaining: CInt = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                let transfer = active[easy]
            else { continue }
            let code = message.pointee.data.result
            remove(transfer, failure: code == CURLE_OK ? nil : transfer.error(for: code))
        }
    }
}

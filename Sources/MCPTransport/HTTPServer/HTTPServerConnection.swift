internal import CLinux
internal import Glibc

/// One client connection of an ``HTTPServer``: its socket, its parser, the request being
/// served and the bytes waiting to be sent.
///
/// Confined to its event loop: every method runs on the loop's thread (the serving task
/// prefers the loop as its executor, and the loop calls the readiness handlers).
final class HTTPServerConnection: @unchecked Sendable {
    // @unchecked Sendable: all state is touched only on `loop`'s thread; the methods called
    // from `HTTPServerResponse` hop there first, and `assertOnLoop` checks it in debug.

    private enum Phase {
        /// Waiting for the first byte of a request.
        case idle
        /// Reading a request head.
        case head
        /// Reading a request body.
        case body
        /// The handler has the request and the whole body has arrived (or is paused).
        case handling
    }

    let loop: EventLoop
    let remoteAddress: SocketAddress?
    private let socket: Socket
    /// The TLS session over the socket, for HTTPS.
    private let tls: TLSSession?
    private let configuration: HTTPServerConfiguration
    private let onClose: (HTTPServerConnection) -> Void
    private var token: UInt64?
    /// The events the socket is registered for, so an unchanged interest costs no system call.
    private var registeredEvents: UInt32 = 0
    private var parser: HTTPRequestParser
    private var phase = Phase.idle

    // The request flow.
    private var pendingRequest: HTTPServerRequest?
    private var requestWaiter: CheckedContinuation<HTTPServerRequest?, Never>?
    private var body: ByteStreamQueue?
    private var bodyComplete = true
    private var bodyPaused = false
    private var holdParsing = false
    private var peerClosed = false
    private var draining = false
    private var failure: HTTPParserError?

    // The response flow.
    private var encoder: HTTPResponseWriter?
    private var currentHead: HTTPRequestHead?
    private(set) var responseHeadWritten = false
    private var closeAfterResponse = false
    private var outbound: [UInt8] = []
    private var outboundOffset = 0
    private var writableWaiters: [CheckedContinuation<Void, any Error>] = []
    private var closeWaiters: [UInt64: CheckedContinuation<Void, Never>] = [:]
    private var nextCloseWaiter: UInt64 = 0
    private var closeWhenFlushed = false
    private var writeInterest = false
    private(set) var isClosed = false

    private var timer: UInt64?
    private var timerFiresAt: ContinuousClock.Instant?
    private var deadline: ContinuousClock.Instant?

    private static let readSize = 64 * 1024

    init(
        socket: Socket, tls: TLSSession? = nil, remoteAddress: SocketAddress?, loop: EventLoop,
        configuration: HTTPServerConfiguration, onClose: @escaping (HTTPServerConnection) -> Void
    ) {
        self.socket = socket
        self.tls = tls
        self.remoteAddress = remoteAddress
        self.loop = loop
        self.configuration = configuration
        self.parser = HTTPRequestParser(limits: configuration.parserLimits)
        self.onClose = onClose
    }

    func start() throws(SystemCallError) {
        try? socket.setOption(CInt(IPPROTO_TCP), TCP_NODELAY, 1)
        registeredEvents = EPOLLIN.rawValue | EPOLLRDHUP.rawValue
        token = try loop.register(
            descriptor: socket.descriptor, events: registeredEvents,
            handler: EventCallback { [unowned self] events in self.handleEvents(events) })
        arm(configuration.idleTimeout)
    }

    // MARK: Serving

    /// Serves requests one after the other until the connection closes.
    func serve(_ responder: some HTTPResponder) async {
        while let request = await nextRequest() {
            let response = HTTPServerResponse(connection: self, requestHead: request.head)
            var handlerFailed = false
            do {
                try await responder.respond(to: request, with: response)
            } catch {
                handlerFailed = true
            }
            await finishResponse(handlerFailed: handlerFailed)
        }
    }

    private func nextRequest() async -> HTTPServerRequest? {
        if let request = pendingRequest {
            pendingRequest = nil
            return request
        }
        if isClosed { return nil }
        return await withCheckedContinuation { continuation in
            if let request = pendingRequest {
                pendingRequest = nil
                continuation.resume(returning: request)
            } else if isClosed {
                continuation.resume(returning: nil)
            } else {
                requestWaiter = continuation
            }
        }
    }

    private func finishResponse(handlerFailed: Bool) async {
        guard !isClosed else { return }
        if !responseHeadWritten {
            try? writeHead(status: HTTPStatus(code: 500), fields: [:], framing: .contentLength(0))
            try? writeEnd(trailers: [:])
        } else if encoder?.isComplete == false {
            if handlerFailed {
                // The client must see that the response was cut: close without ending it.
                closeWhenFlushed = true
                closeAfterResponse = true
                flush()
                return
            }
            try? writeEnd(trailers: [:])
        }
        try? await waitUntilWritable()
        guard !isClosed else { return }
        // A body the handler did not read to its end cannot be skipped reliably: close.
        if !bodyComplete || encoder?.closesConnection == true { closeAfterResponse = true }
        encoder = nil
        currentHead = nil
        responseHeadWritten = false
        body = nil
        if closeAfterResponse {
            closeWhenFlushed = true
            flush()
            return
        }
        holdParsing = false
        phase = .idle
        arm(configuration.idleTimeout)
        processEvents()
    }

    // MARK: Reading

    private func handleEvents(_ events: UInt32) {
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readAvailable()
        }
        if !isClosed, events & EPOLLOUT.rawValue != 0 {
            flush()
        }
    }

    private func readAvailable() {
        guard !isClosed, !peerClosed else { return }
        let buffer = loop.readBuffer
        while !isClosed, !bodyPaused, parser.bufferedByteCount < Self.readSize {
            let count: Int?
            do {
                if let tls {
                    count = try tls.read(into: buffer)
                } else {
                    count = try socket.read(into: buffer)
                }
            } catch {
                close()
                return
            }
            guard let count else { break }
            if count == 0 {
                peerClosed = true
                do {
                    try parser.finish()
                } catch {
                    body?.finish(throwing: error)
                }
                if phase == .idle || phase == .head {
                    close()
                } else {
                    // The client stopped sending in the middle of an exchange: it has gone
                    // away (or half-closed). Those waiting for its departure learn now, so
                    // work on its behalf can stop; a response may still be written.
                    resumeCloseWaiters()
                }
                break
            }
            if phase == .idle {
                phase = .head
                arm(configuration.headerReadTimeout)
            }
            parser.append(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            processEvents()
            // A short read drained the socket: reading again would only return EAGAIN, and
            // the level-triggered registration reports any bytes that arrive after it.
            if tls == nil, count < buffer.count { break }
        }
        updateReadInterest()
    }

    /// Pulls events from the parser while the current request may take them.
    private func processEvents() {
        while !isClosed, !holdParsing, !bodyPaused {
            let event: HTTPRequestParser.Event?
            do {
                event = try parser.next()
            } catch {
                refuse(error)
                return
            }
            guard let event else {
                if phase == .idle, !parser.isIdle {
                    phase = .head
                    arm(configuration.headerReadTimeout)
                }
                if peerClosed, parser.isClosed || parser.isIdle, pendingRequest == nil, currentHead == nil { close() }
                return
            }
            switch event {
            case .head(let head):
                receive(head)
            case .body(let bytes):
                arm(configuration.bodyReadTimeout)
                if body?.push(Array(bytes)) == false { bodyPaused = true }
            case .end:
                body?.finish()
                bodyComplete = true
                holdParsing = true
                phase = .handling
                cancelTimer()
            }
        }
        updateReadInterest()
    }

    private func receive(_ head: HTTPRequestHead) {
        currentHead = head
        encoder = HTTPResponseWriter(answering: head)
        if !head.keepAlive || draining { closeAfterResponse = true }
        let queue = ByteStreamQueue(limit: configuration.requestBodyBufferBytes) { [weak self, loop] in
            loop.execute { [weak self] in self?.resumeBody() }
        }
        body = queue
        bodyComplete = false
        phase = .body
        arm(configuration.bodyReadTimeout)
        if head.expectsContinue {
            try? encoder?.writeContinue(into: &outbound)
            flush()
        }
        let request = HTTPServerRequest(
            head: head, body: HTTPServerRequestBody(queue: queue), remoteAddress: remoteAddress)
        if let waiter = requestWaiter {
            requestWaiter = nil
            waiter.resume(returning: request)
        } else {
            pendingRequest = request
        }
    }

    private func resumeBody() {
        guard bodyPaused, !isClosed else { return }
        bodyPaused = false
        if phase == .body { arm(configuration.bodyReadTimeout) }
        processEvents()
        readAvailable()
    }

    /// Answers a request the parser refused and closes the connection.
    private func refuse(_ error: HTTPParserError) {
        failure = error
        body?.finish(throwing: error)
        closeAfterResponse = true
        cancelTimer()
        if currentHead == nil || !responseHeadWritten {
            if currentHead == nil { encoder = HTTPResponseWriter() }
            writeErrorResponse(error.status, message: error.message)
        }
        if currentHead == nil {
            closeWhenFlushed = true
            flush()
        }
    }

    private func writeErrorResponse(_ status: HTTPStatus, message: String) {
        guard !responseHeadWritten else { return }
        let body = Array(message.utf8)
        try? writeHead(
            status: status, fields: ["Content-Type": "text/plain; charset=utf-8"], framing: .contentLength(body.count),
            flushing: false)
        try? writeBody(body, flushing: false)
        try? writeEnd(trailers: [:])
    }

    private func updateReadInterest() {
        guard let token, !isClosed else { return }
        var events = EPOLLRDHUP.rawValue
        let wantsRead = !peerClosed && !bodyPaused && parser.bufferedByteCount < Self.readSize && !closeWhenFlushed
        if wantsRead { events |= EPOLLIN.rawValue }
        if writeInterest { events |= EPOLLOUT.rawValue }
        if events != registeredEvents {
            do {
                try loop.modify(token, descriptor: socket.descriptor, events: events)
                registeredEvents = events
            } catch {}
        }
        // Bytes TLS already decrypted raise no readiness event: read them now.
        if wantsRead, tls?.hasBufferedInput == true {
            loop.execute { [weak self] in self?.readAvailable() }
        }
    }

    // MARK: Writing

    /// Encodes the status line and header fields, and sends them unless `flushing` is
    /// false (when the body follows at once, so head and body leave in one write).
    func writeHead(
        status: HTTPStatus, fields: HTTPFields, framing: HTTPResponseWriter.BodyFraming, flushing: Bool = true
    ) throws {
        guard !isClosed else { throw HTTPServerError(.connectionClosed, "the connection is closed") }
        guard var encoder else { throw HTTPServerError(.invalidResponse, "no request to answer") }
        var fields = fields
        if draining { closeAfterResponse = true }
        if closeAfterResponse {
            fields.append(name: "Connection", value: "close")
        } else if encoder.requestVersion == .http1_0 {
            fields.append(name: "Connection", value: "keep-alive")
        }
        do {
            try encoder.writeHead(HTTPResponseHead(status: status, fields: fields), framing: framing, into: &outbound)
        } catch {
            throw HTTPServerError(.invalidResponse, error.description)
        }
        self.encoder = encoder
        responseHeadWritten = true
        if encoder.closesConnection { closeAfterResponse = true }
        if flushing { flush() }
    }

    /// Encodes body bytes and sends them unless `flushing` is false.
    func writeBody(_ bytes: some Collection<UInt8>, flushing: Bool = true) throws {
        guard !isClosed else { throw HTTPServerError(.connectionClosed, "the connection is closed") }
        guard var encoder else { throw HTTPServerError(.invalidResponse, "no request to answer") }
        do {
            try encoder.writeBody(bytes, into: &outbound)
        } catch {
            throw HTTPServerError(.invalidResponse, error.description)
        }
        self.encoder = encoder
        if flushing { flush() }
    }

    func writeEnd(trailers: HTTPFields) throws {
        guard !isClosed else { throw HTTPServerError(.connectionClosed, "the connection is closed") }
        guard var encoder else { throw HTTPServerError(.invalidResponse, "no request to answer") }
        do {
            try encoder.writeEnd(trailers: trailers, into: &outbound)
        } catch {
            throw HTTPServerError(.invalidResponse, error.description)
        }
        self.encoder = encoder
        flush()
    }

    /// Waits until the bytes waiting to be sent are under the bound.
    func waitUntilWritable() async throws {
        let pending = outbound.count - outboundOffset
        if isClosed { throw HTTPServerError(.connectionClosed, "the connection is closed") }
        if pending <= configuration.responseBufferBytes { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            if isClosed {
                continuation.resume(throwing: HTTPServerError(.connectionClosed, "the connection is closed"))
            } else if outbound.count - outboundOffset <= configuration.responseBufferBytes {
                continuation.resume()
            } else {
                writableWaiters.append(continuation)
            }
        }
    }

    private func flush() {
        guard !isClosed else { return }
        while outboundOffset < outbound.count {
            let written: Int?
            do {
                written = try outbound.withUnsafeBytes { raw in
                    let pending = UnsafeRawBufferPointer(rebasing: raw[outboundOffset...])
                    if let tls { return try tls.write(pending) }
                    return try socket.write(pending)
                }
            } catch {
                close()
                return
            }
            guard let written, written > 0 else {
                if !writeInterest {
                    writeInterest = true
                    updateReadInterest()
                }
                arm(configuration.writeStallTimeout)
                return
            }
            outboundOffset += written
            if writeInterest { arm(configuration.writeStallTimeout) }
        }
        outbound.removeAll(keepingCapacity: outbound.capacity <= 256 << 10)
        outboundOffset = 0
        if writeInterest {
            writeInterest = false
            updateReadInterest()
            restoreTimer()
        }
        let waiters = writableWaiters
        writableWaiters = []
        for waiter in waiters { waiter.resume() }
        if closeWhenFlushed { close() }
    }

    // MARK: Timers

    /// Sets the connection's single deadline. Re-arming only moves a value; a loop timer
    /// is scheduled only when none is pending that fires at or before the new deadline, so
    /// a busy connection does not fill the loop's timer queue with cancelled entries.
    private func arm(_ duration: Duration) {
        let deadline = ContinuousClock.now + duration
        self.deadline = deadline
        if let scheduled = timerFiresAt, scheduled <= deadline { return }
        scheduleDeadlineTimer(at: deadline)
    }

    private func scheduleDeadlineTimer(at instant: ContinuousClock.Instant) {
        timerFiresAt = instant
        timer = loop.scheduleTimer(at: instant) { [weak self] in self?.deadlineTimerFired(scheduledFor: instant) }
    }

    private func cancelTimer() {
        deadline = nil
    }

    private func deadlineTimerFired(scheduledFor instant: ContinuousClock.Instant) {
        guard timerFiresAt == instant else { return }  // a later or earlier timer replaced this one
        timerFiresAt = nil
        timer = nil
        guard let deadline else { return }
        if ContinuousClock.now < deadline {
            scheduleDeadlineTimer(at: deadline)
            return
        }
        self.deadline = nil
        timerFired()
    }

    /// After a write stall ends, the timer of the reading phase applies again.
    private func restoreTimer() {
        switch phase {
        case .idle: arm(configuration.idleTimeout)
        case .head: arm(configuration.headerReadTimeout)
        case .body where !bodyPaused: arm(configuration.bodyReadTimeout)
        case .body, .handling: cancelTimer()
        }
    }

    private func timerFired() {
        guard !isClosed else { return }
        if writeInterest {
            close()  // the client stopped reading
            return
        }
        switch phase {
        case .idle:
            close()
        case .head:
            closeAfterResponse = true
            encoder = HTTPResponseWriter()
            writeErrorResponse(HTTPStatus(code: 408), message: "The request head took too long.")
            closeWhenFlushed = true
            flush()
        case .body:
            let error = HTTPServerError(.timedOut, "the request body took too long")
            body?.finish(throwing: error)
            closeAfterResponse = true
            if !responseHeadWritten {
                writeErrorResponse(HTTPStatus(code: 408), message: "The request body took too long.")
            }
            closeWhenFlushed = true
            flush()
        case .handling:
            break
        }
    }

    private func resumeCloseWaiters() {
        let waiters = closeWaiters.values
        closeWaiters = [:]
        for waiter in waiters { waiter.resume() }
    }

    /// Resumes `continuation` once the connection has closed or the client has stopped
    /// sending (at once if either has happened).
    ///
    /// - Returns: an id for ``stopWaiting(_:)``, or `nil` when it resumed at once.
    @discardableResult
    func whenClosed(_ continuation: CheckedContinuation<Void, Never>) -> UInt64? {
        if isClosed || peerClosed {
            continuation.resume()
            return nil
        }
        let id = nextCloseWaiter
        nextCloseWaiter += 1
        closeWaiters[id] = continuation
        return id
    }

    /// Resumes a waiter of ``whenClosed(_:)`` early, as when its task is cancelled.
    func stopWaiting(_ id: UInt64) {
        closeWaiters.removeValue(forKey: id)?.resume()
    }

    // MARK: Shutdown

    /// Stops taking requests: an idle connection closes now, a busy one after its response.
    func drain() {
        draining = true
        closeAfterResponse = true
        if phase == .idle && currentHead == nil && pendingRequest == nil { close() }
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        cancelTimer()
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        timerFiresAt = nil
        if let token { loop.deregister(token, descriptor: socket.descriptor) }
        token = nil
        tls?.shutdown()
        socket.close()
        body?.finish(throwing: HTTPServerError(.connectionClosed, "the connection closed"))
        if let waiter = requestWaiter {
            requestWaiter = nil
            waiter.resume(returning: nil)
        }
        let waiters = writableWaiters
        writableWaiters = []
        for waiter in waiters { waiter.resume(throwing: HTTPServerError(.connectionClosed, "the connection closed")) }
        resumeCloseWaiters()
        onClose(self)
    }
}

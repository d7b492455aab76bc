import Synchronization

/// The registration of one ``HTTPServerResponse/waitUntilClosed()`` call, shared between
/// the waiting task and its cancellation handler.
private final class CloseWaiterID: Sendable {
    private let state = Mutex<(id: UInt64?, cancelled: Bool)>((nil, false))

    var id: UInt64? { state.withLock { $0.id } }
    var isCancelled: Bool { state.withLock { $0.cancelled } }

    func set(_ id: UInt64?) { state.withLock { $0.id = id } }
    func cancel() { state.withLock { $0.cancelled = true } }
}

/// Where a handler writes its response: the head once, then body bytes, then the end.
///
/// Writing waits when the client reads slowly and the connection's buffer is full, so a
/// producer of an endless event stream is paced by its reader instead of filling memory.
public final class HTTPServerResponse: Sendable {
    let connection: HTTPServerConnection
    let requestHead: HTTPRequestHead

    init(connection: HTTPServerConnection, requestHead: HTTPRequestHead) {
        self.connection = connection
        self.requestHead = requestHead
    }

    /// Writes the status line and header fields.
    ///
    /// - Parameters:
    ///   - status: the status.
    ///   - fields: the header fields, without `Content-Length`, `Transfer-Encoding` or
    ///     `Connection`, which the server writes.
    ///   - framing: how the body is delimited: a known length, or chunked for a stream.
    /// - Throws: ``HTTPServerError`` for an invalid head or a second head, or when the
    ///   connection is closed.
    public func writeHead(
        status: HTTPStatus, fields: HTTPFields = [:], framing: HTTPResponseWriter.BodyFraming
    ) async throws {
        try await onLoop { connection in try connection.writeHead(status: status, fields: fields, framing: framing) }
    }

    /// Writes body bytes, waiting while the client is behind.
    ///
    /// - Parameter bytes: the bytes; for chunked framing, one chunk.
    /// - Throws: ``HTTPServerError`` when the bytes do not fit the framing or the
    ///   connection is closed.
    public func write(_ bytes: some Collection<UInt8> & Sendable) async throws {
        try await onLoop { connection in try connection.writeBody(bytes) }
        try await connection.waitUntilWritable()
    }

    /// Ends the response.
    ///
    /// - Parameter trailers: trailer fields, for chunked framing.
    /// - Throws: ``HTTPServerError`` when the body is shorter than its declared length or
    ///   the connection is closed.
    public func end(trailers: HTTPFields = [:]) async throws {
        try await onLoop { connection in try connection.writeEnd(trailers: trailers) }
        try await connection.waitUntilWritable()
    }

    /// Writes a whole response with a fixed body.
    ///
    /// - Parameters:
    ///   - status: the status.
    ///   - fields: the header fields.
    ///   - body: the body.
    /// - Throws: as ``writeHead(status:fields:framing:)`` and ``write(_:)``.
    public func send(status: HTTPStatus, fields: HTTPFields = [:], body: [UInt8] = []) async throws {
        try await onLoop { connection in
            // Head, body and end leave in one write.
            try connection.writeHead(
                status: status, fields: fields, framing: .contentLength(body.count), flushing: false)
            if !body.isEmpty { try connection.writeBody(body, flushing: false) }
            try connection.writeEnd(trailers: [:])
        }
        try await connection.waitUntilWritable()
    }

    /// Starts a Server-Sent Events stream: `200`, `text/event-stream`, no caching, no proxy
    /// buffering, chunked.
    ///
    /// - Parameter fields: more header fields, such as `Mcp-Session-Id`.
    public func startEventStream(fields: HTTPFields = [:]) async throws {
        var all = fields
        all.append(name: "Content-Type", value: "text/event-stream")
        all.append(name: "Cache-Control", value: "no-cache")
        all.append(name: "X-Accel-Buffering", value: "no")
        try await writeHead(status: HTTPStatus(code: 200), fields: all, framing: .chunked)
    }

    /// Waits until the client's connection has closed or the client has stopped sending
    /// (it went away), for handlers that must stop working for a client that is gone.
    /// Returns early when the waiting task is cancelled.
    public func waitUntilClosed() async {
        let connection = self.connection
        let waiter = CloseWaiterID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                connection.loop.execute {
                    waiter.set(connection.whenClosed(continuation))
                    if waiter.isCancelled, let id = waiter.id { connection.stopWaiting(id) }
                }
            }
        } onCancel: {
            waiter.cancel()
            connection.loop.execute { if let id = waiter.id { connection.stopWaiting(id) } }
        }
    }

    /// Whether the head has been written.
    public var headWritten: Bool {
        get async { (try? await connection.loop.submit { [connection] in connection.responseHeadWritten }) ?? true }
    }

    private func onLoop(_ body: @escaping @Sendable (HTTPServerConnection) throws -> Void) async throws {
        let connection = self.connection
        if connection.loop.inEventLoop {
            try body(connection)
        } else {
            try await connection.loop.submit { try body(connection) }
        }
    }
}

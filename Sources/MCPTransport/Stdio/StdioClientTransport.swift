public import MCPCore

/// The client side of the MCP stdio transport: an MCP server run as a child process,
/// with newline-delimited JSON-RPC messages on its standard input and output.
///
/// Messages are framed one per line (line breaks that pretty-printing put between tokens
/// become spaces, which changes nothing). Lines that are not valid JSON-RPC messages are
/// reported as ``Inbound/invalid(_:)`` and the stream goes on, since servers sometimes print
/// stray text to standard output. Shutdown follows the specification: close standard
/// input, wait, then SIGTERM, then SIGKILL.
public final class StdioClientTransport: Sendable {
    /// What the server sent.
    public enum Inbound: Sendable {
        /// A JSON-RPC message.
        case message(MessageEnvelope)
        /// A line that is not a valid JSON-RPC message, or a line over the size bound.
        case invalid(StdioLineError)
    }

    let process: ChildProcess
    private let reader: LineMessageReader

    private init(process: ChildProcess, maxMessageBytes: Int) {
        self.process = process
        self.reader = LineMessageReader(maxMessageBytes: maxMessageBytes)
    }

    /// Starts the server process.
    ///
    /// - Parameters:
    ///   - configuration: the command to run.
    ///   - loop: the event loop that owns the pipes.
    ///   - maxMessageBytes: the largest message accepted from the server (default 4 MiB).
    ///   - errorLine: called with each line the server writes to standard error.
    /// - Returns: the transport.
    /// - Throws: when the process cannot be started.
    package static func start(
        _ configuration: ChildProcessConfiguration,
        on loop: EventLoop,
        maxMessageBytes: Int = 4 << 20,
        errorLine: @escaping @Sendable (String) -> Void = { _ in }
    ) async throws -> StdioClientTransport {
        let process = try await ChildProcess.spawn(configuration, on: loop, errorLine: errorLine)
        return StdioClientTransport(process: process, maxMessageBytes: maxMessageBytes)
    }

    /// The server's process id.
    public var pid: Int32 { process.pid }

    /// Sends one message.
    ///
    /// - Parameter message: the JSON-RPC message bytes.
    /// - Throws: when the server no longer reads its input.
    public func send(_ message: some Collection<UInt8>) async throws {
        try await process.write(LineFramer.frame(message))
    }

    /// The next message from the server, or `nil` once its output has ended.
    ///
    /// Call from one task at a time.
    ///
    /// - Throws: `CancellationError` when the waiting task is cancelled.
    public func receive() async throws -> Inbound? {
        try await reader.next { try await process.output.next() }
    }

    /// Stops the server: closes its input, waits up to `gracePeriod` for it to exit, then
    /// sends SIGTERM and, after another `gracePeriod`, SIGKILL.
    ///
    /// - Parameter gracePeriod: how long each step waits.
    /// - Returns: how the server ended.
    @discardableResult
    public func close(gracePeriod: Duration = .seconds(2)) async -> ChildProcessExit {
        await process.closeInput()
        if let exited = await process.wait(timeout: gracePeriod) { return exited }
        return await process.terminate(gracePeriod: gracePeriod)
    }

    /// The server's most recent standard error lines, for diagnostics.
    public func recentErrorLines() async -> [String] {
        await process.recentErrorLines()
    }
}

/// A line from a stdio server that could not be used.
public struct StdioLineError: Error, Sendable, CustomStringConvertible {
    /// What was wrong with the line.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable { case invalidMessage, oversizedLine }
        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The line is not a valid JSON-RPC message.
        public static let invalidMessage = Code(.invalidMessage)
        /// The line is longer than the bound.
        public static let oversizedLine = Code(.oversizedLine)

        public var description: String { value.rawValue }
    }

    /// What was wrong.
    public let code: Code
    /// Why the message was refused, for ``Code/invalidMessage``.
    public let envelope: EnvelopeError?
    /// The line's length, for ``Code/oversizedLine``.
    public let length: Int?

    init(_ code: Code, envelope: EnvelopeError? = nil, length: Int? = nil) {
        self.code = code
        self.envelope = envelope
        self.length = length
    }

    public var description: String {
        if let envelope { return "\(code): \(envelope)" }
        if let length { return "\(code): \(length) bytes" }
        return code.description
    }
}

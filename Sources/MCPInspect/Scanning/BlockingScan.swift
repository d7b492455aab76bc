/// A scan for rules that may block: the whole message is buffered (up to a limit)
/// while it is scanned, and released or refused once it is complete.
///
/// When the message grows past the limit the scan says so with `tooLargeToBlock`,
/// keeps nothing more, and refuses every later chunk: the caller decides what a message
/// too large to inspect whole means (refusing it is the safe choice).
public struct BlockingScan: Sendable {
    /// The outcome of a complete message.
    public struct Result: Sendable, Hashable {
        /// The message to send on, redactions applied (empty when blocked).
        public var bytes: [UInt8]
        /// Every finding in the message.
        public var findings: [Finding]
        /// Whether a finding's action is `block`: the message must not be sent.
        public var blocked: Bool
    }

    private var scanner: StreamScanner
    private var buffered: [UInt8] = []
    private var findings: [Finding] = []
    private var received = 0
    private var overflowed = false
    /// The most bytes of a message this scan buffers.
    public let limit: Int

    /// Creates a blocking scan.
    ///
    /// - Parameters:
    ///   - scanner: A scanner that has seen no bytes.
    ///   - limit: The largest message, in bytes, that may be buffered; at least 1.
    /// - Throws: `InspectError` with code `invalidArgument` when `limit` is not positive.
    public init(scanner: StreamScanner, limit: Int) throws(InspectError) {
        guard limit > 0 else { throw InspectError(.invalidArgument, message: "the blocking limit must be positive") }
        self.scanner = scanner
        self.limit = limit
    }

    /// Scans and buffers the next chunk of the message.
    ///
    /// - Parameter chunk: The next bytes.
    /// - Throws: `InspectError` with code `tooLargeToBlock` once the message is larger
    ///   than ``limit``; the buffered bytes are dropped and every later call throws too.
    public mutating func feed(_ chunk: some Collection<UInt8>) throws(InspectError) {
        received += chunk.count
        guard !overflowed, received <= limit else {
            overflowed = true
            buffered = []
            findings = []
            throw InspectError(
                .tooLargeToBlock, message: "the message is larger than the blocking limit of \(limit) bytes")
        }
        let output = scanner.feed(chunk)
        buffered += output.bytes
        findings += output.findings
    }

    /// Ends the message and decides.
    ///
    /// - Returns: The message with redactions applied, or nothing when a rule blocks it.
    /// - Throws: `InspectError` with code `tooLargeToBlock` when the message overflowed.
    public mutating func finish() throws(InspectError) -> Result {
        guard !overflowed else {
            throw InspectError(
                .tooLargeToBlock, message: "the message is larger than the blocking limit of \(limit) bytes")
        }
        let output = scanner.finish()
        buffered += output.bytes
        findings += output.findings
        let blocked = findings.contains { $0.action == .block }
        return Result(bytes: blocked ? [] : buffered, findings: findings, blocked: blocked)
    }
}

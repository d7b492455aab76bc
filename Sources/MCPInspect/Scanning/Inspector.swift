public import MCPCrypto
internal import Synchronization

/// The entry point of the inspection layer: holds the rules, the options, the tokens the
/// gateway holds and the fingerprint key, and makes a scanner for each message.
///
/// Safe to share between threads. Changing the held tokens recompiles the detector
/// tables; scanners made earlier keep the tables they were made with.
public final class Inspector: Sendable {
    private struct State {
        var heldTokens = HeldTokenIndex()
        var tables: [Direction: DetectorTable] = [:]
    }

    /// The action of every detector in every direction.
    public let rules: InspectionRules
    /// The detectors' parameters and the scan bounds.
    public let options: InspectionOptions
    private let fingerprintKey: SymmetricKey
    private let fingerprinter: MatchFingerprinter
    private let state: Mutex<State>

    /// Creates an inspector.
    ///
    /// - Parameters:
    ///   - rules: The action of every detector in every direction.
    ///   - options: The detectors' parameters and the scan bounds.
    ///   - fingerprintKey: The HMAC key of finding fingerprints; a fresh random key by
    ///     default (fingerprints then correlate within this inspector's life only).
    /// - Throws: `InspectError` with code `invalidArgument` when an option is out of
    ///   range or no random key could be made.
    public init(
        rules: InspectionRules = .default, options: InspectionOptions = InspectionOptions(),
        fingerprintKey: SymmetricKey? = nil
    ) throws(InspectError) {
        try options.validate()
        self.rules = rules
        self.options = options
        if let fingerprintKey {
            self.fingerprintKey = fingerprintKey
        } else {
            do {
                self.fingerprintKey = try SymmetricKey(randomByteCount: 32)
            } catch {
                throw InspectError(.invalidArgument, message: "no random fingerprint key could be made")
            }
        }
        fingerprinter = MatchFingerprinter(key: self.fingerprintKey)
        var initial = State()
        for direction in Direction.allCases {
            initial.tables[direction] = DetectorTable(
                direction: direction, rules: rules, options: options, heldTokens: initial.heldTokens,
                fingerprinter: fingerprinter)
        }
        state = Mutex(initial)
    }

    /// Makes a scanner for one message or stream.
    ///
    /// - Parameters:
    ///   - direction: What the bytes are; it selects each detector's action.
    ///   - mode: `.json` for JSON text (string escapes are decoded while scanning and
    ///     redactions keep the JSON valid), `.plainText` otherwise.
    /// - Returns: A scanner that has seen no bytes.
    public func makeScanner(direction: Direction, mode: StreamScanner.Mode) -> StreamScanner {
        StreamScanner(table: table(direction), mode: mode)
    }

    /// Scans a whole message at once, such as the arguments of a call.
    ///
    /// - Parameters:
    ///   - message: The message's bytes.
    ///   - direction: What the bytes are.
    ///   - mode: `.json` or `.plainText`.
    /// - Returns: The message with redactions applied and every finding; when
    ///   ``ScanOutput/blocksMessage`` is true the caller must not send it.
    public func scan(message: some Collection<UInt8>, direction: Direction, mode: StreamScanner.Mode) -> ScanOutput {
        var scanner = makeScanner(direction: direction, mode: mode)
        var output = scanner.feed(message)
        let last = scanner.finish()
        output.bytes += last.bytes
        output.findings += last.findings
        return output
    }

    /// Adds a token the gateway holds, so that it is found wherever it appears.
    ///
    /// Only a digest of the token is kept; a finding never carries it. A token is found
    /// where it starts a word (after a byte that is not an ASCII letter or digit), as
    /// tokens appear in headers, JSON strings and assignments.
    ///
    /// - Parameter token: The token's bytes, 12 to 4096 of them.
    /// - Throws: `InspectError` with code `invalidArgument` when the token is too short
    ///   or too long.
    public func addHeldToken(_ token: some Collection<UInt8>) throws(InspectError) {
        let bytes = Array(token)
        guard bytes.count >= HeldTokenIndex.minimumLength, bytes.count <= HeldTokenIndex.maximumLength else {
            throw InspectError(.invalidArgument, message: "a held token must have 12 to 4096 bytes")
        }
        state.withLock { state in
            if state.heldTokens.insert(bytes) { recompile(&state) }
        }
    }

    /// Removes a token added with ``addHeldToken(_:)``.
    ///
    /// - Parameter token: The token's bytes.
    /// - Returns: Whether the token was held.
    @discardableResult
    public func removeHeldToken(_ token: some Collection<UInt8>) -> Bool {
        let bytes = Array(token)
        guard bytes.count >= HeldTokenIndex.minimumLength, bytes.count <= HeldTokenIndex.maximumLength else {
            return false
        }
        return state.withLock { state in
            guard state.heldTokens.remove(bytes) else { return false }
            recompile(&state)
            return true
        }
    }

    /// How many tokens are held.
    public var heldTokenCount: Int { state.withLock { $0.heldTokens.count } }

    /// The fingerprint a finding would carry for these bytes: the first 8 bytes of
    /// HMAC-SHA256 under this inspector's key, in hexadecimal.
    ///
    /// - Parameter bytes: Matched bytes.
    /// - Returns: 16 hexadecimal digits.
    public func fingerprint(of bytes: some Sequence<UInt8>) -> String {
        fingerprinter.fingerprint(Array(bytes))
    }

    func table(_ direction: Direction) -> DetectorTable {
        state.withLock { $0.tables[direction]! }
    }

    private func recompile(_ state: inout State) {
        for direction in Direction.allCases {
            state.tables[direction] = DetectorTable(
                direction: direction, rules: rules, options: options, heldTokens: state.heldTokens,
                fingerprinter: fingerprinter)
        }
    }
}

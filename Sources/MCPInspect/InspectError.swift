// MCPInspect: inspection of the bytes that pass through the gateway, for secrets,
// personal data and poisoning, without Foundation on the scanning path.
//
// - Streaming: `StreamScanner` scans a message as it arrives, in plain-text or JSON mode
//   (string escapes decoded while scanning), and releases every byte except a bounded
//   hold-back window, with redactions already applied. `BlockingScan` buffers a whole
//   message, up to a limit, for rules that block.
// - Detection: literal anchors found through one bigram table, then a validator per
//   detector at each candidate (Luhn, mod-97, SSN ranges, entropy, ...); see `DetectorID`.
// - Decisions: an `InspectionAction` per detector and `Direction`, in `InspectionRules`;
//   every hit is a `Finding` that carries a keyed fingerprint, never the matched bytes.
// - Tools: `ToolFingerprint` and `ToolPinRegistry` (rug pulls, shadowing),
//   `ToolDefinitionInspector` (poisoned descriptions), `FlowTracker` (toxic flows).
// - Configuration: `InspectionConfiguration`, parsed from JSON with key-path errors.

/// An error raised by the inspection layer.
///
/// Two errors are equal when their codes are equal; the message is for people and may
/// change between releases. A message never contains scanned bytes, secrets or tokens.
public struct InspectError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure, safe to use as a metric label.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case tooLargeToBlock
            case invalidConfiguration
            case invalidToolDefinition
            case invalidArgument
            case streamFinished
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// A message that a blocking rule must see whole is larger than the configured
        /// buffer; it was neither buffered nor released by the scan.
        public static let tooLargeToBlock = Code(.tooLargeToBlock)

        /// A configuration document is malformed; the message names the key path.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        /// A tool definition is not a JSON object with a string `name`.
        public static let invalidToolDefinition = Code(.invalidToolDefinition)

        /// A parameter is outside what the operation accepts (an empty or too short
        /// token, a limit that is not positive).
        public static let invalidArgument = Code(.invalidArgument)

        /// Bytes were fed to a scan after it was finished.
        public static let streamFinished = Code(.streamFinished)

        /// The code's stable name, such as `tooLargeToBlock`.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code

    /// A description of the failure for people, without scanned content.
    public var message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A description for people; it must not contain scanned content.
    public init(_ code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The code followed by the message, for logs.
    public var description: String { "InspectError.\(code): \(message)" }

    /// Compares two errors by code only.
    ///
    /// - Parameters:
    ///   - lhs: An error.
    ///   - rhs: Another error.
    /// - Returns: Whether both errors have the same code.
    public static func == (lhs: InspectError, rhs: InspectError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with `==`.
    ///
    /// - Parameter hasher: The hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

/// The action of every detector in every direction; `nil` turns a detector off there.
public struct InspectionRules: Sendable, Hashable {
    private var actions: [Direction: [InspectionAction?]]

    /// Rules where every detector takes `action` in every direction.
    ///
    /// - Parameter action: The action of every detector, or `nil` to turn all off.
    public init(every action: InspectionAction?) {
        let row = [InspectionAction?](repeating: action, count: DetectorID.all.count)
        actions = [.request: row, .result: row, .toolDefinition: row]
    }

    /// The defaults: secrets are redacted in results and flagged elsewhere; tokens the
    /// gateway holds are redacted in results and blocked in requests and tool
    /// definitions; personal data and poisoning signals are flagged; base64 blobs,
    /// tool mentions, odd parameter names and hidden text are looked for in tool
    /// definitions only; a pinned tool that changed is blocked until approved again and
    /// a shadowed tool name is flagged.
    public static let `default`: InspectionRules = {
        var rules = InspectionRules(every: .flag)
        for detector in DetectorID.all where detector.category == .secret {
            rules.setAction(.redact, for: detector, in: .result)
        }
        rules.setAction(.block, for: .heldToken, in: .request)
        rules.setAction(.block, for: .heldToken, in: .toolDefinition)
        rules.setAction(.block, for: .toolChanged, in: .toolDefinition)
        for detector in [
            DetectorID.base64Blob, .toolMention, .suspiciousParameter, .hiddenText, .toolChanged, .toolShadowing,
        ] {
            rules.setAction(nil, for: detector, in: .request)
            rules.setAction(nil, for: detector, in: .result)
        }
        return rules
    }()

    /// The action of a detector in a direction.
    ///
    /// - Parameters:
    ///   - detector: The detector.
    ///   - direction: The direction.
    /// - Returns: The action, or `nil` when the detector is off in that direction.
    public func action(for detector: DetectorID, in direction: Direction) -> InspectionAction? {
        actions[direction]![detector.index]
    }

    /// Sets the action of a detector in a direction.
    ///
    /// - Parameters:
    ///   - action: The action, or `nil` to turn the detector off there.
    ///   - detector: The detector.
    ///   - direction: The direction.
    public mutating func setAction(_ action: InspectionAction?, for detector: DetectorID, in direction: Direction) {
        actions[direction]![detector.index] = action
    }

    /// Whether any detector blocks in a direction: messages in that direction must then
    /// be buffered whole (``BlockingScan``) before they are released.
    ///
    /// - Parameter direction: The direction.
    /// - Returns: Whether some detector's action there is `block`.
    public func blocks(in direction: Direction) -> Bool {
        actions[direction]!.contains { $0 == .block }
    }

    /// The actions of every detector in one direction, indexed by detector.
    func row(_ direction: Direction) -> [InspectionAction?] { actions[direction]! }
}

/// The parameters of the detectors and the bounds of a scan.
public struct InspectionOptions: Sendable, Hashable {
    /// The longest match any detector may report, in decoded bytes; it bounds the
    /// hold-back window. A PEM key longer than this is redacted up to the bound only.
    /// 16 KiB by default; at least 8 KiB, the longest fixed bound of the other detectors
    /// (4 KiB bearer tokens, held tokens and invisible runs, 8 KiB JWTs).
    public var maximumMatchLength: Int
    /// How many bytes `StreamScanner` takes from a chunk at a time, which bounds its
    /// buffers together with the window. 16 KiB by default.
    public var sliceLength: Int
    /// Domains that markdown links and images may point to (a domain allows its
    /// subdomains). Empty means that only the query-value rule applies.
    public var allowedLinkDomains: [String]
    /// A query value at least this long in a markdown URL is reported. 32 by default.
    public var minimumQueryValueLength: Int
    /// A base64 run at least this long is reported. 256 by default.
    public var minimumBase64Length: Int
    /// The Shannon entropy, in bits per character, that a value assigned to a keyword
    /// must reach to count as a generic secret. 3.0 by default.
    public var minimumSecretEntropy: Double
    /// Names of other servers' tools whose mention in a tool definition is reported.
    public var knownToolNames: [String]

    /// Creates options.
    ///
    /// - Parameters:
    ///   - maximumMatchLength: The longest match, in bytes.
    ///   - sliceLength: How many bytes a scanner takes from a chunk at a time.
    ///   - allowedLinkDomains: Domains that markdown links may point to.
    ///   - minimumQueryValueLength: The query value length that reports a markdown URL.
    ///   - minimumBase64Length: The base64 run length that is reported.
    ///   - minimumSecretEntropy: The entropy a keyword's value needs to be a secret.
    ///   - knownToolNames: Other servers' tool names.
    public init(
        maximumMatchLength: Int = 16 * 1024,
        sliceLength: Int = 16 * 1024,
        allowedLinkDomains: [String] = [],
        minimumQueryValueLength: Int = 32,
        minimumBase64Length: Int = 256,
        minimumSecretEntropy: Double = 3.0,
        knownToolNames: [String] = []
    ) {
        self.maximumMatchLength = maximumMatchLength
        self.sliceLength = sliceLength
        self.allowedLinkDomains = allowedLinkDomains
        self.minimumQueryValueLength = minimumQueryValueLength
        self.minimumBase64Length = minimumBase64Length
        self.minimumSecretEntropy = minimumSecretEntropy
        self.knownToolNames = knownToolNames
    }

    /// Checks that every bound is usable.
    ///
    /// - Throws: `InspectError` with code `invalidArgument` naming the option.
    public func validate() throws(InspectError) {
        func require(_ condition: Bool, _ name: String) throws(InspectError) {
            if !condition { throw InspectError(.invalidArgument, message: "\(name) is out of range") }
        }
        try require(maximumMatchLength >= 8192 && maximumMatchLength <= 1 << 24, "maximumMatchLength")
        try require(sliceLength >= 64 && sliceLength <= 1 << 24, "sliceLength")
        try require(minimumQueryValueLength >= 1, "minimumQueryValueLength")
        try require(minimumBase64Length >= 16 && minimumBase64Length < maximumMatchLength, "minimumBase64Length")
        try require(minimumSecretEntropy >= 0 && minimumSecretEntropy <= 8, "minimumSecretEntropy")
    }
}

/// An error of the policy layer: a document or request file that is refused, or a
/// ledger operation that cannot be done.
///
/// The ``keyPath`` names where in the input the problem is (for example
/// `rules[3].when.arguments[0].op`). The description never quotes a value from the input.
/// Equality compares the ``code`` and the ``keyPath``; the message is for people.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable across releases, safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidJSON
            case unknownKey
            case missingKey
            case typeMismatch
            case invalidValue
            case unknownOperator
            case unknownEffect
            case invalidRegex
            case invalidGlob
            case invalidPath
            case duplicateRuleID
            case duplicateDocumentID
            case conflictingDefault
            case limitExceeded
            case unknownApproval
            case approvalAlreadyDecided
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The input is not well-formed JSON, or is larger or deeper than the limits.
        public static let invalidJSON = Code(.invalidJSON)
        /// An object member whose key the format does not define.
        public static let unknownKey = Code(.unknownKey)
        /// A required member is missing.
        public static let missingKey = Code(.missingKey)
        /// A value of another JSON kind than the format requires at that place.
        public static let typeMismatch = Code(.typeMismatch)
        /// A value of the right kind that the format does not allow (an unknown kind, day,
        /// trait or layer, an empty id, a negative capacity, a bad time).
        public static let invalidValue = Code(.invalidValue)
        /// An argument condition with an operator the format does not define.
        public static let unknownOperator = Code(.unknownOperator)
        /// A rule with an effect the format does not define.
        public static let unknownEffect = Code(.unknownEffect)
        /// A regular expression outside the supported, bounded subset.
        public static let invalidRegex = Code(.invalidRegex)
        /// A name pattern that is not a valid glob.
        public static let invalidGlob = Code(.invalidGlob)
        /// An argument path that cannot be read.
        public static let invalidPath = Code(.invalidPath)
        /// Two rules with one id in a document.
        public static let duplicateRuleID = Code(.duplicateRuleID)
        /// Two documents with one id in an engine.
        public static let duplicateDocumentID = Code(.duplicateDocumentID)
        /// Two organization documents of one organization that set different defaults.
        public static let conflictingDefault = Code(.conflictingDefault)
        /// More rules, names, conditions or bytes than the configured limits allow.
        public static let limitExceeded = Code(.limitExceeded)
        /// An approval request id the ledger does not hold (never issued, or expired).
        public static let unknownApproval = Code(.unknownApproval)
        /// An approval request that already has an outcome.
        public static let approvalAlreadyDecided = Code(.approvalAlreadyDecided)

        /// The code's stable name, such as `unknownKey`.
        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// Where the error is, as a key path such as `rules[3].when.arguments[0].op`; empty
    /// for the document as a whole.
    public let keyPath: String
    /// A description for people; it never quotes a value of the input.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: the kind of error.
    ///   - keyPath: where in the input the error is.
    ///   - message: a description that quotes no input value.
    public init(_ code: Code, at keyPath: String, _ message: String) {
        self.code = code
        self.keyPath = keyPath
        self.message = message
    }

    /// `"<keyPath>: <message> (<code>)"`.
    public var description: String {
        keyPath.isEmpty ? "\(message) (\(code))" : "\(keyPath): \(message) (\(code))"
    }

    /// Errors are equal when their codes and key paths are; messages are not compared.
    public static func == (lhs: PolicyError, rhs: PolicyError) -> Bool {
        lhs.code == rhs.code && lhs.keyPath == rhs.keyPath
    }

    /// Hashes the code and the key path.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(keyPath)
    }
}

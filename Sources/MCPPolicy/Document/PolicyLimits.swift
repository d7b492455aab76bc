import MCPCore

/// Bounds on what a policy document may hold, so that no document can exhaust memory or
/// make decisions slow.
public struct PolicyLimits: Sendable, Hashable {
    /// The largest document, in bytes.
    public var maxDocumentBytes: Int
    /// The deepest JSON nesting in a document.
    public var maxDepth: Int
    /// The most rules in one document.
    public var maxRules: Int
    /// The most elements of one list (names, subjects, values of `in`, ...).
    public var maxListItems: Int
    /// The most argument conditions of one rule.
    public var maxArgumentConditions: Int
    /// The longest glob or regular expression, in bytes.
    public var maxPatternLength: Int
    /// The most instructions a regular expression may compile to.
    public var maxRegexInstructions: Int
    /// The most segments of an argument path.
    public var maxPathSegments: Int

    /// Creates limits.
    ///
    /// - Parameters:
    ///   - maxDocumentBytes: the largest document (default 8 MiB).
    ///   - maxDepth: the deepest nesting (default 32).
    ///   - maxRules: the most rules per document (default 50,000).
    ///   - maxListItems: the most elements per list (default 10,000).
    ///   - maxArgumentConditions: the most argument conditions per rule (default 32).
    ///   - maxPatternLength: the longest pattern (default 512).
    ///   - maxRegexInstructions: the largest compiled regular expression (default 2,000).
    ///   - maxPathSegments: the longest argument path (default 16).
    public init(
        maxDocumentBytes: Int = 8 << 20, maxDepth: Int = 32, maxRules: Int = 50_000, maxListItems: Int = 10_000,
        maxArgumentConditions: Int = 32, maxPatternLength: Int = 512, maxRegexInstructions: Int = 2_000,
        maxPathSegments: Int = 16
    ) {
        self.maxDocumentBytes = maxDocumentBytes
        self.maxDepth = maxDepth
        self.maxRules = maxRules
        self.maxListItems = maxListItems
        self.maxArgumentConditions = maxArgumentConditions
        self.maxPatternLength = maxPatternLength
        self.maxRegexInstructions = maxRegexInstructions
        self.maxPathSegments = maxPathSegments
    }

    /// The defaults of ``init(maxDocumentBytes:maxDepth:maxRules:maxListItems:maxArgumentConditions:maxPatternLength:maxRegexInstructions:maxPathSegments:)``.
    public static let `default` = PolicyLimits()

    var jsonLimits: JSONLimits {
        JSONLimits(
            maxBytes: maxDocumentBytes, maxDepth: maxDepth, maxStringBytes: 64 << 10,
            maxMembers: max(maxRules, maxListItems))
    }
}

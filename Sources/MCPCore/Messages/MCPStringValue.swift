/// A string-valued protocol field whose known values are listed as static members but
/// whose set stays open: a value a newer revision or a peer's extension adds decodes,
/// compares and encodes unchanged instead of failing.
///
/// ```swift
/// let role: Role = .assistant
/// let custom: Role = "moderator"   // kept as written
/// ```
public protocol MCPStringValue: RawRepresentable, Codable, Hashable, Sendable, ExpressibleByStringLiteral,
    CustomStringConvertible
where RawValue == String, StringLiteralType == String {
    /// Creates a value from its wire text.
    ///
    /// - Parameter rawValue: the text, known or not.
    init(rawValue: String)
}

extension MCPStringValue {
    /// Creates a value from a string literal.
    ///
    /// - Parameter value: the wire text.
    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    /// The wire text.
    public var description: String { rawValue }
}

/// Whether a 2026-07-28 result is final or asks the client for input first.
public struct ResultType: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `complete`: the result is final; also what a missing `resultType` means.
    public static let complete = ResultType(rawValue: "complete")
    /// `input_required`: an ``InputRequiredResult`` asking for input before a retry.
    public static let inputRequired = ResultType(rawValue: "input_required")
}

/// Who may share a cached 2026-07-28 result, like HTTP `Cache-Control` public/private.
public struct CacheScope: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `public`: holds no user-specific data; any cache may serve it across users.
    public static let `public` = CacheScope(rawValue: "public")
    /// `private`: may be reused only within the same authorization context.
    public static let `private` = CacheScope(rawValue: "private")
}

/// The sender or recipient of a message or content in a conversation.
public struct Role: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `user`.
    public static let user = Role(rawValue: "user")
    /// `assistant`.
    public static let assistant = Role(rawValue: "assistant")
}

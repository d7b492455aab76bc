/// A JSON-RPC error code: the five JSON-RPC 2.0 codes and those MCP adds in its revisions.
///
/// Any integer is a valid code on the wire; unknown codes pass through unchanged.
public struct JSONRPCErrorCode: RawRepresentable, Sendable, Hashable, Codable {
    /// The integer on the wire.
    public let rawValue: Int

    /// Creates a code from its integer.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Creates a code from its integer.
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    // MARK: JSON-RPC 2.0

    /// -32700: the message is not valid JSON.
    public static let parseError = JSONRPCErrorCode(-32700)
    /// -32600: the JSON is not a valid request object (or, in 2026-07-28, a request the
    /// server refuses as malformed).
    public static let invalidRequest = JSONRPCErrorCode(-32600)
    /// -32601: the method does not exist or is not offered.
    public static let methodNotFound = JSONRPCErrorCode(-32601)
    /// -32602: invalid parameters, including an unknown tool or prompt and an invalid
    /// cursor; in 2026-07-28 also an unknown resource.
    public static let invalidParams = JSONRPCErrorCode(-32602)
    /// -32603: an internal error.
    public static let internalError = JSONRPCErrorCode(-32603)

    // MARK: MCP

    /// -32001: a request timed out (used by the official SDKs).
    public static let requestTimeout = JSONRPCErrorCode(-32001)
    /// -32002: the resource was not found (2024-11-05 to 2025-11-25; 2026-07-28 uses
    /// ``invalidParams`` instead, and clients should accept both).
    public static let resourceNotFound = JSONRPCErrorCode(-32002)
    /// -32042: the server needs the user to complete a URL elicitation first (2025-11-25).
    public static let urlElicitationRequired = JSONRPCErrorCode(-32042)
    /// -32020: HTTP headers disagree with the body (2026-07-28).
    public static let headerMismatch = JSONRPCErrorCode(-32020)
    /// -32021: the request needs a client capability the client did not declare
    /// (2026-07-28).
    public static let missingRequiredClientCapability = JSONRPCErrorCode(-32021)
    /// -32022: the requested protocol revision is not supported (2026-07-28).
    public static let unsupportedProtocolVersion = JSONRPCErrorCode(-32022)

    /// Whether the code lies in the range JSON-RPC reserves for implementation-defined
    /// server errors (-32099 to -32000).
    public var isServerErrorRange: Bool { (-32099)...(-32000) ~= rawValue }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

extension JSONRPCErrorCode: CustomStringConvertible {
    /// The integer code.
    public var description: String { String(rawValue) }
}

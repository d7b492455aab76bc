/// An MCP request method: its name and the types of its parameters and its result.
///
/// Each method is a caseless enum, so that generic code and the message wrappers can name
/// it as a type:
///
/// ```swift
/// let request = MCPRequestMessage<CallTool>(id: 1, params: CallToolRequestParams(name: "echo"))
/// let answer = try JSONValueDecoder().decode(MCPResultMessage<CallTool>.self, from: value)
/// ```
///
/// Where a revision leaves `params` out or makes it optional, `Params` is an `Optional`,
/// and a `nil` value leaves the member out of the message.
public protocol MCPMethod: Sendable {
    /// The parameters of a request.
    associatedtype Params: Codable & Sendable & Hashable
    /// The result of a successful response.
    associatedtype Result: MCPResult

    /// The method name on the wire, such as `tools/call`.
    static var name: String { get }
}

/// An MCP notification: its name and the type of its parameters.
///
/// Where a revision makes `params` optional, `Params` is an `Optional`, and a `nil` value
/// leaves the member out of the message.
public protocol MCPNotification: Sendable {
    /// The parameters of the notification.
    associatedtype Params: Codable & Sendable & Hashable

    /// The method name on the wire, such as `notifications/progress`.
    static var name: String { get }
}

/// A value whose JSON shape can depend on the protocol revision it is sent in.
///
/// Most values encode the same way in every revision, and their ``encodedJSON(for:)`` is
/// plain encoding. Results differ: 2026-07-28 results carry `resultType` (and cacheable
/// ones `ttlMs` and `cacheScope`), which earlier revisions do not have; error responses
/// without an id leave `id` out from 2025-11-25 on and write `null` before.
public protocol MCPRevisionEncodable: Encodable {
    /// The value as JSON in the shape a revision expects.
    ///
    /// - Parameter revision: the revision of the connection the value is sent on.
    /// - Returns: the JSON value.
    /// - Throws: `EncodingError` for a value JSON cannot express, such as a NaN.
    func encodedJSON(for revision: ProtocolRevision) throws -> JSONValue
}

extension MCPRevisionEncodable {
    /// The value encoded with ``JSONValueEncoder``, the same in every revision.
    ///
    /// - Parameter revision: the revision of the connection (unused by this shape).
    /// - Returns: the JSON value.
    /// - Throws: `EncodingError` for a value JSON cannot express, such as a NaN.
    public func encodedJSON(for revision: ProtocolRevision) throws -> JSONValue {
        try JSONValueEncoder().encode(self)
    }

    /// The value as compact JSON text in the shape a revision expects.
    ///
    /// - Parameter revision: the revision of the connection the value is sent on.
    /// - Returns: the UTF-8 JSON text.
    /// - Throws: the errors of ``encodedJSON(for:)``.
    public func encodedBytes(for revision: ProtocolRevision) throws -> [UInt8] {
        try encodedJSON(for: revision).serialized
    }
}

/// The result of an MCP request.
///
/// ``adapted(for:)`` fills in or removes the members whose presence depends on the
/// revision; ``encodedJSON(for:)`` encodes the adapted value.
public protocol MCPResult: Codable, Sendable, Hashable, MCPRevisionEncodable {
    /// The result with the members a revision requires filled in and those it does not
    /// have removed.
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    func adapted(for revision: ProtocolRevision) -> Self
}

extension MCPResult {
    /// The result unchanged: its shape is the same in every revision that has it.
    ///
    /// - Parameter revision: the revision (unused by this shape).
    /// - Returns: `self`.
    public func adapted(for revision: ProtocolRevision) -> Self { self }

    /// The adapted result encoded with ``JSONValueEncoder``.
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the JSON value.
    /// - Throws: `EncodingError` for a value JSON cannot express, such as a NaN.
    public func encodedJSON(for revision: ProtocolRevision) throws -> JSONValue {
        try JSONValueEncoder().encode(adapted(for: revision))
    }
}

/// A server result that carries `resultType` in 2026-07-28.
///
/// Adapting it for 2026-07-28 sets `resultType` to `complete` when it is unset; adapting
/// it for an earlier revision removes it.
public protocol MCPTypedResult: MCPResult {
    /// `complete` or `input_required` in 2026-07-28; `nil` in earlier revisions, where a
    /// missing value means `complete`.
    var resultType: ResultType? { get set }
}

extension MCPTypedResult {
    /// The result with `resultType` set (2026-07-28, `complete` when unset) or removed
    /// (earlier revisions).
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    public func adapted(for revision: ProtocolRevision) -> Self {
        adaptingResultType(for: revision)
    }

    /// The result with `resultType` set or removed, for types whose own adaptation does
    /// more.
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    public func adaptingResultType(for revision: ProtocolRevision) -> Self {
        var copy = self
        copy.resultType = revision.features.hasResultType ? (resultType ?? .complete) : nil
        return copy
    }
}

/// A server result that 2026-07-28 lets clients and gateways cache: it carries `ttlMs`
/// and `cacheScope` besides `resultType`.
///
/// Adapting it for 2026-07-28 fills in the conservative values `ttlMs: 0` (immediately
/// stale) and `cacheScope: "private"` when they are unset; adapting it for an earlier
/// revision removes all three members.
public protocol MCPCacheableResult: MCPTypedResult {
    /// How long, in milliseconds, the result may be reused; `0` means immediately stale.
    var ttlMs: Int? { get set }
    /// Who may share a cached copy: only `public` results may be served across users.
    var cacheScope: CacheScope? { get set }
}

extension MCPCacheableResult {
    /// The result with `resultType`, `ttlMs` and `cacheScope` filled in (2026-07-28) or
    /// removed (earlier revisions).
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    public func adapted(for revision: ProtocolRevision) -> Self {
        adaptingCacheMembers(for: revision)
    }

    /// The result with `resultType`, `ttlMs` and `cacheScope` filled in or removed, for
    /// types whose own adaptation does more.
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    public func adaptingCacheMembers(for revision: ProtocolRevision) -> Self {
        var copy = self
        if revision.features.hasCacheableResults {
            copy.resultType = resultType ?? .complete
            copy.ttlMs = ttlMs ?? 0
            copy.cacheScope = cacheScope ?? .private
        } else {
            copy.resultType = revision.features.hasResultType ? (resultType ?? .complete) : nil
            copy.ttlMs = nil
            copy.cacheScope = nil
        }
        return copy
    }
}

/// A value that can stand for an absent `params` member: `Optional`.
protocol AbsentParams {
    static var absent: Self { get }
    var isAbsent: Bool { get }
}

extension Optional: AbsentParams {
    static var absent: Self { nil }
    var isAbsent: Bool { self == nil }
}

/// A JSON-RPC 2.0 message read only as far as routing and policy need.
///
/// Reading an envelope validates the whole message strictly (see ``JSONParser``) but
/// decodes only `jsonrpc`, `id`, `method`, `params.name`, `params.uri` and the position of
/// `_meta`; `params`, `result` and `error` stay as byte ranges of ``bytes``. Rewriting the
/// id or `_meta` splices new bytes in and copies every other byte unchanged, so numbers,
/// escapes, key order and white space of the untouched members reach the peer as sent.
///
/// ```swift
/// let envelope = try MessageEnvelope(parsing: bytes)
/// if envelope.method == "tools/call", envelope.name == "echo" {
///     let upstreamBytes = envelope.replacingID(with: 17)
/// }
/// ```
public struct MessageEnvelope: Sendable {
    /// What kind of JSON-RPC message this is.
    public enum Kind: Sendable, Hashable {
        /// A request: `method` and `id`.
        case request
        /// A notification: `method` and no `id`.
        case notification
        /// A successful response: `id` and `result`.
        case response
        /// An error response: `id` (possibly `null`) and `error`.
        case errorResponse
    }

    /// The message as received.
    public let bytes: [UInt8]
    /// The kind of message.
    public let kind: Kind
    /// The id; `nil` for notifications and for error responses with a `null` id.
    public let id: JSONRPCID?
    /// The method of a request or notification.
    public let method: String?
    /// `params.name` when it is a string (the tool or prompt of a call).
    public let name: String?
    /// `params.uri` when it is a string (the resource of a read or subscription).
    public let uri: String?

    /// The byte range of the `id` value.
    public let idRange: Range<Int>?
    /// The byte range of `params.name` (quotes included), for requests that have it.
    public let nameRange: Range<Int>?
    /// The byte range of `params.uri` (quotes included), for requests that have it.
    public let uriRange: Range<Int>?
    /// The byte range of the `params` value.
    public let paramsRange: Range<Int>?
    /// The byte range of the `result` value.
    public let resultRange: Range<Int>?
    /// The byte range of the `error` value.
    public let errorRange: Range<Int>?
    /// The byte range of `params._meta` (requests and notifications) or `result._meta`
    /// (responses).
    public let metaRange: Range<Int>?
    /// Where a `_meta` member can be inserted: just after the `{` of `params` or `result`.
    let metaInsertionPoint: Int?

    /// Reads a message, validating it completely.
    ///
    /// - Parameters:
    ///   - bytes: one JSON-RPC message (not a batch; see ``MessageFrame``).
    ///   - limits: bounds on the JSON; the default allows 4 MiB.
    /// - Throws: ``EnvelopeError``: ``EnvelopeError/Code/malformedJSON`` for bad JSON, other
    ///   codes for JSON that is not a valid message.
    public init(parsing bytes: [UInt8], limits: JSONLimits = .default) throws(EnvelopeError) {
        let fields = try bytes.withUnsafeBufferPointer { buffer in
            EnvelopeReader.read(buffer, limits: limits)
        }.get()
        self.bytes = bytes
        self.kind = fields.kind
        self.id = fields.id
        self.method = fields.method
        self.name = fields.name
        self.uri = fields.uri
        self.nameRange = fields.nameRange
        self.uriRange = fields.uriRange
        self.idRange = fields.idRange
        self.paramsRange = fields.paramsRange
        self.resultRange = fields.resultRange
        self.errorRange = fields.errorRange
        self.metaRange = fields.metaRange
        self.metaInsertionPoint = fields.metaInsertionPoint
    }

    /// The raw bytes of `params`, if present.
    public var paramsBytes: ArraySlice<UInt8>? { paramsRange.map { bytes[$0] } }
    /// The raw bytes of `result`, if present.
    public var resultBytes: ArraySlice<UInt8>? { resultRange.map { bytes[$0] } }
    /// The raw bytes of `error`, if present.
    public var errorBytes: ArraySlice<UInt8>? { errorRange.map { bytes[$0] } }
    /// The raw bytes of `_meta`, if present.
    public var metaBytes: ArraySlice<UInt8>? { metaRange.map { bytes[$0] } }

    /// Decodes `params` (already validated, so this cannot fail on syntax).
    public func decodeParams() -> JSONValue? { decode(paramsRange) }
    /// Decodes `result`.
    public func decodeResult() -> JSONValue? { decode(resultRange) }
    /// Decodes `_meta`.
    public func decodeMeta() -> JSONValue? { decode(metaRange) }
    /// Decodes `error`; `nil` if absent (its shape was checked when reading).
    public func decodeError() -> JSONRPCError? { decode(errorRange).flatMap(JSONRPCError.init) }

    private func decode(_ range: Range<Int>?) -> JSONValue? {
        guard let range else { return nil }
        return try? JSONParser(limits: JSONLimits(maxBytes: .max, maxDepth: .max, maxMembers: .max)).parse(bytes[range])
    }
}

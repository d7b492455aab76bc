/// The requests for input of an ``InputRequiredResult``, by a key the server chooses.
public typealias InputRequests = OrderedMap<InputRequest>

/// The answers to ``InputRequests``, under the same keys, sent back in the retried
/// request's `inputResponses`.
public typealias InputResponses = OrderedMap<InputResponse>

/// The result of a request that may not complete at once: the final result, a request
/// for input (2026-07-28), or a task (2025-11-25).
///
/// Decoding chooses ``inputRequired(_:)`` when `resultType` is `input_required`,
/// ``task(_:)`` when the object has a `task` member (the shape of a ``CreateTaskResult``;
/// no complete result of these methods has one), and ``complete(_:)`` otherwise: a
/// missing `resultType` means `complete`.
public enum CompletableResult<Complete: MCPResult>: MCPResult {
    /// The final result.
    case complete(Complete)
    /// The server needs input first; the client retries the request with the answers
    /// (2026-07-28).
    case inputRequired(InputRequiredResult)
    /// The request runs as a task (2025-11-25, task-augmented requests).
    case task(CreateTaskResult)

    /// The final result, if this is one.
    public var completeResult: Complete? {
        if case .complete(let result) = self { return result }
        return nil
    }

    private enum Keys: String, CodingKey {
        case resultType, task
    }

    /// Decodes the result by `resultType` and shape.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when the chosen case does not decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        if try container.decodeIfPresent(ResultType.self, forKey: .resultType) == .inputRequired {
            self = .inputRequired(try InputRequiredResult(from: decoder))
        } else if container.contains(.task) {
            self = .task(try CreateTaskResult(from: decoder))
        } else {
            self = .complete(try Complete(from: decoder))
        }
    }

    /// Encodes the result of the case.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .complete(let result): try result.encode(to: encoder)
        case .inputRequired(let result): try result.encode(to: encoder)
        case .task(let result): try result.encode(to: encoder)
        }
    }

    /// The result of the case adapted to a revision.
    ///
    /// - Parameter revision: the revision of the connection the result is sent on.
    /// - Returns: the adapted result.
    public func adapted(for revision: ProtocolRevision) -> CompletableResult<Complete> {
        switch self {
        case .complete(let result): .complete(result.adapted(for: revision))
        case .inputRequired(let result): .inputRequired(result.adapted(for: revision))
        case .task(let result): .task(result.adapted(for: revision))
        }
    }
}

/// A 2026-07-28 result saying the server needs input before it can complete the request:
/// `{"resultType": "input_required", "inputRequests"?, "requestState"?}`.
///
/// The client answers each input request and retries the original request with
/// `inputResponses` under the same keys and `requestState` echoed. At least one of the two
/// members is present. `requestState` comes back from the client, so a server (or a
/// gateway) must treat it as untrusted and protect what it puts in it.
public struct InputRequiredResult: MCPResult, MCPMetaCarrying {
    private var resultType = TypeTag<InputRequiredTag>()
    /// The requests for input, by key.
    public var inputRequests: InputRequests?
    /// Opaque state for the server, echoed by the client on the retry.
    public var requestState: String?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case resultType, inputRequests, requestState
        case meta = "_meta"
    }

    /// Creates the result.
    public init(inputRequests: InputRequests? = nil, requestState: String? = nil, meta: JSONObject? = nil) {
        self.inputRequests = inputRequests
        self.requestState = requestState
        self.meta = meta
    }
}

enum InputRequiredTag: TypeTagValue { static let value = "input_required" }

/// A request for input in an ``InputRequiredResult``: `{"method", "params"}`, chosen by
/// `method` (2026-07-28).
public enum InputRequest: Codable, Sendable, Hashable {
    /// `sampling/createMessage`.
    case createMessage(CreateMessageRequestParams)
    /// `roots/list`; its parameters are optional.
    case listRoots(RequestParams?)
    /// `elicitation/create`.
    case elicit(ElicitRequestParams)
    /// A request of another method, as written.
    case unknown(JSONValue)

    private enum CodingKeys: String, CodingKey {
        case method, params
    }

    /// The method name.
    public var method: String {
        switch self {
        case .createMessage: CreateMessage.name
        case .listRoots: ListRoots.name
        case .elicit: Elicit.name
        case .unknown(let value): value["method"]?.stringValue ?? ""
        }
    }

    /// Decodes a request for input by its `method`.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when `method` is missing or the parameters of a known
    ///   method are malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .method) {
        case CreateMessage.name:
            self = .createMessage(try container.decode(CreateMessageRequestParams.self, forKey: .params))
        case ListRoots.name:
            self = .listRoots(try container.decodeIfPresent(RequestParams.self, forKey: .params))
        case Elicit.name:
            self = .elicit(try container.decode(ElicitRequestParams.self, forKey: .params))
        default:
            self = .unknown(try JSONValue(from: decoder))
        }
    }

    /// Encodes `method` and `params`.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        if case .unknown(let value) = self {
            try value.encode(to: encoder)
            return
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(method, forKey: .method)
        switch self {
        case .createMessage(let params): try container.encode(params, forKey: .params)
        case .listRoots(let params): try container.encodeIfPresent(params, forKey: .params)
        case .elicit(let params): try container.encode(params, forKey: .params)
        case .unknown: break
        }
    }
}

/// The client's answer to one ``InputRequest`` (2026-07-28). The answer carries no method,
/// so decoding tells the kinds apart by the member each requires: `action` for an
/// elicitation, `roots` for a root list, `model` for a sampled message.
public enum InputResponse: Codable, Sendable, Hashable {
    /// The answer to `sampling/createMessage`.
    case createMessage(CreateMessageResult)
    /// The answer to `roots/list`.
    case listRoots(ListRootsResult)
    /// The answer to `elicitation/create`.
    case elicit(ElicitResult)
    /// An answer of another shape, as written.
    case unknown(JSONValue)

    /// Decodes an answer by its members.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when the chosen kind does not decode.
    public init(from decoder: any Decoder) throws {
        if try decoder.hasMember("action") {
            self = .elicit(try ElicitResult(from: decoder))
        } else if try decoder.hasMember("roots") {
            self = .listRoots(try ListRootsResult(from: decoder))
        } else if try decoder.hasMember("model") {
            self = .createMessage(try CreateMessageResult(from: decoder))
        } else {
            self = .unknown(try JSONValue(from: decoder))
        }
    }

    /// Encodes the answer.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .createMessage(let result): try result.encode(to: encoder)
        case .listRoots(let result): try result.encode(to: encoder)
        case .elicit(let result): try result.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }
}

/// One server-to-client request standing alone, in the embedded form of 2026-07-28
/// (`{"method", "params"}`, no `jsonrpc`).
///
/// Some peers and examples also write an `id`, as a legacy-era request would; it has no
/// meaning in this form and is kept only so that the request encodes back unchanged.
/// Decoding refuses a `method` other than the method's name.
public struct MCPInputRequest<Method: MCPMethod>: Codable, Sendable, Hashable {
    /// An id written with the request, if any.
    public var id: JSONRPCID?
    /// The parameters.
    public var params: Method.Params

    private enum CodingKeys: String, CodingKey {
        case id, method, params
    }

    /// Creates an embedded request.
    ///
    /// - Parameters:
    ///   - params: the parameters.
    ///   - id: an id to write with it; normally none.
    public init(params: Method.Params, id: JSONRPCID? = nil) {
        self.params = params
        self.id = id
    }

    /// Decodes an embedded request of this method.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a wrong `method` or parameters that do not decode.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let method = try container.decode(String.self, forKey: .method)
        guard method == Method.name else {
            throw DecodingError.dataCorruptedError(
                forKey: .method, in: container, debugDescription: "Expected method \"\(Method.name)\".")
        }
        id = try container.decodeIfPresent(JSONRPCID.self, forKey: .id)
        if !container.contains(.params), let absent = Method.Params.self as? any AbsentParams.Type,
            let value = absent.absent as? Method.Params
        {
            params = value
        } else {
            params = try container.decode(Method.Params.self, forKey: .params)
        }
    }

    /// Encodes the request, leaving out `params` when it is `nil` and `id` when there is
    /// none.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error encoding the parameters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(id, forKey: .id)
        try container.encode(Method.name, forKey: .method)
        if let optional = params as? any AbsentParams, optional.isAbsent { return }
        try container.encode(params, forKey: .params)
    }
}

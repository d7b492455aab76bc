/// `elicitation/create`: the server asks the user for input through the client
/// (2025-06-18 and later).
///
/// Form mode shows a form of primitive fields; URL mode (2025-11-25 and later) sends the
/// user to a web page, for input that must not pass through the client such as secrets.
/// In the legacy era it is a request from server to client (task-augmented in
/// 2025-11-25); in 2026-07-28 it is an ``InputRequest``, answered by an ``InputResponse``.
public enum Elicit: MCPMethod {
    /// `elicitation/create`.
    public static let name = "elicitation/create"
    /// The form or the URL.
    public typealias Params = ElicitRequestParams
    /// The user's answer, or a task.
    public typealias Result = CompletableResult<ElicitResult>
}

/// The parameters of `elicitation/create`, chosen by `mode`: form mode when `mode` is
/// `form` or absent, URL mode when it is `url`.
public enum ElicitRequestParams: Codable, Sendable, Hashable {
    /// A form.
    case form(ElicitRequestFormParams)
    /// A web page (2025-11-25 and later).
    case url(ElicitRequestURLParams)
    /// Another mode, as written.
    case unknown(JSONValue)

    /// Decodes the parameters by their `mode`.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for malformed parameters of a known mode.
    public init(from decoder: any Decoder) throws {
        switch try decoder.optionalDiscriminator(.mode) {
        case nil, ElicitRequestFormParams.mode: self = .form(try ElicitRequestFormParams(from: decoder))
        case URLModeTag.value: self = .url(try ElicitRequestURLParams(from: decoder))
        default: self = .unknown(try JSONValue(from: decoder))
        }
    }

    /// Encodes the parameters.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .form(let params): try params.encode(to: encoder)
        case .url(let params): try params.encode(to: encoder)
        case .unknown(let value): try value.encode(to: encoder)
        }
    }

    /// The message shown to the user, for a known mode.
    public var message: String? {
        switch self {
        case .form(let params): params.message
        case .url(let params): params.message
        case .unknown(let value): value["message"]?.stringValue
        }
    }
}

/// Form-mode elicitation: a message and a flat form of primitive fields.
///
/// Forms must not ask for secrets (passwords, tokens, keys); those belong in URL mode.
public struct ElicitRequestFormParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The `mode` value of form mode.
    public static let mode = "form"

    /// The message shown to the user.
    public var message: String
    /// The form: an object schema of primitive fields.
    public var requestedSchema: ElicitationSchema
    /// Run the request as a task with these settings (2025-11-25).
    public var task: TaskMetadata?
    /// The `_meta` object.
    public var meta: JSONObject?
    /// Whether `"mode": "form"` is written. 2025-06-18 has no `mode`; later revisions
    /// make it optional for form mode. Decoding records whether it was there.
    public var declaresMode: Bool

    private enum CodingKeys: String, CodingKey {
        case mode, message, requestedSchema, task
        case meta = "_meta"
    }

    /// Creates form-mode parameters.
    ///
    /// - Parameter declaresMode: whether to write `"mode": "form"`; set it to `false` for
    ///   2025-06-18, which has no `mode`.
    public init(
        message: String, requestedSchema: ElicitationSchema, task: TaskMetadata? = nil, meta: JSONObject? = nil,
        declaresMode: Bool = true
    ) {
        self.message = message
        self.requestedSchema = requestedSchema
        self.task = task
        self.meta = meta
        self.declaresMode = declaresMode
    }

    /// Decodes form-mode parameters.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` for a `mode` other than `form` or malformed members.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let mode = try container.decodeIfPresent(String.self, forKey: .mode) {
            guard mode == Self.mode else {
                throw DecodingError.dataCorruptedError(
                    forKey: .mode, in: container, debugDescription: "Expected \"form\".")
            }
            declaresMode = true
        } else {
            declaresMode = false
        }
        message = try container.decode(String.self, forKey: .message)
        requestedSchema = try container.decode(ElicitationSchema.self, forKey: .requestedSchema)
        task = try container.decodeIfPresent(TaskMetadata.self, forKey: .task)
        meta = try container.decodeIfPresent(JSONObject.self, forKey: .meta)
    }

    /// Encodes form-mode parameters.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if declaresMode { try container.encode(Self.mode, forKey: .mode) }
        try container.encode(message, forKey: .message)
        try container.encode(requestedSchema, forKey: .requestedSchema)
        try container.encodeIfPresent(task, forKey: .task)
        try container.encodeIfPresent(meta, forKey: .meta)
    }
}

/// URL-mode elicitation (2025-11-25 and later): the user completes an interaction on a
/// web page that the client opens, out of the client's sight.
public struct ElicitRequestURLParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    private var mode = TypeTag<URLModeTag>()
    /// The message shown to the user, saying why the page is needed.
    public var message: String
    /// The page to open.
    public var url: String
    /// The id that `notifications/elicitation/complete` names (required in 2025-11-25;
    /// 2026-07-28 has none).
    public var elicitationId: String?
    /// Run the request as a task with these settings (2025-11-25).
    public var task: TaskMetadata?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case mode, message, url, elicitationId, task
        case meta = "_meta"
    }

    /// Creates URL-mode parameters.
    public init(
        message: String, url: String, elicitationId: String? = nil, task: TaskMetadata? = nil, meta: JSONObject? = nil
    ) {
        self.message = message
        self.url = url
        self.elicitationId = elicitationId
        self.task = task
        self.meta = meta
    }
}

/// What the user did with an elicitation.
public struct ElicitAction: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `accept`: submitted the form or agreed to open the page.
    public static let accept = ElicitAction(rawValue: "accept")
    /// `decline`: explicitly refused.
    public static let decline = ElicitAction(rawValue: "decline")
    /// `cancel`: dismissed without choosing.
    public static let cancel = ElicitAction(rawValue: "cancel")
}

/// The client's answer to `elicitation/create`.
public struct ElicitResult: MCPResult, MCPMetaCarrying {
    /// What the user did.
    public var action: ElicitAction
    /// The submitted form, for `accept` in form mode: field names to strings, numbers,
    /// booleans or (multi-select) arrays of strings, as written.
    public var content: JSONObject?
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case action, content
        case meta = "_meta"
    }

    /// Creates the result.
    public init(action: ElicitAction, content: JSONObject? = nil, meta: JSONObject? = nil) {
        self.action = action
        self.content = content
        self.meta = meta
    }
}

/// `notifications/elicitation/complete`: a URL-mode elicitation finished (2025-11-25).
public enum ElicitationCompleteNotification: MCPNotification {
    /// `notifications/elicitation/complete`.
    public static let name = "notifications/elicitation/complete"
    /// The elicitation.
    public typealias Params = ElicitationCompleteNotificationParams
}

/// The parameters of `notifications/elicitation/complete`.
public struct ElicitationCompleteNotificationParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The ``ElicitRequestURLParams/elicitationId`` of the elicitation.
    public var elicitationId: String
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case elicitationId
    }

    /// Creates the parameters.
    public init(elicitationId: String, meta: JSONObject? = nil) {
        self.elicitationId = elicitationId
        self.meta = meta
    }
}

/// The `data` of a -32042 URLElicitationRequired error (2025-11-25): the URL-mode
/// elicitations the user must complete before the request can succeed.
public struct URLElicitationRequiredData: Codable, Sendable, Hashable {
    /// The elicitations.
    public var elicitations: [ElicitRequestURLParams]

    /// Creates the data.
    public init(elicitations: [ElicitRequestURLParams]) {
        self.elicitations = elicitations
    }
}

extension JSONRPCError {
    /// A -32042 URLElicitationRequired error (2025-11-25).
    ///
    /// - Parameters:
    ///   - message: a short description, safe to show to the peer.
    ///   - elicitations: the URL-mode elicitations to complete first.
    /// - Returns: the error.
    /// - Throws: `EncodingError` for data JSON cannot express.
    public static func urlElicitationRequired(
        message: String = "This request requires more information.", elicitations: [ElicitRequestURLParams]
    ) throws -> JSONRPCError {
        JSONRPCError(
            code: .urlElicitationRequired, message: message,
            data: try JSONValueEncoder().encode(URLElicitationRequiredData(elicitations: elicitations)))
    }
}

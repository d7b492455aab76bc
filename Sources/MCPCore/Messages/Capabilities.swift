/// What a client supports, sent in `initialize` (legacy era) or in the
/// ``MCPMetaKey/clientCapabilities`` of every request (2026-07-28).
///
/// Every field of every revision is here; a capability this library does not know is kept
/// in ``other`` and encoded back unchanged.
public struct ClientCapabilities: Codable, Sendable, Hashable {
    /// Experimental, non-standard capabilities: name to settings object.
    public var experimental: JSONObject?
    /// Present when the client can list roots.
    public var roots: Roots?
    /// Present when the client can sample from a language model.
    public var sampling: Sampling?
    /// Present when the client can ask its user for input (2025-06-18 and later).
    public var elicitation: Elicitation?
    /// Present when the client supports task-augmented requests (2025-11-25).
    public var tasks: Tasks?
    /// MCP extensions the client supports: identifier to settings object (2026-07-28).
    public var extensions: JSONObject?
    /// Capabilities this library does not know, as written.
    public var other: JSONObject

    /// Creates client capabilities.
    public init(
        experimental: JSONObject? = nil, roots: Roots? = nil, sampling: Sampling? = nil,
        elicitation: Elicitation? = nil, tasks: Tasks? = nil, extensions: JSONObject? = nil,
        other: JSONObject = JSONObject()
    ) {
        self.experimental = experimental
        self.roots = roots
        self.sampling = sampling
        self.elicitation = elicitation
        self.tasks = tasks
        self.extensions = extensions
        self.other = other
    }

    /// The roots capability.
    public struct Roots: Codable, Sendable, Hashable {
        /// Whether the client notifies changes of the root list (legacy era).
        public var listChanged: Bool?

        /// Creates the capability.
        public init(listChanged: Bool? = nil) {
            self.listChanged = listChanged
        }
    }

    /// The sampling capability.
    public struct Sampling: Codable, Sendable, Hashable {
        /// Present when the client honours `includeContext` other than `none` (2025-11-25).
        public var context: JSONObject?
        /// Present when the client accepts `tools` and `toolChoice` (2025-11-25).
        public var tools: JSONObject?

        /// Creates the capability.
        public init(context: JSONObject? = nil, tools: JSONObject? = nil) {
            self.context = context
            self.tools = tools
        }
    }

    /// The elicitation capability; an empty object means form mode only.
    public struct Elicitation: Codable, Sendable, Hashable {
        /// Present when the client supports form mode (2025-11-25).
        public var form: JSONObject?
        /// Present when the client supports URL mode (2025-11-25).
        public var url: JSONObject?

        /// Creates the capability.
        public init(form: JSONObject? = nil, url: JSONObject? = nil) {
            self.form = form
            self.url = url
        }
    }

    /// The tasks capability of a client (2025-11-25).
    public struct Tasks: Codable, Sendable, Hashable {
        /// Present when the client answers `tasks/list`.
        public var list: JSONObject?
        /// Present when the client answers `tasks/cancel`.
        public var cancel: JSONObject?
        /// Which server requests may be task-augmented.
        public var requests: Requests?

        /// Creates the capability.
        public init(list: JSONObject? = nil, cancel: JSONObject? = nil, requests: Requests? = nil) {
            self.list = list
            self.cancel = cancel
            self.requests = requests
        }

        /// The server requests a client runs as tasks.
        public struct Requests: Codable, Sendable, Hashable {
            /// Sampling requests.
            public var sampling: SamplingRequests?
            /// Elicitation requests.
            public var elicitation: ElicitationRequests?

            /// Creates the capability.
            public init(sampling: SamplingRequests? = nil, elicitation: ElicitationRequests? = nil) {
                self.sampling = sampling
                self.elicitation = elicitation
            }
        }

        /// Task support for sampling.
        public struct SamplingRequests: Codable, Sendable, Hashable {
            /// Present when `sampling/createMessage` may be task-augmented.
            public var createMessage: JSONObject?

            /// Creates the capability.
            public init(createMessage: JSONObject? = nil) {
                self.createMessage = createMessage
            }
        }

        /// Task support for elicitation.
        public struct ElicitationRequests: Codable, Sendable, Hashable {
            /// Present when `elicitation/create` may be task-augmented.
            public var create: JSONObject?

            /// Creates the capability.
            public init(create: JSONObject? = nil) {
                self.create = create
            }
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case experimental, roots, sampling, elicitation, tasks, extensions
    }

    /// Decodes the capabilities, keeping unknown ones in ``other``.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when the value is not an object or a known capability is
    ///   malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        experimental = try container.decodeIfPresent(JSONObject.self, forKey: .experimental)
        roots = try container.decodeIfPresent(Roots.self, forKey: .roots)
        sampling = try container.decodeIfPresent(Sampling.self, forKey: .sampling)
        elicitation = try container.decodeIfPresent(Elicitation.self, forKey: .elicitation)
        tasks = try container.decodeIfPresent(Tasks.self, forKey: .tasks)
        extensions = try container.decodeIfPresent(JSONObject.self, forKey: .extensions)
        other = try decoder.otherMembers(excluding: CodingKeys.allCases.map(\.stringValue))
    }

    /// Encodes the known capabilities, then the unknown ones.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(experimental, forKey: .experimental)
        try container.encodeIfPresent(roots, forKey: .roots)
        try container.encodeIfPresent(sampling, forKey: .sampling)
        try container.encodeIfPresent(elicitation, forKey: .elicitation)
        try container.encodeIfPresent(tasks, forKey: .tasks)
        try container.encodeIfPresent(extensions, forKey: .extensions)
        try encoder.encodeOtherMembers(other)
    }
}

/// What a server supports, sent in the `initialize` result (legacy era) or the
/// `server/discover` result (2026-07-28).
///
/// Every field of every revision is here; a capability this library does not know is kept
/// in ``other`` and encoded back unchanged.
public struct ServerCapabilities: Codable, Sendable, Hashable {
    /// Experimental, non-standard capabilities: name to settings object.
    public var experimental: JSONObject?
    /// Present when the server sends log messages.
    public var logging: JSONObject?
    /// Present when the server answers `completion/complete` (2025-03-26 and later).
    public var completions: JSONObject?
    /// Present when the server offers prompts.
    public var prompts: Prompts?
    /// Present when the server offers resources.
    public var resources: Resources?
    /// Present when the server offers tools.
    public var tools: Tools?
    /// Present when the server supports task-augmented requests (2025-11-25).
    public var tasks: Tasks?
    /// MCP extensions the server supports: identifier to settings object (2026-07-28).
    public var extensions: JSONObject?
    /// Capabilities this library does not know, as written.
    public var other: JSONObject

    /// Creates server capabilities.
    public init(
        experimental: JSONObject? = nil, logging: JSONObject? = nil, completions: JSONObject? = nil,
        prompts: Prompts? = nil, resources: Resources? = nil, tools: Tools? = nil, tasks: Tasks? = nil,
        extensions: JSONObject? = nil, other: JSONObject = JSONObject()
    ) {
        self.experimental = experimental
        self.logging = logging
        self.completions = completions
        self.prompts = prompts
        self.resources = resources
        self.tools = tools
        self.tasks = tasks
        self.extensions = extensions
        self.other = other
    }

    /// The prompts capability.
    public struct Prompts: Codable, Sendable, Hashable {
        /// Whether the server notifies changes of the prompt list.
        public var listChanged: Bool?

        /// Creates the capability.
        public init(listChanged: Bool? = nil) {
            self.listChanged = listChanged
        }
    }

    /// The resources capability.
    public struct Resources: Codable, Sendable, Hashable {
        /// Whether clients may subscribe to updates of single resources.
        public var subscribe: Bool?
        /// Whether the server notifies changes of the resource list.
        public var listChanged: Bool?

        /// Creates the capability.
        public init(subscribe: Bool? = nil, listChanged: Bool? = nil) {
            self.subscribe = subscribe
            self.listChanged = listChanged
        }
    }

    /// The tools capability.
    public struct Tools: Codable, Sendable, Hashable {
        /// Whether the server notifies changes of the tool list.
        public var listChanged: Bool?

        /// Creates the capability.
        public init(listChanged: Bool? = nil) {
            self.listChanged = listChanged
        }
    }

    /// The tasks capability of a server (2025-11-25).
    public struct Tasks: Codable, Sendable, Hashable {
        /// Present when the server answers `tasks/list`.
        public var list: JSONObject?
        /// Present when the server answers `tasks/cancel`.
        public var cancel: JSONObject?
        /// Which client requests may be task-augmented.
        public var requests: Requests?

        /// Creates the capability.
        public init(list: JSONObject? = nil, cancel: JSONObject? = nil, requests: Requests? = nil) {
            self.list = list
            self.cancel = cancel
            self.requests = requests
        }

        /// The client requests a server runs as tasks.
        public struct Requests: Codable, Sendable, Hashable {
            /// Tool requests.
            public var tools: ToolRequests?

            /// Creates the capability.
            public init(tools: ToolRequests? = nil) {
                self.tools = tools
            }
        }

        /// Task support for tools.
        public struct ToolRequests: Codable, Sendable, Hashable {
            /// Present when `tools/call` may be task-augmented.
            public var call: JSONObject?

            /// Creates the capability.
            public init(call: JSONObject? = nil) {
                self.call = call
            }
        }
    }

    private enum CodingKeys: String, CodingKey, CaseIterable {
        case experimental, logging, completions, prompts, resources, tools, tasks, extensions
    }

    /// Decodes the capabilities, keeping unknown ones in ``other``.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when the value is not an object or a known capability is
    ///   malformed.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        experimental = try container.decodeIfPresent(JSONObject.self, forKey: .experimental)
        logging = try container.decodeIfPresent(JSONObject.self, forKey: .logging)
        completions = try container.decodeIfPresent(JSONObject.self, forKey: .completions)
        prompts = try container.decodeIfPresent(Prompts.self, forKey: .prompts)
        resources = try container.decodeIfPresent(Resources.self, forKey: .resources)
        tools = try container.decodeIfPresent(Tools.self, forKey: .tools)
        tasks = try container.decodeIfPresent(Tasks.self, forKey: .tasks)
        extensions = try container.decodeIfPresent(JSONObject.self, forKey: .extensions)
        other = try decoder.otherMembers(excluding: CodingKeys.allCases.map(\.stringValue))
    }

    /// Encodes the known capabilities, then the unknown ones.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(experimental, forKey: .experimental)
        try container.encodeIfPresent(logging, forKey: .logging)
        try container.encodeIfPresent(completions, forKey: .completions)
        try container.encodeIfPresent(prompts, forKey: .prompts)
        try container.encodeIfPresent(resources, forKey: .resources)
        try container.encodeIfPresent(tools, forKey: .tools)
        try container.encodeIfPresent(tasks, forKey: .tasks)
        try container.encodeIfPresent(extensions, forKey: .extensions)
        try encoder.encodeOtherMembers(other)
    }
}

extension Decoder {
    /// The members of the object being decoded whose keys are not in `known`, in order.
    func otherMembers(excluding known: [String]) throws -> JSONObject {
        let container = try self.container(keyedBy: JSONCodingKey.self)
        var other = JSONObject()
        for key in container.allKeys where !known.contains(key.stringValue) {
            other[key.stringValue] = try container.decode(JSONValue.self, forKey: key)
        }
        return other
    }
}

extension Encoder {
    /// Adds members to the object being encoded, after those already written.
    func encodeOtherMembers(_ members: JSONObject) throws {
        guard !members.isEmpty else { return }
        var container = self.container(keyedBy: JSONCodingKey.self)
        for (key, value) in members {
            try container.encode(value, forKey: JSONCodingKey(stringValue: key))
        }
    }
}

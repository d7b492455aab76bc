public import MCPCore
public import MCPTransport
import Synchronization

/// A step that every client request passes through on its way to an upstream (or to the
/// gateway's own answer), and its response on the way back: policy, inspection, audit,
/// metrics and logging are interceptors, and so is anything an embedding team adds.
///
/// An interceptor may pass the request on (possibly changed) with `next`, answer it
/// itself (a denial, a cached result), or change the response that `next` returns. A
/// thrown error becomes a JSON-RPC error for the client: its code when it conforms to
/// `JSONRPCErrorConvertible`, otherwise -32603 with a generic message.
///
/// ```swift
/// struct DenyDelete: GatewayInterceptor {
///     func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
///         if request.target?.kind == .tool, request.target?.name == "delete" {
///             return request.errorResponse(JSONRPCError(code: .invalidParams, message: "delete is not allowed"))
///         }
///         return try await next(request)
///     }
/// }
/// ```
public protocol GatewayInterceptor: Sendable {
    /// Handles one request.
    ///
    /// - Parameters:
    ///   - request: the request, its context and where it is routed.
    ///   - next: the rest of the pipeline.
    /// - Returns: the response for the client.
    /// - Throws: an error to answer the client with.
    func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope
}

/// An interceptor that also judges the requests an upstream sends to a client (sampling,
/// elicitation, roots) while one of that client's calls is in flight.
public protocol GatewayServerRequestGate: Sendable {
    /// Why the request may not reach the client, or `nil` when it may.
    ///
    /// - Parameters:
    ///   - method: such as `sampling/createMessage` or `elicitation/create`.
    ///   - upstream: the upstream that asks.
    ///   - origin: the context of the client's call that caused it.
    /// - Returns: the reason the upstream is told, or `nil`.
    func refusesServerRequest(_ method: String, upstream: String, origin: GatewayRequestContext?) -> String?
}

/// The rest of the pipeline after an interceptor.
public struct GatewayNext: Sendable {
    private let body: @Sendable (GatewayRequest) async throws -> MessageEnvelope

    init(_ body: @escaping @Sendable (GatewayRequest) async throws -> MessageEnvelope) {
        self.body = body
    }

    /// Passes the request on.
    ///
    /// - Parameter request: the request, as this interceptor leaves it.
    /// - Returns: the response of the rest of the pipeline.
    public func callAsFunction(_ request: GatewayRequest) async throws -> MessageEnvelope {
        try await body(request)
    }
}

/// Who is calling, as the authentication layer established it.
public struct GatewayPrincipal: Sendable, Hashable {
    /// The user (or service) the request acts for.
    public var subject: String
    /// The organization (tenant) the subject belongs to.
    public var organization: String?
    /// The subject's teams.
    public var teams: [String]
    /// The agent: the OAuth client the request came through.
    public var clientID: String?
    /// The scopes granted to the token.
    public var scopes: [String]

    /// Creates a principal.
    public init(
        subject: String, organization: String? = nil, teams: [String] = [], clientID: String? = nil,
        scopes: [String] = []
    ) {
        self.subject = subject
        self.organization = organization
        self.teams = teams
        self.clientID = clientID
        self.scopes = scopes
    }
}

/// Where a request goes: the upstream and the name it knows the tool, prompt or resource by.
public struct GatewayTarget: Sendable, Hashable {
    /// What the request is about.
    public enum Kind: String, Sendable, Hashable {
        /// `tools/call`.
        case tool
        /// `prompts/get`.
        case prompt
        /// `resources/read`, `resources/subscribe`, `resources/unsubscribe`.
        case resource
        /// `completion/complete`.
        case completion
        /// Any other request forwarded to one upstream.
        case other
    }

    /// The upstream's configured name.
    public let upstream: String
    /// What the request is about.
    public let kind: Kind
    /// The name (or URI) as the upstream knows it.
    public let name: String?
    /// The name (or URI) as the client sees it.
    public let exposedName: String?
    /// The upstream's definition of the tool or prompt, as it last listed it. Its
    /// annotations are hints from the upstream, not facts.
    public let definition: JSONObject?

    /// Creates a target.
    public init(upstream: String, kind: Kind, name: String?, exposedName: String?, definition: JSONObject? = nil) {
        self.upstream = upstream
        self.kind = kind
        self.name = name
        self.exposedName = exposedName
        self.definition = definition
    }
}

/// Facts about a request that interceptors may use.
public struct GatewayRequestContext: Sendable {
    /// The gateway's id for this request, in every log line and audit record about it.
    public let requestID: String
    /// The protocol revision the client speaks.
    public let revision: ProtocolRevision
    /// The client's session, for legacy-era sessions.
    public let sessionID: String?
    /// Who is calling, once authenticated; `nil` when the gateway runs without
    /// authentication.
    public var principal: GatewayPrincipal?
    /// The HTTP header fields of the request, for requests that came over HTTP.
    public let headers: HTTPFields
    /// Facts that interceptors hand to later ones (a taint label, a decision id).
    public var facts: [String: String]
    /// The capabilities the client declared (at `initialize`, or in the request's
    /// `_meta` in 2026-07-28), when known.
    public var clientCapabilities: JSONObject?
    /// What interceptors record about the request for the ones around them (a policy
    /// decision, inspection findings), readable after `next` returns, even when an inner
    /// interceptor refused the request.
    public let notes: GatewayRequestNotes
    /// When the gateway received the request.
    public let received: ContinuousClock.Instant

    /// Creates a context.
    public init(
        requestID: String, revision: ProtocolRevision, sessionID: String? = nil, principal: GatewayPrincipal? = nil,
        headers: HTTPFields = [:], facts: [String: String] = [:], received: ContinuousClock.Instant = .now,
        clientCapabilities: JSONObject? = nil
    ) {
        self.clientCapabilities = clientCapabilities
        self.requestID = requestID
        self.revision = revision
        self.sessionID = sessionID
        self.principal = principal
        self.headers = headers
        self.facts = facts
        self.received = received
        self.notes = GatewayRequestNotes()
    }
}

/// Notes interceptors leave about one request, shared by all of them: an inner one
/// writes (the policy decision), an outer one reads once `next` returns (the audit record).
public final class GatewayRequestNotes: Sendable {
    private let values = Mutex<JSONObject>([:])

    /// Sets a note; a later note of the same key replaces it.
    ///
    /// - Parameters:
    ///   - key: such as `policy` or `inspection`.
    ///   - value: the note.
    public func set(_ key: String, _ value: JSONValue) {
        values.withLock { $0[key] = value }
    }

    /// A note, if set.
    public subscript(key: String) -> JSONValue? {
        values.withLock { $0[key] }
    }

    /// Every note.
    public var all: JSONObject { values.withLock { $0 } }
}

/// A client request on its way through the pipeline.
public struct GatewayRequest: Sendable {
    /// The request as the client sent it (its id is the client's).
    public var message: MessageEnvelope
    /// Facts about the request.
    public var context: GatewayRequestContext
    /// Where the gateway routes it; `nil` for requests the gateway answers itself
    /// (`initialize`, `ping`, merged lists).
    public var target: GatewayTarget?
    /// Sends messages related to the request (progress) to the client.
    public var related: MCPRelatedMessageSender
    /// Resolves a name (or URI) as clients see it to its target, so that an interceptor
    /// can judge each item of a merged list: `.tool` for tools, `.prompt` for prompts,
    /// `.resource` for resource URIs and URI templates.
    public let resolve: @Sendable (GatewayTarget.Kind, String) -> GatewayTarget?

    /// Sends a request of the gateway's own to the client (such as `elicitation/create`)
    /// on this request's stream and waits up to the given time for the answer; throws when
    /// none comes.
    public let askClient:
        @Sendable (_ method: String, _ params: JSONObject, _ timeout: Duration) async throws -> MessageEnvelope

    /// Creates a request.
    public init(
        message: MessageEnvelope, context: GatewayRequestContext, target: GatewayTarget?,
        related: MCPRelatedMessageSender,
        resolve: @escaping @Sendable (GatewayTarget.Kind, String) -> GatewayTarget? = { _, _ in nil },
        askClient: @escaping @Sendable (String, JSONObject, Duration) async throws -> MessageEnvelope = { _, _, _ in
            throw JSONRPCError(code: .internalError, message: "The client cannot be asked")
        }
    ) {
        self.message = message
        self.context = context
        self.target = target
        self.related = related
        self.resolve = resolve
        self.askClient = askClient
    }

    /// The JSON-RPC method.
    public var method: String { message.method ?? "" }

    /// An error response to this request, with the client's id.
    ///
    /// - Parameter error: the error.
    /// - Returns: the response message.
    public func errorResponse(_ error: JSONRPCError) -> MessageEnvelope {
        let id = message.id ?? .number(0)
        let bytes = JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: id, error: error)).serialized
        // A message the gateway itself just serialized always parses.
        return (try? MessageEnvelope(parsing: message.rawID.map { Self.withRawID(bytes, $0) } ?? bytes))
            ?? (try! MessageEnvelope(
                parsing: Array(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32603,"message":"Internal error"}}"#.utf8)))
    }

    /// A result response to this request, with the client's id.
    ///
    /// - Parameter result: the result object.
    /// - Returns: the response message.
    public func resultResponse(_ result: JSONObject) -> MessageEnvelope {
        let id = message.id ?? .number(0)
        let bytes = JSONRPCMessage.response(JSONRPCResponse(id: id, result: result)).serialized
        return (try? MessageEnvelope(parsing: message.rawID.map { Self.withRawID(bytes, $0) } ?? bytes))
            ?? errorResponse(JSONRPCError(code: .internalError, message: "Internal error"))
    }

    private static func withRawID(_ bytes: [UInt8], _ rawID: ArraySlice<UInt8>) -> [UInt8] {
        guard let envelope = try? MessageEnvelope(parsing: bytes) else { return bytes }
        return envelope.replacingID(withRawJSON: rawID)
    }
}

/// Interceptors in their order: the first one sees the request first and the response last.
struct InterceptorChain: Sendable {
    let interceptors: [any GatewayInterceptor]

    /// Runs `request` through every interceptor and then `terminal`.
    func run(
        _ request: GatewayRequest, terminal: @escaping @Sendable (GatewayRequest) async throws -> MessageEnvelope
    ) async -> MessageEnvelope {
        var next = GatewayNext(terminal)
        for interceptor in interceptors.reversed() {
            let following = next
            next = GatewayNext { request in try await interceptor.intercept(request, next: following) }
        }
        do {
            return try await next(request)
        } catch {
            return request.errorResponse(JSONRPCError.from(error))
        }
    }
}

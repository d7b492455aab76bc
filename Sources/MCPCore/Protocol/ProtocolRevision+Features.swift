/// What a protocol revision has, so that transports and the gateway branch on facts
/// instead of comparing dates.
public struct ProtocolFeatures: Sendable, Hashable {
    /// The transport over HTTP: HTTP+SSE (2024-11-05) or Streamable HTTP (later).
    public enum HTTPTransport: Sendable, Hashable {
        /// A GET event stream that announces a POST endpoint (2024-11-05).
        case httpWithSSE
        /// One endpoint taking POST (and GET/DELETE in the legacy era).
        case streamableHTTP
    }

    /// How a server asks the client for sampling, elicitation or roots.
    public enum ServerRequests: Sendable, Hashable {
        /// The server sends JSON-RPC requests to the client (legacy era).
        case serverInitiatedRequests
        /// The server returns an `input_required` result and the client retries the
        /// original request with `inputResponses` (2026-07-28).
        case multiRoundTrip
    }

    /// How a client receives list-changed and resource-updated notifications.
    public enum NotificationChannel: Sendable, Hashable {
        /// The HTTP+SSE event stream (2024-11-05).
        case sseStream
        /// A standalone GET stream (Streamable HTTP, legacy era).
        case getStream
        /// A `subscriptions/listen` request whose response stream carries them (2026-07-28).
        case subscriptionsListen
    }

    /// The HTTP transport.
    public let httpTransport: HTTPTransport
    /// Whether a connection starts with `initialize` / `notifications/initialized`.
    public let hasInitialize: Bool
    /// Whether `server/discover` exists.
    public let hasServerDiscover: Bool
    /// Whether the server keeps a session (`Mcp-Session-Id`, or the HTTP+SSE session).
    public let hasSessions: Bool
    /// Whether JSON-RPC batches must be accepted.
    public let allowsBatches: Bool
    /// How the server asks the client for input.
    public let serverRequests: ServerRequests
    /// Whether an interrupted response stream can be resumed with `Last-Event-ID`.
    public let hasResumableStreams: Bool
    /// Where notifications reach the client.
    public let notificationChannel: NotificationChannel
    /// Whether HTTP requests after initialization must carry `MCP-Protocol-Version`.
    public let requiresProtocolVersionHeader: Bool
    /// Whether HTTP requests must carry `Mcp-Method` (and `Mcp-Name` where the method has a
    /// name), checked against the body.
    public let requiresRoutingHeaders: Bool
    /// Whether results carry `resultType`.
    public let hasResultType: Bool
    /// Whether tools may have annotations (read-only, destructive, ... hints).
    public let hasToolAnnotations: Bool
    /// Whether audio content exists.
    public let hasAudioContent: Bool
    /// Whether tools may declare `outputSchema` and return `structuredContent`.
    public let hasStructuredToolOutput: Bool
    /// Whether resource links may appear in content.
    public let hasResourceLinks: Bool
    /// Whether the server may ask the user for input through a form (elicitation).
    public let hasFormElicitation: Bool
    /// Whether the server may send the user to a URL (URL elicitation).
    public let hasURLElicitation: Bool
    /// Whether task-augmented requests (`tasks/*`) exist.
    public let hasTasks: Bool
    /// Whether sampling requests may offer tools to the model.
    public let hasSamplingTools: Bool
    /// Whether results may say how long and with whom they may be cached.
    public let hasCacheableResults: Bool
    /// The error code for an unknown resource.
    public let resourceNotFoundCode: JSONRPCErrorCode
}

extension ProtocolRevision {
    /// Whether this revision belongs to the legacy era (initialize and sessions).
    public var isLegacyEra: Bool { self != .v2026_07_28 }

    /// What this revision has.
    public var features: ProtocolFeatures {
        let modern = self == .v2026_07_28
        let legacyStreamable = self >= .v2025_03_26 && !modern
        return ProtocolFeatures(
            httpTransport: self == .v2024_11_05 ? .httpWithSSE : .streamableHTTP,
            hasInitialize: !modern,
            hasServerDiscover: modern,
            hasSessions: !modern,
            allowsBatches: self == .v2025_03_26,
            serverRequests: modern ? .multiRoundTrip : .serverInitiatedRequests,
            hasResumableStreams: legacyStreamable,
            notificationChannel: modern ? .subscriptionsListen : (self == .v2024_11_05 ? .sseStream : .getStream),
            requiresProtocolVersionHeader: self >= .v2025_06_18,
            requiresRoutingHeaders: modern,
            hasResultType: modern,
            hasToolAnnotations: self >= .v2025_03_26,
            hasAudioContent: self >= .v2025_03_26,
            hasStructuredToolOutput: self >= .v2025_06_18,
            hasResourceLinks: self >= .v2025_06_18,
            hasFormElicitation: self >= .v2025_06_18,
            hasURLElicitation: self >= .v2025_11_25,
            hasTasks: self == .v2025_11_25,
            hasSamplingTools: self >= .v2025_11_25,
            hasCacheableResults: modern,
            resourceNotFoundCode: modern ? .invalidParams : .resourceNotFound
        )
    }
}

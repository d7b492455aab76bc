/// One event of a `text/event-stream` (WHATWG HTML, "Server-sent events").
///
/// When encoding, every part is optional: an event with only a ``comment`` is a
/// keep-alive, one with an ``id`` and empty ``data`` primes a resumable stream. When
/// parsing, ``SSEParser`` fills ``event``, ``data`` and ``id`` only.
public struct ServerSentEvent: Sendable, Hashable {
    /// The event type (`event:`); `nil` or empty means the default type, `message`.
    public var event: String?
    /// The data (`data:`), as bytes; lines are separated by LF. `nil` sends no data
    /// line, so a client dispatches nothing; an empty array sends one empty data line.
    public var data: [UInt8]?
    /// The event id (`id:`). When parsing, the last event id in effect when the event was
    /// dispatched (ids persist across events), `nil` when none is.
    public var id: String?
    /// The reconnection time in milliseconds (`retry:`).
    public var retry: Int?
    /// A comment, sent as lines starting with `:` and ignored by clients.
    public var comment: String?

    /// Creates an event with data as bytes.
    ///
    /// - Parameters:
    ///   - event: the event type.
    ///   - data: the data.
    ///   - id: the event id.
    ///   - retry: the reconnection time in milliseconds.
    ///   - comment: a comment.
    public init(
        event: String? = nil, data: [UInt8]? = nil, id: String? = nil, retry: Int? = nil,
        comment: String? = nil
    ) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
        self.comment = comment
    }

    /// Creates an event with data as text.
    ///
    /// - Parameters:
    ///   - event: the event type.
    ///   - data: the data, as UTF-8.
    ///   - id: the event id.
    ///   - retry: the reconnection time in milliseconds.
    ///   - comment: a comment.
    public init(
        event: String? = nil, data: String, id: String? = nil, retry: Int? = nil,
        comment: String? = nil
    ) {
        self.init(event: event, data: Array(data.utf8), id: id, retry: retry, comment: comment)
    }

    /// The data as text (bytes that are not UTF-8 become U+FFFD), or `nil`.
    public var dataString: String? {
        data.map { String(decoding: $0, as: UTF8.self) }
    }
}

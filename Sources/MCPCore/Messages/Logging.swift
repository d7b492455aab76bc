/// The severity of a log message, as in syslog (RFC 5424).
public struct LoggingLevel: MCPStringValue {
    /// The wire text.
    public let rawValue: String
    /// Creates a value from its wire text.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `debug`.
    public static let debug = LoggingLevel(rawValue: "debug")
    /// `info`.
    public static let info = LoggingLevel(rawValue: "info")
    /// `notice`.
    public static let notice = LoggingLevel(rawValue: "notice")
    /// `warning`.
    public static let warning = LoggingLevel(rawValue: "warning")
    /// `error`.
    public static let error = LoggingLevel(rawValue: "error")
    /// `critical`.
    public static let critical = LoggingLevel(rawValue: "critical")
    /// `alert`.
    public static let alert = LoggingLevel(rawValue: "alert")
    /// `emergency`.
    public static let emergency = LoggingLevel(rawValue: "emergency")

    /// The known levels, least severe first.
    public static let allKnown: [LoggingLevel] = [.debug, .info, .notice, .warning, .error, .critical, .alert, .emergency]

    /// The position in ``allKnown`` (0 for `debug` to 7 for `emergency`), or `nil` for a
    /// level this library does not know.
    public var severity: Int? { Self.allKnown.firstIndex(of: self) }

    /// Whether a message of this level passes a threshold: `true` when this level is at
    /// least as severe; an unknown level on either side passes.
    ///
    /// - Parameter threshold: the lowest level wanted.
    /// - Returns: whether to send the message.
    public func passes(_ threshold: LoggingLevel) -> Bool {
        guard let severity, let minimum = threshold.severity else { return true }
        return severity >= minimum
    }
}

/// `logging/setLevel`: the lowest level of log messages the client wants (legacy era;
/// 2026-07-28 names the level per request in ``MCPMetaKey/logLevel``).
public enum SetLevel: MCPMethod {
    /// `logging/setLevel`.
    public static let name = "logging/setLevel"
    /// The level.
    public typealias Params = SetLevelRequestParams
    /// Nothing.
    public typealias Result = EmptyResult
}

/// The parameters of `logging/setLevel`.
public struct SetLevelRequestParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The lowest level to send.
    public var level: LoggingLevel
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case level
    }

    /// Creates the parameters.
    public init(level: LoggingLevel, meta: JSONObject? = nil) {
        self.level = level
        self.meta = meta
    }
}

/// `notifications/message`: a log message from the server.
public enum LoggingMessageNotification: MCPNotification {
    /// `notifications/message`.
    public static let name = "notifications/message"
    /// The message.
    public typealias Params = LoggingMessageNotificationParams
}

/// The parameters of `notifications/message`.
public struct LoggingMessageNotificationParams: Codable, Sendable, Hashable, MCPMetaCarrying {
    /// The severity.
    public var level: LoggingLevel
    /// The name of the logger.
    public var logger: String?
    /// The data: a string or any JSON value, as written.
    public var data: JSONValue
    /// The `_meta` object.
    public var meta: JSONObject?

    private enum CodingKeys: String, CodingKey {
        case meta = "_meta"
        case level, logger, data
    }

    /// Creates the parameters.
    public init(level: LoggingLevel, logger: String? = nil, data: JSONValue, meta: JSONObject? = nil) {
        self.level = level
        self.logger = logger
        self.data = data
        self.meta = meta
    }
}

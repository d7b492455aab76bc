public import MCPCore
#if canImport(Glibc)
    import Glibc
#endif
import Synchronization

/// The severity of a log record.
public enum GatewayLogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    /// The lowercase name written in log lines.
    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Where the gateway's log records go. The library never configures logging itself: it
/// writes to the sink it is given, and to none by default.
public protocol GatewayLogSink: Sendable {
    /// Takes one record: its level, an event name such as `call` or `upstream.down`, and
    /// its fields. Fields never hold tokens, arguments or header values.
    func write(level: GatewayLogLevel, event: String, fields: JSONObject)

    /// Whether records of `level` are kept, so that callers can skip building them.
    func isEnabled(_ level: GatewayLogLevel) -> Bool
}

extension GatewayLogSink {
    /// Every level, unless the sink says otherwise.
    public func isEnabled(_ level: GatewayLogLevel) -> Bool { true }
}

/// Writes each record as one JSON line (`{"time":..,"level":..,"event":..,...}`) to a file
/// descriptor, standard error by default, dropping records below a level.
public final class JSONLinesLogSink: GatewayLogSink {
    private let descriptor: Int32
    private let minimumLevel: GatewayLogLevel
    private let lock = Mutex(())

    /// Creates a sink.
    ///
    /// - Parameters:
    ///   - descriptor: the file descriptor to write to; 2 (standard error) by default.
    ///   - minimumLevel: records below it are dropped.
    public init(descriptor: Int32 = 2, minimumLevel: GatewayLogLevel = .info) {
        self.descriptor = descriptor
        self.minimumLevel = minimumLevel
    }

    public func isEnabled(_ level: GatewayLogLevel) -> Bool { level >= minimumLevel }

    public func write(level: GatewayLogLevel, event: String, fields: JSONObject) {
        guard level >= minimumLevel else { return }
        var record: JSONObject = [
            "time": .string(Self.timestamp()), "level": .string(level.name), "event": .string(event),
        ]
        for (key, value) in fields { record[key] = value }
        var line = JSONValue.object(record).serialized
        line.append(UInt8(ascii: "\n"))
        lock.withLock { _ in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return
                    }
                    offset += written
                }
            }
        }
    }

    /// The current UTC time as RFC 3339 with milliseconds.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}

/// The gateway's handle on its log sink; a no-op without one.
struct GatewayLogger: Sendable {
    let sink: (any GatewayLogSink)?

    func log(_ level: GatewayLogLevel, _ event: String, _ fields: JSONObject = [:]) {
        sink?.write(level: level, event: event, fields: fields)
    }
}

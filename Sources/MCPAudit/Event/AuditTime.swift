/// A point in time, as whole microseconds since the Unix epoch (UTC).
///
/// Audit records store times as exact integers so that their canonical bytes, and so
/// their hashes, never depend on floating-point formatting.
public struct AuditTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microsecondsSinceEpoch: Int64

    /// Creates a time.
    ///
    /// - Parameter microsecondsSinceEpoch: microseconds since 1970-01-01T00:00:00Z.
    public init(microsecondsSinceEpoch: Int64) {
        self.microsecondsSinceEpoch = microsecondsSinceEpoch
    }

    /// Creates a time from whole seconds since the epoch.
    ///
    /// - Parameter seconds: seconds since 1970-01-01T00:00:00Z.
    /// - Returns: the time.
    public static func seconds(_ seconds: Int64) -> AuditTime {
        AuditTime(microsecondsSinceEpoch: seconds * 1_000_000)
    }

    /// The time `duration` later (earlier when negative), saturating at the bounds.
    ///
    /// - Parameter duration: the offset.
    /// - Returns: the shifted time.
    public func advanced(by duration: Duration) -> AuditTime {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000)
        let micros = overflow ? (seconds < 0 ? Int64.min / 2 : Int64.max / 2) : scaled + attoseconds / 1_000_000_000_000
        let (sum, sumOverflow) = microsecondsSinceEpoch.addingReportingOverflow(micros)
        return AuditTime(microsecondsSinceEpoch: sumOverflow ? (micros < 0 ? .min : .max) : sum)
    }

    /// Orders times chronologically.
    ///
    /// - Parameters:
    ///   - lhs: a time.
    ///   - rhs: another time.
    /// - Returns: `true` when `lhs` is earlier.
    public static func < (lhs: AuditTime, rhs: AuditTime) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// The time in RFC 3339 form with microseconds, in UTC: `2026-11-25T19:34:00.123456Z`.
    public var rfc3339: String {
        let micros = microsecondsSinceEpoch
        var seconds = micros / 1_000_000
        var fraction = micros % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // Civil date from days since the epoch (H. Hinnant's algorithm).
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2) + ":"
            + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2) + "." + pad(fraction, 6) + "Z"
    }

    /// The RFC 3339 form.
    public var description: String { rfc3339 }

    private func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}

/// Where the log takes the current time from: the system clock, or a fake one in tests.
public protocol AuditClock: Sendable {
    /// The current time.
    var now: AuditTime { get }
}

/// The system's real-time clock (`CLOCK_REALTIME`).
public struct SystemAuditClock: AuditClock {
    /// Creates the clock.
    public init() {}

    /// The current wall-clock time.
    public var now: AuditTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return AuditTime(microsecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

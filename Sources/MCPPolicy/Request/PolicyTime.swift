/// An instant, as milliseconds since 1970-01-01T00:00:00Z (leap seconds ignored, as in
/// Unix time). Decisions take the time as a value so that tests and replays can supply
/// any clock.
public struct PolicyTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch.
    public var unixMilliseconds: Int64

    /// Creates an instant from milliseconds since the Unix epoch.
    ///
    /// - Parameter unixMilliseconds: milliseconds since 1970-01-01T00:00:00Z.
    public init(unixMilliseconds: Int64) { self.unixMilliseconds = unixMilliseconds }

    /// Creates an instant from whole seconds since the Unix epoch.
    ///
    /// - Parameter unixSeconds: seconds since 1970-01-01T00:00:00Z.
    public init(unixSeconds: Int64) { self.unixMilliseconds = unixSeconds &* 1000 }

    /// The current time of the system clock.
    public static var now: PolicyTime {
        PolicyTime(unixMilliseconds: SystemWallClock.millisecondsSinceEpoch())
    }

    /// This instant moved by `milliseconds` (negative moves back).
    ///
    /// - Parameter milliseconds: the offset.
    /// - Returns: the moved instant.
    public func adding(milliseconds: Int64) -> PolicyTime {
        PolicyTime(unixMilliseconds: unixMilliseconds &+ milliseconds)
    }

    /// This instant moved by `seconds`.
    ///
    /// - Parameter seconds: the offset in seconds.
    /// - Returns: the moved instant.
    public func adding(seconds: Int64) -> PolicyTime { adding(milliseconds: seconds &* 1000) }

    /// Whether `lhs` is before `rhs`.
    public static func < (lhs: PolicyTime, rhs: PolicyTime) -> Bool { lhs.unixMilliseconds < rhs.unixMilliseconds }

    /// The instant in RFC 3339 form, UTC, for example `2026-11-25T10:00:00.250Z`.
    public var description: String {
        let millisecondsPerDay: Int64 = 86_400_000
        let days = unixMilliseconds.floorDivided(by: millisecondsPerDay)
        let inDay = unixMilliseconds - days * millisecondsPerDay
        let (year, month, day) = CivilDate.fromDays(days)
        let seconds = inDay / 1000
        let milliseconds = inDay % 1000
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text =
            "\(year)-\(two(month))-\(two(day))T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60))"
        if milliseconds != 0 {
            let padded = String(milliseconds + 1000).dropFirst()
            text += ".\(padded)"
        }
        return text + "Z"
    }

    /// Parses an RFC 3339 date-time such as `2026-11-25T10:00:00Z` or
    /// `2026-11-25T11:00:00.5+01:00`; nil when it is not one.
    ///
    /// - Parameter text: the date-time.
    public init?(rfc3339 text: String) {
        let bytes = Array(text.utf8)
        var index = 0
        func number(_ digits: Int) -> Int64? {
            guard index + digits <= bytes.count else { return nil }
            var value: Int64 = 0
            for offset in 0..<digits {
                let byte = bytes[index + offset]
                guard byte >= 48, byte <= 57 else { return nil }
                value = value * 10 + Int64(byte - 48)
            }
            index += digits
            return value
        }
        func expect(_ characters: String) -> Bool {
            guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
            index += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            expect("Tt "), let hour = number(2), expect(":"), let minute = number(2), expect(":"),
            let second = number(2)
        else { return nil }
        guard (1...12).contains(month), (1...CivilDate.daysIn(month: month, year: year)).contains(day),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var milliseconds: Int64 = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            var scale: Int64 = 100
            let start = index
            while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                milliseconds += Int64(bytes[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offsetMinutes: Int64 = 0
        if expect("Zz") {
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let hours = number(2), expect(":"), let minutes = number(2), hours < 24, minutes < 60 else {
                return nil
            }
            offsetMinutes = sign * (hours * 60 + minutes)
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = CivilDate.toDays(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetMinutes * 60
        self.init(unixMilliseconds: seconds * 1000 + milliseconds)
    }
}

/// Conversions between days since the Unix epoch and the proleptic Gregorian calendar
/// (the algorithms of H. Hinnant's `chrono` date library).
enum CivilDate {
    static func toDays(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = y.floorDivided(by: 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func fromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        let month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

extension Int64 {
    /// Division rounding toward negative infinity.
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}

/// A recurring window of local time: some days of the week and a span of the day, at a
/// fixed offset from UTC. A span whose end is before its start wraps past midnight
/// (`22:00`-`06:00`); the day is the local day of the instant tested.
struct TimeWindow: Sendable, Hashable {
    /// Bit 0 is Monday, bit 6 Sunday.
    let days: UInt8
    /// Minutes after local midnight, start inclusive.
    let fromMinute: Int
    /// Minutes after local midnight, end exclusive; equal to `fromMinute` for the whole day.
    let toMinute: Int
    /// Minutes east of UTC.
    let offsetMinutes: Int

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// Whether `time` falls inside the window.
    func contains(_ time: PolicyTime) -> Bool {
        let local = time.unixMilliseconds / 1000 + Int64(offsetMinutes) * 60
        let day = local.floorDivided(by: 86_400)
        // 1970-01-01 was a Thursday (index 3 from Monday).
        let weekday = Int((day + 3) - (day + 3).floorDivided(by: 7) * 7)
        let minute = Int((local - day * 86_400) / 60)
        guard days & (1 << weekday) != 0 else { return false }
        if fromMinute == toMinute { return true }
        if fromMinute < toMinute { return minute >= fromMinute && minute < toMinute }
        return minute >= fromMinute || minute < toMinute
    }
}

/// A small timing harness: warm-up, then samples of batches timed with the monotonic
/// clock, reported as the median and the 99th percentile time per operation.
struct Measurement {
    let name: String
    let nanosecondsPerOperation: [Double]

    var median: Double { percentile(0.5) }
    var p99: Double { percentile(0.99) }

    func percentile(_ fraction: Double) -> Double {
        let sorted = nanosecondsPerOperation.sorted()
        guard !sorted.isEmpty else { return .nan }
        let index = min(sorted.count - 1, Int((Double(sorted.count - 1) * fraction).rounded()))
        return sorted[index]
    }
}

/// Keeps a value alive so the optimizer cannot remove the work that made it.
@inline(never)
func blackHole<T>(_ value: T) {
    withExtendedLifetime(value) {}
}

/// Runs `operation` in batches until `budget` has passed (after a warm-up) and returns
/// the time per operation of each batch.
func measure(_ name: String, batch: Int = 100, budget: Duration = .seconds(1), _ operation: () -> Void) -> Measurement {
    let clock = ContinuousClock()
    let warmUpEnd = clock.now + budget / 5
    while clock.now < warmUpEnd { for _ in 0..<batch { operation() } }
    var samples: [Double] = []
    let end = clock.now + budget
    while clock.now < end {
        let start = clock.now
        for _ in 0..<batch { operation() }
        let elapsed = clock.now - start
        let (seconds, attoseconds) = elapsed.components
        let nanoseconds = Double(seconds) * 1e9 + Double(attoseconds) / 1e9
        samples.append(nanoseconds / Double(batch))
    }
    return Measurement(name: name, nanosecondsPerOperation: samples)
}

func format(_ nanoseconds: Double) -> String {
    if nanoseconds >= 1_000_000 { return String(format: "%8.2f ms", nanoseconds / 1_000_000) }
    if nanoseconds >= 1_000 { return String(format: "%8.2f µs", nanoseconds / 1_000) }
    return String(format: "%8.0f ns", nanoseconds)
}

func report(_ measurements: [Measurement]) {
    let width = (measurements.map(\.name.count).max() ?? 10) + 2
    print("  " + "case".padding(toLength: width, withPad: " ", startingAt: 0) + "     median         p99")
    for measurement in measurements {
        print("  " + measurement.name.padding(toLength: width, withPad: " ", startingAt: 0) + format(measurement.median) + "  " + format(measurement.p99))
    }
}

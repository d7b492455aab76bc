import MCPCrypto
import MCPInspect

/// SplitMix64: a tiny seeded generator, so that property tests are reproducible.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

let testKey = SymmetricKey(bytes: Array(repeating: UInt8(7), count: 32))

/// An inspector whose every detector takes `action` in every direction.
func inspector(_ action: InspectionAction = .redact, options: InspectionOptions = InspectionOptions()) -> Inspector {
    try! Inspector(rules: InspectionRules(every: action), options: options, fingerprintKey: testKey)
}

struct ScanResult {
    var bytes: [UInt8]
    var findings: [Finding]
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var detectors: [DetectorID] { findings.map(\.detector) }
}

/// Scans `input` fed in pieces of the given sizes (the rest in one piece).
func scan(
    _ input: [UInt8], with inspector: Inspector, direction: Direction = .result,
    mode: StreamScanner.Mode = .plainText, pieces: [Int] = []
) -> ScanResult {
    var scanner = inspector.makeScanner(direction: direction, mode: mode)
    var result = ScanResult(bytes: [], findings: [])
    var offset = 0
    for size in pieces where offset < input.count {
        let end = min(input.count, offset + size)
        let output = scanner.feed(input[offset..<end])
        result.bytes += output.bytes
        result.findings += output.findings
        offset = end
    }
    let output = scanner.feed(input[offset...])
    result.bytes += output.bytes
    result.findings += output.findings
    let last = scanner.finish()
    result.bytes += last.bytes
    result.findings += last.findings
    return result
}

func scan(
    _ input: String, with inspector: Inspector, direction: Direction = .result,
    mode: StreamScanner.Mode = .plainText, pieces: [Int] = []
) -> ScanResult {
    scan(Array(input.utf8), with: inspector, direction: direction, mode: mode, pieces: pieces)
}

/// Whether `needle` occurs in `haystack`.
func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, haystack.count >= needle.count else { return needle.isEmpty }
    for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
        if haystack[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
}

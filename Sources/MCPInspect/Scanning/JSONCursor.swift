/// Follows the raw JSON input as it is released, to know whether a position is inside a
/// string and the JSON path of the value there (such as `$.result.content[0].text`).
///
/// Strings are skipped from one quote to the next, as found while decoding; only the bytes
/// between strings are looked at one by one. Keys are kept up to 64 bytes and paths up to
/// 32 levels; deeper or longer, the path is unknown.
struct JSONCursor: Sendable {
    /// The raw offset up to which the input was followed.
    private(set) var position = 0
    private(set) var inString = false

    private struct Frame: Sendable {
        var isObject: Bool
        var index = 0
        var key: [UInt8] = []
        /// In an object: the next string is a key.
        var expectingKey = true
    }

    private var frames: [Frame] = []
    /// Levels opened beyond `maximumDepth`, or after the structure stopped making sense.
    private var lost = 0
    /// Whether the open string is a key.
    private var inKey = false

    static let maximumDepth = 32
    static let maximumKeyLength = 64

    /// The JSON path of the value at `position`, or `nil` when unknown.
    var path: String? {
        guard lost == 0 else { return nil }
        var path = "$"
        for frame in frames {
            if frame.isObject {
                guard !frame.key.isEmpty, frame.key.count <= Self.maximumKeyLength else { return nil }
                let key = String(decoding: frame.key, as: UTF8.self)
                let plain = frame.key.allSatisfy { $0.isASCIILetterOrDigit || $0 == 0x5F || $0 == 0x2D || $0 == 0x24 }
                path += plain ? ".\(key)" : "[\"\(key)\"]"
            } else {
                path += "[\(frame.index)]"
            }
        }
        return path
    }

    /// Follows the input up to `target`.
    ///
    /// - Parameters:
    ///   - raw: The retained raw input; `raw[0]` is at offset `base`.
    ///   - base: The raw offset of `raw[0]`, at most `position`.
    ///   - target: The raw offset to reach.
    ///   - stringQuotes: The raw offsets, from `position` on and in order, of the quotes
    ///     that open or close strings (escaped ones excluded), up to at least `target`.
    /// - Returns: How many of `stringQuotes` were passed.
    mutating func advance(
        _ raw: UnsafeBufferPointer<UInt8>, base: Int, to target: Int, stringQuotes: UnsafeBufferPointer<Int>
    ) -> Int {
        var index = position - base
        let end = target - base
        var passed = 0
        guard index < end else { return 0 }
        while index < end {
            let found = passed < stringQuotes.count ? min(stringQuotes[passed] - base, end) : end
            guard inString else {
                for offset in index..<found where Self.isStructural[Int(raw[offset])] { structural(raw[offset]) }
                if found == end { break }
                passed += 1
                inString = true
                if let last = frames.indices.last, frames[last].isObject, frames[last].expectingKey, lost == 0 {
                    inKey = true
                    frames[last].key.removeAll(keepingCapacity: true)
                }
                index = found + 1
                continue
            }
            let closes = found < end
            if inKey, let last = frames.indices.last {
                let room = Self.maximumKeyLength + 1 - frames[last].key.count
                if room > 0 {
                    frames[last].key += UnsafeBufferPointer(rebasing: raw[index..<min(found, index + room)])
                }
                if closes {
                    inKey = false
                    frames[last].expectingKey = false
                }
            }
            guard closes else { break }
            passed += 1
            inString = false
            index = found + 1
        }
        position = target
        return passed
    }

    /// Whether a byte outside strings changes the structure: `{`, `}`, `[`, `]` or `,`.
    private static let isStructural: [Bool] = (0...255).map { byte in
        [UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: ",")].contains(
            UInt8(byte))
    }

    private mutating func structural(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            if lost > 0 || frames.count == Self.maximumDepth {
                lost += 1
            } else {
                frames.append(Frame(isObject: byte == UInt8(ascii: "{")))
            }
        case UInt8(ascii: "}"), UInt8(ascii: "]"):
            if lost > 0 {
                lost -= 1
            } else if !frames.isEmpty {
                frames.removeLast()
            }
        case UInt8(ascii: ","):
            guard lost == 0, let last = frames.indices.last else { return }
            if frames[last].isObject {
                frames[last].expectingKey = true
            } else {
                frames[last].index += 1
            }
        default:
            break
        }
    }
}

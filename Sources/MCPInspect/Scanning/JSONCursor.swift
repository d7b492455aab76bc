#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Follows the raw JSON input as it is released, to know whether a position is inside a
/// string and the JSON path of the value there (such as `$.result.content[0].text`).
///
/// Strings are skipped with `memchr`; only the bytes between strings are looked at one
/// by one. Keys are kept up to 64 bytes and paths up to 32 levels; deeper or longer, the
/// path is unknown.
struct JSONCursor: Sendable {
    /// The raw offset up to which the input was followed.
    private(set) var position = 0
    private(set) var inString = false
    /// Whether an odd run of backslashes ends right before `position` (in a string).
    private var oddBackslashes = false

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
    mutating func advance(_ raw: UnsafeBufferPointer<UInt8>, base: Int, to target: Int) {
        var index = position - base
        let end = target - base
        guard index < end, let start = raw.baseAddress else { return }
        while index < end {
            let found = findQuote(start, from: index, to: end)
            guard inString else {
                for offset in index..<found { structural(raw[offset]) }
                if found == end { break }
                inString = true
                oddBackslashes = false
                if let last = frames.indices.last, frames[last].isObject, frames[last].expectingKey, lost == 0 {
                    inKey = true
                    frames[last].key.removeAll(keepingCapacity: true)
                }
                index = found + 1
                continue
            }
            var run = 0
            var back = found - 1
            while back >= index && raw[back] == UInt8(ascii: "\\") {
                run += 1
                back -= 1
            }
            let odd = back < index ? (oddBackslashes != (run & 1 == 1)) : (run & 1 == 1)
            let closes = found < end && !odd
            if inKey, let last = frames.indices.last {
                let room = Self.maximumKeyLength + 1 - frames[last].key.count
                // An escaped quote belongs to the key.
                let keyEnd = closes ? found : min(found + 1, end)
                if room > 0 {
                    frames[last].key += UnsafeBufferPointer(rebasing: raw[index..<min(keyEnd, index + room)])
                }
                if closes {
                    inKey = false
                    frames[last].expectingKey = false
                }
            }
            if found == end {
                oddBackslashes = odd
                break
            }
            oddBackslashes = false
            if !odd { inString = false }
            index = found + 1
        }
        position = target
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

    /// The offset of the first `"` in `from..<end`, or `end`. Escaped quotes make short
    /// distances common, so the first 32 bytes are searched inline, eight at a time, and
    /// only the rest with `memchr`.
    @inline(__always)
    private func findQuote(_ start: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int {
        var index = from
        let inlineEnd = min(end, from &+ 32)
        while index &+ 8 <= inlineEnd {
            let word = UInt64(littleEndian: UnsafeRawPointer(start + index).loadUnaligned(as: UInt64.self))
            let difference = word ^ 0x2222_2222_2222_2222
            let mask = (difference &- 0x0101_0101_0101_0101) & ~difference & 0x8080_8080_8080_8080
            if mask != 0 { return index &+ mask.trailingZeroBitCount &>> 3 }
            index &+= 8
        }
        guard index < end, let hit = memchr(start + index, 0x22, end - index) else { return end }
        return UnsafeRawPointer(start).distance(to: UnsafeRawPointer(hit))
    }
}

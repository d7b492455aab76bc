/// One JSON string escape decoded: up to four UTF-8 bytes and the length of the escape
/// in the input.
struct JSONEscape {
    var bytes: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
    var count = 0
    var rawLength: Int

    init(byte: UInt8, rawLength: Int) {
        bytes.0 = byte
        count = 1
        self.rawLength = rawLength
    }

    init(scalar: UInt32, rawLength: Int) {
        self.rawLength = rawLength
        switch scalar {
        case 0..<0x80:
            bytes.0 = UInt8(scalar)
            count = 1
        case 0x80..<0x800:
            bytes = (UInt8(0xC0 | scalar >> 6), UInt8(0x80 | scalar & 0x3F), 0, 0)
            count = 2
        case 0x800..<0x10000:
            bytes = (UInt8(0xE0 | scalar >> 12), UInt8(0x80 | scalar >> 6 & 0x3F), UInt8(0x80 | scalar & 0x3F), 0)
            count = 3
        default:
            bytes = (
                UInt8(0xF0 | scalar >> 18), UInt8(0x80 | scalar >> 12 & 0x3F), UInt8(0x80 | scalar >> 6 & 0x3F),
                UInt8(0x80 | scalar & 0x3F)
            )
            count = 4
        }
    }

    /// The byte each two-byte escape stands for, by the byte after the backslash (`n`
    /// to line feed, `"` to quote, ...); 0 for `u` and for bytes that do not escape.
    static let simple: [UInt8] = (0...255).map { byte -> UInt8 in
        switch UInt8(byte) {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): UInt8(byte)
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: 0
        }
    }

    /// Writes the decoded bytes (`count` of them) at `destination`.
    func write(to destination: UnsafeMutablePointer<UInt8>) {
        destination[0] = bytes.0
        if count > 1 { destination[1] = bytes.1 }
        if count > 2 { destination[2] = bytes.2 }
        if count > 3 { destination[3] = bytes.3 }
    }

    /// Decodes the escape that starts with the backslash at `index`.
    ///
    /// - Returns: The escape, or `nil` when more bytes are needed to decide (never when
    ///   `final`). Malformed escapes decode to their bytes as written (a lone backslash,
    ///   or U+FFFD for a lone surrogate), so scanning goes on.
    static func decode(_ raw: UnsafeBufferPointer<UInt8>, at index: Int, final: Bool) -> JSONEscape? {
        let count = raw.count
        guard index + 1 < count else { return final ? JSONEscape(byte: 0x5C, rawLength: 1) : nil }
        switch raw[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
            return JSONEscape(byte: raw[index + 1], rawLength: 2)
        case UInt8(ascii: "b"): return JSONEscape(byte: 0x08, rawLength: 2)
        case UInt8(ascii: "f"): return JSONEscape(byte: 0x0C, rawLength: 2)
        case UInt8(ascii: "n"): return JSONEscape(byte: 0x0A, rawLength: 2)
        case UInt8(ascii: "r"): return JSONEscape(byte: 0x0D, rawLength: 2)
        case UInt8(ascii: "t"): return JSONEscape(byte: 0x09, rawLength: 2)
        case UInt8(ascii: "u"):
            guard index + 6 <= count else { return final ? JSONEscape(byte: 0x5C, rawLength: 1) : nil }
            guard let value = hex4(raw, index + 2) else { return JSONEscape(byte: 0x5C, rawLength: 1) }
            switch value {
            case 0xD800...0xDBFF:
                let low = index + 6
                if low < count, raw[low] != UInt8(ascii: "\\") { return JSONEscape(scalar: 0xFFFD, rawLength: 6) }
                if low + 1 < count, raw[low + 1] != UInt8(ascii: "u") {
                    return JSONEscape(scalar: 0xFFFD, rawLength: 6)
                }
                guard low + 6 <= count else { return final ? JSONEscape(scalar: 0xFFFD, rawLength: 6) : nil }
                guard let second = hex4(raw, low + 2), (0xDC00...0xDFFF).contains(second) else {
                    return JSONEscape(scalar: 0xFFFD, rawLength: 6)
                }
                let scalar = 0x10000 + ((value - 0xD800) << 10) + (second - 0xDC00)
                return JSONEscape(scalar: scalar, rawLength: 12)
            case 0xDC00...0xDFFF:
                return JSONEscape(scalar: 0xFFFD, rawLength: 6)
            default:
                return JSONEscape(scalar: value, rawLength: 6)
            }
        default:
            return JSONEscape(byte: raw[index + 1], rawLength: 2)
        }
    }

    private static func hex4(_ raw: UnsafeBufferPointer<UInt8>, _ index: Int) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

/// Where one escape sequence sits in the decoded text and in the raw input.
struct EscapeSpan: Sendable {
    var decodedStart: Int
    var decodedLength: Int
    var rawStart: Int
    var rawLength: Int
    var decodedEnd: Int { decodedStart + decodedLength }
    var rawEnd: Int { rawStart + rawLength }
}

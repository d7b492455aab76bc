/// The strict RFC 8259 reader under ``JSONParser`` and ``MessageEnvelope``.
///
/// It works on a borrowed buffer of UTF-8 bytes and either skips a value (validating it
/// completely, duplicate keys included, without building anything) or builds a
/// ``JSONValue``. Every error carries the byte offset where it was found.
@usableFromInline
struct JSONScanner {
    /// A string as written: the bytes between the quotes.
    struct StringToken {
        /// The offset just after the opening quote.
        var start: Int
        /// The offset of the closing quote.
        var end: Int
        /// Whether the string has escapes or non-ASCII bytes, so that it must be decoded
        /// before it can be compared as Swift compares strings.
        var needsDecoding: Bool
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let limits: JSONLimits
    var position: Int
    /// The keys of the objects being read, innermost last (see ``DuplicateKeyCheck``).
    var seenKeys: [StringToken] = []
    /// How many entries of ``seenKeys`` are in use; the entries above are stale, kept to be
    /// overwritten so that the stack never shrinks or reallocates while a message is read.
    var seenKeyCount = 0

    init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits) {
        self.bytes = bytes
        self.limits = limits
        self.position = 0
        seenKeys.reserveCapacity(32)
    }

    // MARK: Documents

    /// Checks the size limit, then reads one value surrounded only by white space.
    mutating func parseDocument() throws(JSONError) -> JSONValue {
        try checkSize()
        skipWhitespace()
        let value = try parseValue(depth: 0)
        try expectEnd()
        return value
    }

    /// Like ``parseDocument()`` but builds nothing.
    mutating func validateDocument() throws(JSONError) {
        try checkSize()
        skipWhitespace()
        try skipValue(depth: 0)
        try expectEnd()
    }

    func checkSize() throws(JSONError) {
        if bytes.count > limits.maxBytes {
            throw JSONError(.sizeLimitExceeded, at: limits.maxBytes, "input is larger than \(limits.maxBytes) bytes")
        }
    }

    mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if position < bytes.count {
            throw JSONError(.trailingData, at: position, "unexpected data after the JSON value")
        }
    }

    // MARK: Tokens

    @inline(__always)
    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    /// The byte at the current position, or an end-of-input error.
    @inline(__always)
    func currentByte(_ expected: @autoclosure () -> String) throws(JSONError) -> UInt8 {
        guard position < bytes.count else {
            throw JSONError(.unexpectedEndOfInput, at: position, "input ended; expected \(expected())")
        }
        return bytes[position]
    }

    func unexpected(_ expected: String) -> JSONError {
        guard position < bytes.count else {
            return JSONError(.unexpectedEndOfInput, at: position, "input ended; expected \(expected)")
        }
        return JSONError(.unexpectedByte, at: position, "unexpected \(Self.describe(bytes[position])); expected \(expected)")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        let hex = String(byte, radix: 16, uppercase: true)
        return "byte 0x" + (hex.count == 1 ? "0" + hex : hex)
    }

    /// Reads a string token at the current position, which must be a quote, validating its
    /// escapes and UTF-8 without decoding it.
    mutating func scanString() throws(JSONError) -> StringToken {
        let quote = position
        let start = position + 1
        var index = start
        var needsDecoding = false
        let count = bytes.count
        while true {
            // Plain ASCII text runs until a quote, a backslash, a control byte or a
            // non-ASCII byte; `byte &- 0x20 >= 0x60` tests the last two at once.
            index = Self.skipPlainASCII(bytes, from: index)
            while index < count {
                let byte = bytes[index]
                if byte &- 0x20 >= 0x60 || byte == 0x22 || byte == 0x5C { break }
                index += 1
            }
            guard index < count else {
                throw JSONError(.unexpectedEndOfInput, at: index, "input ended inside a string")
            }
            let byte = bytes[index]
            if byte == 0x22 { break }
            needsDecoding = true
            if byte == 0x5C {
                index = try scanEscape(at: index)
            } else if byte < 0x20 {
                throw JSONError(.controlCharacterInString, at: index, "raw control character \(Self.describe(byte)) in a string")
            } else {
                index = try Self.validateUTF8Sequence(bytes, at: index)
            }
        }
        if index - start > limits.maxStringBytes {
            throw JSONError(.stringLimitExceeded, at: quote, "string is longer than \(limits.maxStringBytes) bytes")
        }
        position = index + 1
        return StringToken(start: start, end: index, needsDecoding: needsDecoding)
    }

    /// The offset of the first byte at or after `index` that is a quote, a backslash, a
    /// control byte or a non-ASCII byte, looked for eight bytes at a time; near the end of
    /// the buffer it stops early and leaves the rest to the byte loop.
    @inline(__always)
    static func skipPlainASCII(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        var index = start
        while index &+ 8 <= bytes.count {
            let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            // A byte's high bit is set in `found` when it is 0x22, 0x5C, below 0x20 or above
            // 0x7F; borrows can only mark bytes after the first such byte.
            let found = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) | word) & highs
            if found != 0 { return index &+ found.trailingZeroBitCount >> 3 }
            index &+= 8
        }
        return index
    }

    /// Validates the escape at `index` (a backslash) and returns the offset after it.
    private func scanEscape(at index: Int) throws(JSONError) -> Int {
        guard index + 1 < bytes.count else {
            throw JSONError(.unexpectedEndOfInput, at: index + 1, "input ended inside an escape")
        }
        switch bytes[index + 1] {
        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74:
            return index + 2
        case 0x75:
            let unit = try hex4(at: index + 2)
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard index + 7 < bytes.count, bytes[index + 6] == 0x5C, bytes[index + 7] == 0x75,
                    let low = try? hex4(at: index + 8), low >= 0xDC00 && low <= 0xDFFF
                else {
                    throw JSONError(.loneSurrogate, at: index, "high surrogate escape without a low surrogate")
                }
                return index + 12
            }
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw JSONError(.loneSurrogate, at: index, "low surrogate escape without a high surrogate")
            }
            return index + 6
        default:
            throw JSONError(.invalidEscape, at: index, "invalid escape \\\(Self.describe(bytes[index + 1]))")
        }
    }

    /// The value of four hexadecimal digits at `index`.
    func hex4(at index: Int) throws(JSONError) -> UInt32 {
        guard index + 4 <= bytes.count else {
            throw JSONError(.invalidUnicodeEscape, at: index - 2, "\\u escape needs four hexadecimal digits")
        }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default:
                throw JSONError(.invalidUnicodeEscape, at: index - 2, "\\u escape needs four hexadecimal digits")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Validates the UTF-8 sequence that starts at `index` (a byte of 0x80 or more) per
    /// RFC 3629 (no overlong forms, no surrogates, nothing above U+10FFFF) and returns the
    /// offset after it.
    static func validateUTF8Sequence(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) throws(JSONError) -> Int {
        let lead = bytes[index]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default:
            throw JSONError(.invalidUTF8, at: index, "invalid UTF-8 lead \(describe(lead))")
        }
        guard index + length <= bytes.count else {
            throw JSONError(.invalidUTF8, at: index, "truncated UTF-8 sequence")
        }
        let second = bytes[index + 1]
        guard second >= low && second <= high else {
            throw JSONError(.invalidUTF8, at: index + 1, "invalid UTF-8 continuation \(describe(second))")
        }
        var offset = 2
        while offset < length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else {
                throw JSONError(.invalidUTF8, at: index + offset, "invalid UTF-8 continuation \(describe(byte))")
            }
            offset += 1
        }
        return index + length
    }

    /// The decoded text of a string token.
    func decodeString(_ token: StringToken) -> String {
        let raw = UnsafeBufferPointer(rebasing: bytes[token.start..<token.end])
        guard token.needsDecoding else { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    /// Decodes the escapes of string content already validated by ``scanString()``.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var output = [UInt8]()
        output.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            let byte = raw[index]
            guard byte == 0x5C else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = raw[index + 1]
            index += 2
            switch escape {
            case 0x62: output.append(0x08)
            case 0x66: output.append(0x0C)
            case 0x6E: output.append(0x0A)
            case 0x72: output.append(0x0D)
            case 0x74: output.append(0x09)
            case 0x75:
                var scalar = hexValue(raw, at: index)
                index += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    let low = hexValue(raw, at: index + 2)
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                appendUTF8(scalar, to: &output)
            default: output.append(escape)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            let digit: UInt32 =
                switch byte {
                case 0x30...0x39: UInt32(byte - 0x30)
                case 0x41...0x46: UInt32(byte - 0x41 + 10)
                default: UInt32(byte - 0x61 + 10)
                }
            value = value << 4 | digit
        }
        return value
    }

    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Whether two keys are the same as Swift compares strings. Keys of plain ASCII
    /// compare by bytes; others are decoded first, so that two spellings of one key
    /// (escaped or not, or differing only in Unicode normalization) count as duplicates.
    func sameKey(_ lhs: StringToken, _ rhs: StringToken) -> Bool {
        if !lhs.needsDecoding && !rhs.needsDecoding {
            let length = lhs.end - lhs.start
            guard length == rhs.end - rhs.start else { return false }
            guard let base = bytes.baseAddress else { return true }
            return memoryEqual(base + lhs.start, base + rhs.start, length)
        }
        return decodeString(lhs) == decodeString(rhs)
    }

    private func memoryEqual(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var index = 0
        while index < count {
            if lhs[index] != rhs[index] { return false }
            index += 1
        }
        return true
    }

    /// Reads a number at the current position and returns its byte range.
    mutating func scanNumber() throws(JSONError) -> Range<Int> {
        guard let length = JSONNumber.grammarLength(bytes, from: position) else {
            throw JSONError(.invalidNumber, at: position, "invalid number")
        }
        let range = position..<(position + length)
        position += length
        return range
    }

    /// Reads `true`, `false` or `null` at the current position.
    mutating func scanLiteral() throws(JSONError) -> JSONValue {
        let literal: StaticString
        let value: JSONValue
        switch bytes[position] {
        case 0x74: literal = "true"; value = .bool(true)
        case 0x66: literal = "false"; value = .bool(false)
        default: literal = "null"; value = .null
        }
        let length = literal.utf8CodeUnitCount
        let expected = literal.utf8Start
        for offset in 0..<length {
            guard position + offset < bytes.count else {
                throw JSONError(.unexpectedEndOfInput, at: position + offset, "input ended inside \(literal)")
            }
            guard bytes[position + offset] == expected[offset] else {
                throw JSONError(.unexpectedByte, at: position + offset, "invalid literal; expected \(literal)")
            }
        }
        position += length
        return value
    }
}

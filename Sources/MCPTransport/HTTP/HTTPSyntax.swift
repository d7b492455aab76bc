/// Character classes of HTTP/1.1 (RFC 9110 §5.6, RFC 9112) and of URIs (RFC 3986), on
/// bytes.
enum HTTPSyntax {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A
    static let colon: UInt8 = 0x3A
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let slash: UInt8 = 0x2F
    static let question: UInt8 = 0x3F
    static let percent: UInt8 = 0x25
    static let at: UInt8 = 0x40
    static let asterisk: UInt8 = 0x2A
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D

    /// `tchar` of RFC 9110 §5.6.2: the bytes of a token (method, field name, coding).
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C,
            0x7E:
            true
        default: false
        }
    }

    /// A byte allowed inside a field value: `field-vchar` (VCHAR or obs-text), SP or HTAB.
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// SP or HTAB, the bytes of `OWS` and `BWS`.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    /// The value of a hexadecimal digit, or `nil`.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// `unreserved` or `sub-delims` of RFC 3986: the bytes a `reg-name` may hold besides
    /// percent-encodings.
    @inline(__always)
    static func isUnreservedOrSubDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x2D, 0x2E, 0x5F, 0x7E: true  // - . _ ~
        case 0x21, 0x24, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x2B, 0x2C, 0x3B, 0x3D: true  // !$&'()*+,;=
        default: false
        }
    }

    /// A byte of a path or query besides percent-encodings: `pchar`, `/` or `?`.
    @inline(__always)
    static func isPathOrQueryByte(_ byte: UInt8) -> Bool {
        isUnreservedOrSubDelimiter(byte) || byte == colon || byte == at || byte == slash
            || byte == question
    }

    /// Whether two byte sequences are equal when ASCII letters are compared without case.
    ///
    /// - Parameters:
    ///   - bytes: the bytes to test.
    ///   - lowercase: the expected bytes, in lower case.
    static func equalsIgnoringCase(
        _ bytes: some Collection<UInt8>, _ lowercase: some Collection<UInt8>
    ) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        var other = lowercase.makeIterator()
        for byte in bytes {
            guard let expected = other.next(), lowercased(byte) == expected else { return false }
        }
        return true
    }

    /// Whether `lowercase` occurs in `bytes` when ASCII letters are compared without case
    /// (for short header values: the search is byte by byte).
    ///
    /// - Parameters:
    ///   - bytes: the bytes to search.
    ///   - lowercase: the bytes to find, in lower case, not empty.
    static func contains(_ bytes: ArraySlice<UInt8>, ignoringCase lowercase: StaticString) -> Bool {
        lowercase.withUTF8Buffer { needle in
            guard !needle.isEmpty, bytes.count >= needle.count else { return false }
            return (bytes.startIndex...(bytes.endIndex - needle.count)).contains { start in
                equalsIgnoringCase(bytes[start..<(start + needle.count)], needle)
            }
        }
    }

    /// Whether `bytes` is a non-empty token.
    static func isToken(_ bytes: some Collection<UInt8>) -> Bool {
        !bytes.isEmpty && bytes.allSatisfy(isTokenByte)
    }

    /// Whether `bytes` is a valid field value: field-vchar, SP and HTAB only, with no
    /// white space at either end.
    static func isFieldValue(_ bytes: some BidirectionalCollection<UInt8>) -> Bool {
        if let first = bytes.first, isWhitespace(first) { return false }
        if let last = bytes.last, isWhitespace(last) { return false }
        return bytes.allSatisfy(isFieldValueByte)
    }

    /// The range of `bytes[range]` left after removing SP and HTAB from both ends.
    static func trimmingWhitespace(_ bytes: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    /// Whether `bytes[range]` is a path and optional query (`*( pchar / "/" ) [ "?" query ]`)
    /// whose percent signs each start a two-digit escape.
    static func isPathAndQuery(_ bytes: some Collection<UInt8>) -> Bool {
        var pendingHexDigits = 0
        for byte in bytes {
            if pendingHexDigits > 0 {
                guard hexValue(byte) != nil else { return false }
                pendingHexDigits -= 1
            } else if byte == percent {
                pendingHexDigits = 2
            } else if !isPathOrQueryByte(byte) {
                return false
            }
        }
        return pendingHexDigits == 0
    }

    /// Whether `bytes` is `uri-host [ ":" port ]` with no user information, as the `Host`
    /// field and the authority of an absolute-form target must be (RFC 9110 §4.2.1, §7.2).
    ///
    /// The host is an IP literal in brackets (hexadecimal digits, `:` and `.`), or a
    /// registered name or IPv4 address (`unreserved`, `sub-delims` and percent-encodings);
    /// the port, when the colon is there, is one to five digits no greater than 65535.
    ///
    /// - Parameters:
    ///   - bytes: the authority.
    ///   - allowEmpty: whether an empty authority is accepted (as `Host` allows).
    static func isAuthority(_ bytes: ArraySlice<UInt8>, allowEmpty: Bool) -> Bool {
        if bytes.isEmpty { return allowEmpty }
        var index = bytes.startIndex
        let end = bytes.endIndex
        if bytes[index] == openBracket {
            index += 1
            let hostStart = index
            while index < end, bytes[index] != closeBracket {
                let byte = bytes[index]
                guard hexValue(byte) != nil || byte == colon || byte == 0x2E else { return false }
                index += 1
            }
            guard index < end, index > hostStart else { return false }
            index += 1
        } else {
            let hostStart = index
            var pendingHexDigits = 0
            while index < end, bytes[index] != colon {
                let byte = bytes[index]
                if pendingHexDigits > 0 {
                    guard hexValue(byte) != nil else { return false }
                    pendingHexDigits -= 1
                } else if byte == percent {
                    pendingHexDigits = 2
                } else if !isUnreservedOrSubDelimiter(byte) {
                    return false
                }
                index += 1
            }
            guard pendingHexDigits == 0, index > hostStart else { return false }
        }
        if index == end { return true }
        guard bytes[index] == colon else { return false }
        index += 1
        let digits = bytes[index...]
        guard (1...5).contains(digits.count), digits.allSatisfy(isDigit) else { return false }
        var port = 0
        for digit in digits { port = port * 10 + Int(digit - 0x30) }
        return port <= 65535
    }
}

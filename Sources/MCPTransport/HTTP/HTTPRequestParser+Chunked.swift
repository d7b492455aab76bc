/// The chunked transfer coding (RFC 9112 §7.1): chunk lines and chunk terminators.
extension HTTPRequestParser {
    /// The most hexadecimal digits a chunk size may have, leading zeros included.
    static let maxChunkSizeDigits = 16

    mutating func readChunkLine() throws(HTTPParserError) -> Step {
        let limit = Self.maxChunkSizeDigits + limits.maxChunkExtensionBytes
        switch scanLine(limit: limit) {
        case .needMore:
            return .needMore
        case .bareLineFeed:
            throw Self.bareLineFeedError
        case .bareCarriageReturn:
            throw Self.bareCarriageReturnError
        case .tooLong:
            let region = buffer[position..<min(buffer.count, position + limit + 1)]
            let digits = region.prefix { HTTPSyntax.hexValue($0) != nil }
            if (1...Self.maxChunkSizeDigits).contains(digits.count),
                let next = region[digits.endIndex...].first,
                next == HTTPSyntax.semicolon || HTTPSyntax.isWhitespace(next)
            {
                throw HTTPParserError(.chunkExtensionTooLong, "A chunk extension is too long.")
            }
            throw HTTPParserError(.invalidChunkSize, "A chunk size is malformed.")
        case .line(let end):
            let size = try parseChunkLine(position..<end)
            consumeLine(endingAt: end)
            if size == 0 {
                sectionBytes = 0
                state = .trailerLines
            } else {
                guard size <= limits.maxBodyBytes - bodyBytes else {
                    throw HTTPParserError(.bodyTooLarge, "The body is larger than the limit.")
                }
                state = .chunkData(remaining: size)
            }
            return .progress
        }
    }

    mutating func readChunkDataEnd() throws(HTTPParserError) -> Step {
        let available = buffer.count - position
        guard available > 0 else { return .needMore }
        let first = buffer[position]
        if first == HTTPSyntax.lineFeed { throw Self.bareLineFeedError }
        guard first == HTTPSyntax.carriageReturn else {
            throw HTTPParserError(
                .invalidChunkTerminator, "Chunk data is not followed by CRLF.")
        }
        guard available > 1 else { return .needMore }
        guard buffer[position + 1] == HTTPSyntax.lineFeed else {
            throw Self.bareCarriageReturnError
        }
        consumeLine(endingAt: position)
        state = .chunkLine
        return .progress
    }

    /// `chunk-size [ chunk-ext ]`, returning the size.
    private func parseChunkLine(_ range: Range<Int>) throws(HTTPParserError) -> Int {
        var index = range.lowerBound
        var size: UInt64 = 0
        while index < range.upperBound, let digit = HTTPSyntax.hexValue(buffer[index]) {
            guard index - range.lowerBound < Self.maxChunkSizeDigits else {
                throw HTTPParserError(.invalidChunkSize, "A chunk size has too many digits.")
            }
            size = size << 4 | UInt64(digit)
            index += 1
        }
        guard index > range.lowerBound, size <= UInt64(Int.max) else {
            throw HTTPParserError(.invalidChunkSize, "A chunk size is malformed.")
        }
        if index < range.upperBound {
            guard range.upperBound - index <= limits.maxChunkExtensionBytes else {
                throw HTTPParserError(.chunkExtensionTooLong, "A chunk extension is too long.")
            }
            try checkChunkExtension(index..<range.upperBound)
        }
        return Int(size)
    }

    /// `*( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )`, where a value is a
    /// token or a quoted string.
    private func checkChunkExtension(_ range: Range<Int>) throws(HTTPParserError) {
        let end = range.upperBound
        var index = range.lowerBound
        var first = true
        let invalid = HTTPParserError(.invalidChunkExtension, "A chunk extension is malformed.")
        while index < end {
            while index < end, HTTPSyntax.isWhitespace(buffer[index]) { index += 1 }
            guard index < end, buffer[index] == HTTPSyntax.semicolon else {
                // Right after the size, anything but an extension is a bad size.
                throw first
                    ? HTTPParserError(.invalidChunkSize, "A chunk size is malformed.") : invalid
            }
            first = false
            index += 1
            while index < end, HTTPSyntax.isWhitespace(buffer[index]) { index += 1 }
            let nameStart = index
            while index < end, HTTPSyntax.isTokenByte(buffer[index]) { index += 1 }
            guard index > nameStart else { throw invalid }
            var next = index
            while next < end, HTTPSyntax.isWhitespace(buffer[next]) { next += 1 }
            guard next < end, buffer[next] == HTTPSyntax.equals else { continue }
            next += 1
            while next < end, HTTPSyntax.isWhitespace(buffer[next]) { next += 1 }
            guard next < end else { throw invalid }
            if buffer[next] == HTTPSyntax.quote {
                guard let after = quotedStringEnd(from: next, before: end) else { throw invalid }
                index = after
            } else {
                let valueStart = next
                while next < end, HTTPSyntax.isTokenByte(buffer[next]) { next += 1 }
                guard next > valueStart else { throw invalid }
                index = next
            }
        }
    }

    /// The index after the quoted string starting at `start`, or `nil` when it is
    /// unterminated or holds a byte a quoted string may not (RFC 9110 §5.6.4).
    private func quotedStringEnd(from start: Int, before end: Int) -> Int? {
        var index = start + 1
        while index < end {
            let byte = buffer[index]
            switch byte {
            case HTTPSyntax.quote:
                return index + 1
            case HTTPSyntax.backslash:
                index += 1
                guard index < end, HTTPSyntax.isFieldValueByte(buffer[index]) else { return nil }
            case HTTPSyntax.tab, HTTPSyntax.space, 0x21, 0x23...0x5B, 0x5D...0x7E, 0x80...0xFF:
                break
            default:
                return nil
            }
            index += 1
        }
        return nil
    }
}

/// A name pattern: `*` matches any run of characters (including none), `?` matches one
/// character, `\` makes the next character literal. `[`, `]`, `{` and `}` are reserved
/// and must be escaped. Matching runs over UTF-8 bytes in time bounded by the product of
/// the name's and the pattern's lengths, with no recursion.
struct Glob: Sendable, Hashable {
    enum Token: Sendable, Hashable {
        case literal(UInt8)
        case anyCharacter
        case anyRun
    }

    let tokens: [Token]
    /// The literal bytes before the first wildcard; used to index globs.
    let literalPrefix: [UInt8]
    /// Whether the pattern has a wildcard at all; a pattern without one is an exact name.
    let hasWildcard: Bool
    /// The pattern with its escapes removed, when it has no wildcard.
    let exactName: String?

    /// Compiles a pattern.
    ///
    /// - Throws: ``PolicyError/Code/invalidGlob`` for an empty or too long pattern, a
    ///   trailing `\` or an unescaped reserved character.
    init(_ pattern: String, maxLength: Int, at keyPath: String) throws(PolicyError) {
        let bytes = Array(pattern.utf8)
        guard !bytes.isEmpty else { throw PolicyError(.invalidGlob, at: keyPath, "a name pattern is empty") }
        guard bytes.count <= maxLength else {
            throw PolicyError(.invalidGlob, at: keyPath, "a name pattern is longer than \(maxLength) bytes")
        }
        var tokens: [Token] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else {
                    throw PolicyError(.invalidGlob, at: keyPath, "a name pattern ends with an escape")
                }
                tokens.append(.literal(bytes[index]))
            case UInt8(ascii: "*"):
                if tokens.last != .anyRun { tokens.append(.anyRun) }
            case UInt8(ascii: "?"):
                tokens.append(.anyCharacter)
            case UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"), UInt8(ascii: "}"):
                throw PolicyError(.invalidGlob, at: keyPath, "a name pattern has an unescaped reserved character")
            default:
                tokens.append(.literal(byte))
            }
            index += 1
        }
        self.tokens = tokens
        var prefix: [UInt8] = []
        for token in tokens {
            guard case .literal(let byte) = token else { break }
            prefix.append(byte)
        }
        literalPrefix = prefix
        hasWildcard = prefix.count != tokens.count
        exactName = hasWildcard ? nil : String(decoding: prefix, as: UTF8.self)
    }

    /// Whether `name` matches the whole pattern.
    func matches(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { matches(bytes: $0) }
    }

    /// Whether the UTF-8 bytes of a name match the whole pattern.
    func matches(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var position = 0
        var tokenIndex = 0
        var starToken = -1
        var starPosition = 0
        let count = bytes.count
        while position < count {
            if tokenIndex < tokens.count {
                switch tokens[tokenIndex] {
                case .literal(let byte) where bytes[position] == byte:
                    position += 1
                    tokenIndex += 1
                    continue
                case .anyCharacter:
                    position = Self.nextScalar(bytes, after: position)
                    tokenIndex += 1
                    continue
                case .anyRun:
                    starToken = tokenIndex
                    starPosition = position
                    tokenIndex += 1
                    continue
                default:
                    break
                }
            }
            guard starToken >= 0 else { return false }
            starPosition = Self.nextScalar(bytes, after: starPosition)
            position = starPosition
            tokenIndex = starToken + 1
        }
        while tokenIndex < tokens.count, tokens[tokenIndex] == .anyRun { tokenIndex += 1 }
        return tokenIndex == tokens.count
    }

    @inline(__always)
    private static func nextScalar(_ bytes: UnsafeBufferPointer<UInt8>, after position: Int) -> Int {
        var next = position + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }
}

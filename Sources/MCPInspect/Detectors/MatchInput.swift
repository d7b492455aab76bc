internal import MCPCrypto

/// The view a detector's validator has of the decoded text at a candidate position:
/// reads past the end mark the input as starved (more bytes needed) unless the stream
/// is finished; reads before the start see no byte.
struct MatchInput {
    let bytes: UnsafeBufferPointer<UInt8>
    let count: Int
    let final: Bool
    let table: DetectorTable
    /// No match may start before this index.
    var lowerBound = 0
    /// Whether a validator needed a byte that has not arrived yet.
    var starved = false

    enum Outcome {
        /// A match; scanning resumes at its end.
        case hit(Hit)
        /// No match; scanning resumes at this index.
        case skip(Int)
    }

    init(bytes: UnsafeBufferPointer<UInt8>, final: Bool, table: DetectorTable) {
        self.bytes = bytes
        self.count = bytes.count
        self.final = final
        self.table = table
    }

    /// The byte at `index`, or -1 outside the text (past the end, that starves the
    /// input unless it is final).
    @inline(__always)
    mutating func at(_ index: Int) -> Int {
        if index >= count {
            if !final { starved = true }
            return -1
        }
        return index < 0 ? -1 : Int(bytes[index])
    }

    /// The byte at `index` when it is before the candidate (already here), or -1.
    @inline(__always)
    func behind(_ index: Int) -> Int {
        index < 0 || index >= count ? -1 : Int(bytes[index])
    }

    /// Whether the bytes at `index` spell `literal` (ASCII letters compared without
    /// case when `ignoringCase`).
    mutating func matches(_ literal: StaticString, at index: Int, ignoringCase: Bool = false) -> Bool {
        let length = literal.utf8CodeUnitCount
        let start = literal.utf8Start
        for offset in 0..<length {
            let byte = at(index + offset)
            if byte < 0 { return false }
            let expected = Int(start[offset])
            if ignoringCase ? lower(byte) != expected : byte != expected { return false }
        }
        return true
    }

    /// The end of the run of bytes that satisfy `accept` from `index`, reading at most
    /// `limit` bytes.
    mutating func run(from index: Int, limit: Int, _ accept: (Int) -> Bool) -> Int {
        var end = index
        let stop = index + limit
        while end < stop {
            let byte = at(end)
            if byte < 0 || !accept(byte) { break }
            end += 1
        }
        return end
    }

    /// A hit from `start` to `end`, with `start` moved to the lower bound.
    func hit(_ detector: DetectorID, _ start: Int, _ end: Int) -> Hit? {
        let start = max(start, lowerBound)
        // A match never reaches past the text it was found in.
        let end = min(end, count)
        return start < end ? Hit(detector: detector, start: start, end: end) : nil
    }

    /// Runs the validators whose anchors can start at `index`.
    mutating func examine(at index: Int) -> Outcome {
        let byte = Int(bytes[index])
        let next = index + 1 < count ? Int(bytes[index + 1]) : 0
        if table.hasHeldTokens {
            let pair = byte << 8 | next
            if table.heldBigrams[pair >> 6] & (1 << UInt64(pair & 63)) != 0, let hit = heldToken(index) {
                return .hit(hit)
            }
            if starved { return .skip(index) }
        }
        var skip = index + 1
        var found: Hit?
        switch byte {
        case 0x40:  // @
            found = email(index)
        case 0x3A, 0x3D:  // : =
            found = keywordSecret(index)
        case 0x30...0x39:
            if isDigit(next) {
                found = digitRun(index, skip: &skip)
            } else if isUpper(next) {
                found = base64Blob(index, skip: &skip)
            }
        case 0x41...0x5A:  // A-Z
            if byte == 0x41 { found = awsAccessKeyID(index) ?? googleAPIKey(index) }
            if found == nil, byte == 0x42 { found = bearer(index) }
            if found == nil, byte == 0x42 || byte == 0x44 || byte == 0x46 || byte == 0x49 { found = phrase(index) }
            if found == nil, !starved, isDigit(next) { found = iban(index - 1) }
            if found == nil, !starved, isDigit(next) { found = base64Blob(index, skip: &skip) }
        case 0x61...0x7A:  // a-z
            switch byte {
            case 0x67: found = githubToken(index) ?? gitlabToken(index)  // g
            case 0x78: found = slackToken(index)  // x
            case 0x73: found = stripeKey(index) ?? anthropicKey(index) ?? openAIKey(index)  // s
            case 0x72: found = stripeKey(index)  // r
            case 0x65: found = jwt(index)  // e
            case 0x62: found = bearer(index) ?? phrase(index)  // b
            case 0x64, 0x66: found = phrase(index)  // d f
            case 0x69: found = phrase(index) ?? secretPath(index)  // i
            case 0x6D: found = secretPath(index)  // m
            default: break
            }
        case 0x2B:  // + before a phone number
            if isDigit(next) { found = digitRun(index + 1, skip: &skip) }
            skip = index + 1
        case 0x2D:  // -
            found = privateKey(index)
        case 0x3C:  // <
            found = instructionTag(index)
        case 0x5D:  // ]
            found = markdownLink(index)
        case 0x7E, 0x2E:  // ~ .
            found = secretPath(index)
        case 0x00...0x1F, 0x7F, 0xC2:
            found = controlCharacter(index)
        case 0xE2, 0xEE, 0xEF, 0xF3, 0xF4:
            found = invisible(index, skip: &skip)
        default:
            break
        }
        if let found { return .hit(found) }
        return .skip(skip)
    }

    // MARK: Held tokens

    mutating func heldToken(_ index: Int) -> Hit? {
        guard table.isOn(.heldToken) else { return nil }
        guard index + 8 <= count else {
            if !final { starved = true }
            return nil
        }
        guard let entries = table.heldTokens.entries[HeldTokenIndex.key(bytes, at: index)] else { return nil }
        for entry in entries {
            guard index + entry.length <= count else {
                if !final { starved = true }
                continue
            }
            let digest = SHA256.hash(UnsafeBufferPointer(rebasing: bytes[index..<(index + entry.length)]))
            if ConstantTime.isEqual(digest, entry.digest) { return hit(.heldToken, index, index + entry.length) }
        }
        return nil
    }
}

// MARK: Byte classes

@inline(__always) func isDigit(_ byte: Int) -> Bool { byte >= 0x30 && byte <= 0x39 }
@inline(__always) func isUpper(_ byte: Int) -> Bool { byte >= 0x41 && byte <= 0x5A }
@inline(__always) func isLower(_ byte: Int) -> Bool { byte >= 0x61 && byte <= 0x7A }
@inline(__always) func isLetter(_ byte: Int) -> Bool { isUpper(byte) || isLower(byte) }
@inline(__always) func isAlnum(_ byte: Int) -> Bool { isDigit(byte) || isLetter(byte) }
/// Letters, digits, `_` and `-`: the characters of most tokens.
@inline(__always) func isWord(_ byte: Int) -> Bool { isAlnum(byte) || byte == 0x5F || byte == 0x2D }
@inline(__always) func isBase64(_ byte: Int) -> Bool { isAlnum(byte) || byte == 0x2B || byte == 0x2F }
@inline(__always) func lower(_ byte: Int) -> Int { isUpper(byte) ? byte | 0x20 : byte }

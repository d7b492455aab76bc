/// The detectors of one direction compiled for scanning: the bigram table of every
/// anchor, the action of each detector and the options. Immutable and shared by every
/// scanner made from it.
final class DetectorTable: Sendable {
    let direction: Direction
    /// The action of each detector, indexed by `DetectorID.index`; `nil` when off.
    let actions: [InspectionAction?]
    /// 65,536 bits, one per pair of bytes: whether any enabled detector may start at a
    /// byte followed by another.
    let bigrams: [UInt64]
    /// The bigram table twice, a byte per pair (1 for a candidate), so that the scan
    /// loop tests a pair with one load and no shift: after a byte that is not a letter or
    /// digit, then after one that is (without the pairs that need a word start).
    let candidates: [UInt8]
    /// 1 for ASCII letters and digits, by byte.
    static let alphanumeric: [UInt8] = (0...255).map { UInt8($0).isASCIILetterOrDigit ? 1 : 0 }
    /// The same for the first two bytes of held tokens only.
    let heldBigrams: [UInt64]
    let heldTokens: HeldTokenIndex
    let options: InspectionOptions
    /// The allowed link domains, lowercased.
    let allowedDomains: [[UInt8]]
    let fingerprinter: MatchFingerprinter
    /// `[REDACTED:<detector>]` for every detector, by index.
    let placeholders: [[UInt8]] = DetectorID.all.map { Array("[REDACTED:\($0.name)]".utf8) }
    /// One bit per detector that is on, and copies of the options the validators read,
    /// so that a validator reads plain words.
    let enabled: UInt64
    let hasHeldTokens: Bool
    let maximumMatchLength: Int
    let sliceLength: Int
    let minimumBase64Length: Int
    let minimumQueryValueLength: Int
    let minimumSecretEntropy: Double

    init(
        direction: Direction, rules: InspectionRules, options: InspectionOptions, heldTokens: HeldTokenIndex,
        fingerprinter: MatchFingerprinter
    ) {
        self.direction = direction
        let actions = rules.row(direction)
        self.actions = actions
        self.options = options
        self.heldTokens = heldTokens
        self.fingerprinter = fingerprinter
        allowedDomains = options.allowedLinkDomains.map { Array($0.lowercased().utf8) }
        var enabled: UInt64 = 0
        for detector in DetectorID.all where actions[detector.index] != nil { enabled |= 1 << UInt64(detector.index) }
        self.enabled = enabled
        hasHeldTokens = !heldTokens.isEmpty
        maximumMatchLength = options.maximumMatchLength
        sliceLength = options.sliceLength
        minimumBase64Length = options.minimumBase64Length
        minimumQueryValueLength = options.minimumQueryValueLength
        minimumSecretEntropy = options.minimumSecretEntropy
        var table = BigramSet()
        func on(_ detector: DetectorID) -> Bool { actions[detector.index] != nil }
        let digits = Array(UInt8(ascii: "0")...UInt8(ascii: "9"))
        let uppers = Array(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        if on(.awsAccessKeyID) { for second in "KSGIRNBCP".utf8 { table.insert(UInt8(ascii: "A"), second) } }
        if on(.googleAPIKey) { table.insert(UInt8(ascii: "A"), UInt8(ascii: "I")) }
        if on(.githubToken) { table.insert("gh"); table.insert("gi") }
        if on(.gitlabToken) { table.insert("gl") }
        if on(.slackToken) { table.insert("xo") }
        if on(.stripeKey) { table.insert("sk"); table.insert("rk") }
        if on(.openAIKey) || on(.anthropicKey) { table.insert("sk") }
        if on(.privateKey) { table.insert("--") }
        if on(.jwt) { table.insert("ey") }
        if on(.bearerToken) { table.insert("Be"); table.insert("be"); table.insert("BE") }
        if on(.genericSecret) || on(.awsSecretAccessKey) {
            table.insertFirst(UInt8(ascii: ":"))
            table.insertFirst(UInt8(ascii: "="))
        }
        if on(.email) { table.insertFirst(UInt8(ascii: "@")) }
        if on(.phoneNumber) || on(.cardNumber) || on(.iban) || on(.usSSN) {
            for first in digits { for second in digits { table.insert(first, second) } }
            for second in digits { table.insert(UInt8(ascii: "+"), second) }
        }
        if on(.instructionTag) {
            table.insert(UInt8(ascii: "<"), UInt8(ascii: "/"))
            for letter in uppers {
                table.insert(UInt8(ascii: "<"), letter); table.insert(UInt8(ascii: "<"), letter | 0x20)
            }
        }
        if on(.instructionPhrase) {
            let pairs: [StaticString] = ["ig", "di", "fo", "do", "be"]
            for pair in pairs { table.insertIgnoringCase(pair) }
        }
        if on(.secretPath) {
            let pairs: [StaticString] = ["~/", ".s", ".e", ".a", ".n", ".p", ".g", "id", "mc"]
            for pair in pairs { table.insert(pair) }
        }
        if on(.invisibleUnicode) {
            table.insert(0xE2, 0x80)
            table.insert(0xE2, 0x81)
            table.insert(0xEF, 0xBB)
            for second in UInt8(0x80)...0xA3 { table.insert(0xEF, second) }
            table.insertFirst(0xEE)
            table.insert(0xF3, 0xA0)
            for second in UInt8(0xB0)...0xBF { table.insert(0xF3, second) }
            for second in UInt8(0x80)...0x8F { table.insert(0xF4, second) }
        }
        if on(.controlCharacter) {
            for first in UInt8(0)...0x1F where first != 0x09 && first != 0x0A && first != 0x0D {
                table.insertFirst(first)
            }
            table.insertFirst(0x7F)
            for second in UInt8(0x80)...0x9F { table.insert(0xC2, second) }
        }
        if on(.markdownExfiltration) { table.insert("](") }
        if on(.iban) {
            for digit in digits { for upper in uppers { table.insert(upper, digit) } }
        }
        if on(.base64Blob) {
            for digit in digits {
                for upper in uppers { table.insert(digit, upper); table.insert(upper, digit) }
            }
        }
        var held = BigramSet()
        if on(.heldToken) {
            for (first, second) in heldTokens.firstPairs {
                table.insert(first, second)
                held.insert(first, second)
            }
        }
        bigrams = table.words
        // The pairs at which every detector needs the byte before not to be a letter or
        // digit: a letter followed by anything but a digit, two digits, `.` and `~`.
        var boundary = BigramSet()
        for first in UInt8(0)...255 where first.isASCIILetterOrDigit {
            for second in UInt8(0)...255 {
                let firstIsDigit = first >= 0x30 && first <= 0x39
                let secondIsDigit = second >= 0x30 && second <= 0x39
                if firstIsDigit == secondIsDigit { boundary.insert(first, second) }
            }
        }
        // Secret paths (`.env`, `~/.ssh`) start a word too.
        boundary.insertFirst(UInt8(ascii: "."))
        boundary.insertFirst(UInt8(ascii: "~"))
        // A held token is found wherever it starts, inside a word too: the gateway's own
        // credentials must never leave, whatever is glued in front of them.
        let afterWord = zip(zip(bigrams, boundary.words), held.words).map { ($0.0 & ~$0.1) | $1 }
        var candidates = [UInt8](repeating: 0, count: 2 << 16)
        for (index, word) in (bigrams + afterWord).enumerated() where word != 0 {
            var bits = word
            while bits != 0 {
                candidates[index << 6 | bits.trailingZeroBitCount] = 1
                bits &= bits &- 1
            }
        }
        self.candidates = candidates
        heldBigrams = held.words
    }

    /// Whether a detector is on in this table's direction.
    @inline(__always)
    func isOn(_ detector: DetectorID) -> Bool { enabled & (1 << UInt64(detector.index)) != 0 }

    /// The longest distance before a trigger at which a match may start (an e-mail's
    /// local part, a base64 run's start).
    static let lookbehind = 64
}

/// A set of byte pairs as 65,536 bits.
struct BigramSet {
    var words = [UInt64](repeating: 0, count: 1024)

    mutating func insert(_ first: UInt8, _ second: UInt8) {
        let index = Int(first) << 8 | Int(second)
        words[index >> 6] |= 1 << UInt64(index & 63)
    }

    mutating func insert(_ pair: StaticString) {
        pair.withUTF8Buffer { insert($0[0], $0[1]) }
    }

    mutating func insertIgnoringCase(_ pair: StaticString) {
        pair.withUTF8Buffer { bytes in
            for first in [bytes[0] & ~0x20, bytes[0] | 0x20] {
                for second in [bytes[1] & ~0x20, bytes[1] | 0x20] { insert(first, second) }
            }
        }
    }

    mutating func insertFirst(_ first: UInt8) {
        for second in UInt8(0)...255 { insert(first, second) }
    }
}

extension UInt8 {
    /// Whether the byte is an ASCII letter or digit.
    @inline(__always)
    var isASCIILetterOrDigit: Bool { self &- 0x30 < 10 || (self | 0x20) &- 0x61 < 26 }
}

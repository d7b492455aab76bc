/// An incremental scanner for one message or stream: a state machine fed chunk by chunk
/// that releases every byte it has decided on, redactions applied, and holds back only
/// the bytes a match could still cover.
///
/// Detection runs over the decoded text. In `.json` mode, string escapes (`\u0041`,
/// `\/`, `\n`, surrogate pairs) are decoded while scanning, so an escaped secret is
/// found; its redaction replaces the whole escaped span in the raw bytes with
/// `[REDACTED:<detector>]`, which keeps a string valid (a match outside any string, such
/// as a card number written as a JSON number, becomes the quoted placeholder instead).
///
/// Memory: the scanner takes a chunk `options.sliceLength` bytes at a time and, after
/// each slice, keeps at most the undecided tail: bytes that a match starting before the
/// scan position could cover (up to `options.maximumMatchLength`), 64 bytes of context
/// behind it, and in `.json` mode the raw form of the same span. So its decoded text
/// stays below `sliceLength + maximumMatchLength + 64` bytes whatever the size of the
/// stream; in `.json` mode the raw input held with it is the current slice plus the raw
/// form of the held-back span (the same size for text without escapes, up to six times
/// for `\u` escapes), and the bookkeeping of that span: 32 bytes per escape and 8 per
/// quote that opens or closes a string (``bufferedBytes`` counts it). A detector that
/// needs more than `maximumMatchLength` bytes (a PEM key that long) is cut at that bound.
public struct StreamScanner: Sendable {
    /// How the bytes are read.
    public enum Mode: Sendable, Hashable {
        /// Text as it is.
        case plainText
        /// JSON text: escapes in strings are decoded before detection.
        case json
    }

    /// How the bytes are read.
    public let mode: Mode
    let table: DetectorTable

    /// Decoded text; `text[0]` is at decoded offset `textBase`.
    var text: [UInt8] = []
    var textBase = 0
    /// JSON only: raw input not yet released; `raw[0]` is at raw offset `rawBase`.
    var raw: [UInt8] = []
    var rawBase = 0
    /// JSON only: the raw offset of the next byte to decode.
    var rawDecoded = 0
    var escapes: [EscapeSpan] = []
    /// A pair of offsets known to correspond, before every escape in `escapes`.
    var anchorDecoded = 0
    var anchorRaw = 0
    var quotes = JSONCursor()
    /// JSON only: the raw offsets of the quotes that open or close strings (those no
    /// escape consumed), decoded but not yet passed by `quotes`.
    var stringQuotes: [Int] = []
    /// The decoded offset of the next candidate position.
    var scanned = 0
    /// The decoded and raw offsets up to which bytes were released.
    var released = 0
    var rawReleased = 0
    /// No match may start before this decoded offset.
    var lowerBound = 0
    var redactions: [Redaction] = []
    var finished = false
    /// The most bytes the scanner's buffers held at once.
    public private(set) var peakBufferedBytes = 0

    struct Redaction: Sendable {
        var rawStart: Int
        var rawEnd: Int
        var decodedEnd: Int
        var placeholder: [UInt8]
    }

    init(table: DetectorTable, mode: Mode) {
        self.table = table
        self.mode = mode
    }

    /// The direction the scanner's detectors act for.
    public var direction: Direction { table.direction }

    /// The bytes the scanner holds now: decoded text, raw input and held-back window, and
    /// in `.json` mode the bookkeeping of escapes and string quotes in them.
    public var bufferedBytes: Int {
        text.count + raw.count + escapes.count * MemoryLayout<EscapeSpan>.stride + stringQuotes.count
            * MemoryLayout<Int>.stride
    }

    /// Scans the next chunk of the stream.
    ///
    /// - Parameter chunk: The next bytes, of any length (empty is fine).
    /// - Returns: The bytes that are safe to send on now and the findings made.
    /// - Precondition: ``finish()`` was not called.
    public mutating func feed(_ chunk: some Collection<UInt8>) -> ScanOutput {
        precondition(!finished, "StreamScanner.feed after finish")
        if let output = chunk.withContiguousStorageIfAvailable({ feed(buffer: $0) }) { return output }
        return Array(chunk).withUnsafeBufferPointer { feed(buffer: $0) }
    }

    private mutating func feed(buffer chunk: UnsafeBufferPointer<UInt8>) -> ScanOutput {
        var output = ScanOutput()
        output.bytes.reserveCapacity(chunk.count + 64)
        var index = 0
        while index < chunk.count {
            let next = min(chunk.count, index + table.sliceLength)
            let slice = UnsafeBufferPointer(rebasing: chunk[index..<next])
            switch mode {
            case .plainText:
                text.append(contentsOf: slice)
            case .json:
                raw.append(contentsOf: slice)
                while decode(final: false) { process(final: false, into: &output) }
            }
            process(final: false, into: &output)
            index = next
        }
        return output
    }

    /// Ends the stream: decides on the held-back bytes and releases them.
    ///
    /// - Returns: The remaining bytes, redactions applied, and the last findings. Calling
    ///   it again returns nothing.
    public mutating func finish() -> ScanOutput {
        var output = ScanOutput()
        guard !finished else { return output }
        if mode == .json {
            while decode(final: true) { process(final: false, into: &output) }
        }
        process(final: true, into: &output)
        finished = true
        return output
    }

    // MARK: Scanning

    private mutating func process(final: Bool, into output: inout ScanOutput) {
        peakBufferedBytes = max(peakBufferedBytes, bufferedBytes)
        let hits = scan(final: final)
        for hit in hits { record(hit, into: &output) }
        release(final: final, into: &output)
    }

    /// Runs the detectors from `scanned` as far as the bytes allow.
    private mutating func scan(final: Bool) -> [Hit] {
        let base = textBase
        var position = scanned - base
        var bound = lowerBound - base
        var hits: [Hit] = []
        let table = self.table
        text.withUnsafeBufferPointer { text in
            table.bigrams.withUnsafeBufferPointer { bits in
                table.candidates.withUnsafeBufferPointer { candidates in
                    DetectorTable.alphanumeric.withUnsafeBufferPointer { alphanumeric in
                        let count = text.count
                        guard let bytes = text.baseAddress, let candidates = candidates.baseAddress,
                            let alphanumeric = alphanumeric.baseAddress
                        else { return }
                        var input = MatchInput(bytes: text, final: final, table: table)
                        scanning: while true {
                            position = StreamScanner.nextCandidate(
                                bytes, from: position, count: count, candidates: candidates,
                                alphanumeric: alphanumeric)
                            if position + 1 >= count {
                                guard final, position < count else { break scanning }
                                if bits[Int(text[position]) << 2] & 1 == 0 {
                                    position += 1
                                    break scanning
                                }
                            }
                            // `:` and `=` matter only after a keyword: reject the rest here.
                            let first = bytes[position]
                            if first == 0x3A || first == 0x3D, !StreamScanner.mayFollowKeyword(bytes, position) {
                                position += 1
                                continue
                            }
                            input.lowerBound = bound
                            input.starved = false
                            let outcome = input.examine(at: position)
                            if input.starved { break scanning }
                            switch outcome {
                            case .hit(let hit):
                                hits.append(Hit(detector: hit.detector, start: base + hit.start, end: base + hit.end))
                                bound = hit.end
                                position = min(max(hit.end, position + 1), count)
                            case .skip(let next):
                                position = min(max(next, position + 1), count)
                            }
                        }
                    }
                }
            }
        }
        scanned = base + position
        lowerBound = max(lowerBound, base + bound)
        return hits
    }

    /// The first position from `start` where an anchor may begin: the pair of bytes
    /// there is in the bigram table (and, for anchors that start a word, the byte before
    /// is not a letter or digit); `count - 1` when there is none.
    @inline(__always)
    private static func nextCandidate(
        _ text: UnsafePointer<UInt8>, from start: Int, count: Int, candidates: UnsafePointer<UInt8>,
        alphanumeric: UnsafePointer<UInt8>
    ) -> Int {
        var position = start
        guard position &+ 1 < count else { return position }
        var previous = position == 0 ? 0 : Int(alphanumeric[Int(text[position &- 1])])
        // Four positions at a time while none of them is a candidate.
        while position &+ 4 < count {
            let bytes = text + position
            let c0 = Int(bytes[0])
            let c1 = Int(bytes[1])
            let c2 = Int(bytes[2])
            let c3 = Int(bytes[3])
            let c4 = Int(bytes[4])
            let i0 = previous &<< 16 | c0 &<< 8 | c1
            let i1 = Int(alphanumeric[c0]) &<< 16 | c1 &<< 8 | c2
            let i2 = Int(alphanumeric[c1]) &<< 16 | c2 &<< 8 | c3
            let i3 = Int(alphanumeric[c2]) &<< 16 | c3 &<< 8 | c4
            if candidates[i0] | candidates[i1] | candidates[i2] | candidates[i3] != 0 { break }
            previous = Int(alphanumeric[c3])
            position &+= 4
        }
        var current = Int(text[position])
        while position &+ 1 < count {
            let next = Int(text[position &+ 1])
            let index = previous &<< 16 | current &<< 8 | next
            if candidates[index] != 0 { return position }
            previous = Int(alphanumeric[current])
            current = next
            position &+= 1
        }
        return position
    }

    /// Whether the `:` or `=` at `position` may follow a secret keyword: after up to
    /// three spaces and a quote, the byte before is `d`, `t`, `n`, `y` or `l` (the last
    /// letters of `password`, `secret`, `token`, `api_key`, `credential`, ...), as
    /// `MatchInput.keywordSecret` requires.
    @inline(__always)
    private static func mayFollowKeyword(_ text: UnsafePointer<UInt8>, _ position: Int) -> Bool {
        var back = position &- 1
        var spaces = 0
        while spaces < 3, back >= 0, text[back] == 0x20 {
            back &-= 1
            spaces &+= 1
        }
        if back >= 0, text[back] == 0x22 || text[back] == 0x27 { back &-= 1 }
        guard back >= 0 else { return false }
        switch text[back] | 0x20 {
        case 0x64, 0x74, 0x6E, 0x79, 0x6C: return true
        default: return false
        }
    }

    private mutating func record(_ hit: Hit, into output: inout ScanOutput) {
        guard let action = table.actions[hit.detector.index] else { return }
        let fingerprint =
            hit.detector == .heldToken
            ? "" : table.fingerprinter.fingerprint(text[(hit.start - textBase)..<(hit.end - textBase)])
        var rawStart = rawStart(ofDecoded: hit.start)
        var rawEnd = rawEnd(ofDecoded: hit.end)
        var path: String?
        if mode == .json {
            advanceCursor(to: rawStart)
            path = quotes.path
        }
        output.findings.append(
            Finding(
                detector: hit.detector,
                location: Finding.Location(byteOffset: rawStart, byteLength: rawEnd - rawStart, jsonPath: path),
                direction: table.direction, fingerprint: fingerprint, action: action))
        guard action == .redact else { return }
        var placeholder = table.placeholders[hit.detector.index]
        var decodedEnd = hit.end
        if mode == .json {
            let rawBase = self.rawBase
            if !quotes.inString {
                // A number outside any string: replace the whole number by a string.
                func isNumberByte(_ byte: UInt8) -> Bool {
                    (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                        || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e")
                }
                while rawStart > max(rawReleased, redactions.last?.rawEnd ?? rawReleased),
                    isNumberByte(raw[rawStart - 1 - rawBase])
                {
                    rawStart -= 1
                }
                while rawEnd < rawDecoded, isNumberByte(raw[rawEnd - rawBase]) {
                    rawEnd += 1
                    decodedEnd += 1
                }
                placeholder = [UInt8(ascii: "\"")] + placeholder + [UInt8(ascii: "\"")]
            }
        }
        redactions.append(
            Redaction(rawStart: rawStart, rawEnd: rawEnd, decodedEnd: decodedEnd, placeholder: placeholder))
        lowerBound = max(lowerBound, decodedEnd)
    }

    // MARK: Releasing

    private mutating func release(final: Bool, into output: inout ScanOutput) {
        var boundary = final ? textBase + text.count : max(released, scanned - DetectorTable.lookbehind)
        for redaction in redactions
        where redaction.decodedEnd > boundary && rawStart(ofDecoded: boundary) > redaction.rawStart {
            boundary = redaction.decodedEnd
        }
        guard boundary > released || final else { return }
        let rawBoundary: Int
        switch mode {
        case .plainText: rawBoundary = boundary
        case .json: rawBoundary = final ? rawBase + raw.count : rawStart(ofDecoded: boundary)
        }
        let sourceBase = mode == .json ? rawBase : textBase
        var cursor = rawReleased
        var kept: [Redaction] = []
        func copy(_ source: [UInt8], _ from: Int, _ to: Int) {
            if to > from { output.bytes.append(contentsOf: source[(from - sourceBase)..<(to - sourceBase)]) }
        }
        let source = mode == .json ? raw : text
        for redaction in redactions {
            guard redaction.rawStart < rawBoundary else {
                kept.append(redaction)
                continue
            }
            copy(source, cursor, redaction.rawStart)
            output.bytes.append(contentsOf: redaction.placeholder)
            cursor = redaction.rawEnd
        }
        copy(source, cursor, max(cursor, rawBoundary))
        redactions = kept
        released = max(released, boundary)
        rawReleased = max(cursor, rawBoundary)
        lowerBound = max(lowerBound, released)
        trim()
    }

    /// Moves the JSON cursor to the raw offset `target` (at most `rawDecoded`).
    private mutating func advanceCursor(to target: Int) {
        let rawBase = self.rawBase
        var quotes = self.quotes
        let passed = raw.withUnsafeBufferPointer { raw in
            stringQuotes.withUnsafeBufferPointer { quotes.advance(raw, base: rawBase, to: target, stringQuotes: $0) }
        }
        self.quotes = quotes
        if passed > 0 { stringQuotes.removeFirst(passed) }
    }

    private mutating func trim() {
        let keepFrom = released - DetectorTable.lookbehind
        if keepFrom > textBase {
            text.removeFirst(keepFrom - textBase)
            textBase = keepFrom
        }
        guard mode == .json else { return }
        advanceCursor(to: rawReleased)
        if rawReleased > rawBase {
            raw.removeFirst(rawReleased - rawBase)
            self.rawBase = rawReleased
        }
        var dropped = 0
        while dropped < escapes.count, escapes[dropped].decodedEnd <= textBase {
            anchorDecoded = escapes[dropped].decodedEnd
            anchorRaw = escapes[dropped].rawEnd
            dropped += 1
        }
        if dropped > 0 { escapes.removeFirst(dropped) }
    }
}

/// A match: a detector and the span of decoded text it covers.
struct Hit: Sendable, Hashable {
    var detector: DetectorID
    var start: Int
    var end: Int
}

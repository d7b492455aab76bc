/// JSON mode: decoding the raw input into the text the detectors see, and mapping
/// offsets in that text back to the raw input.
extension StreamScanner {
    /// The most escapes and string quotes one round of decoding notes, so that text dense
    /// with them is scanned and released in rounds and their bookkeeping stays small.
    static let escapesPerRound = 512

    /// Decodes the raw input not yet decoded, or its part up to `escapesPerRound` escapes
    /// and quotes.
    ///
    /// - Returns: Whether it stopped at that bound with raw input left to decode.
    mutating func decode(final: Bool) -> Bool {
        var escapes = self.escapes
        self.escapes = []
        var stringQuotes = self.stringQuotes
        self.stringQuotes = []
        let rawBase = self.rawBase
        let first = rawDecoded - rawBase
        var position = first
        let decodedStart = textBase + text.count
        let simpleEscapes = JSONEscape.simple
        // Decoded text is never longer than the raw text it comes from: it is written in
        // place after the text already held, and the unused tail is cut afterwards.
        let held = text.count
        text.append(contentsOf: repeatElement(0, count: raw.count - first))
        var length = 0
        var stoppedEarly = false
        raw.withUnsafeBufferPointer { raw in
            text.withUnsafeMutableBufferPointer { output in
                guard let input = raw.baseAddress, let out = output.baseAddress.map({ $0 + held }) else { return }
                let count = raw.count
                // Escapes are gathered here and added to `escapes` a batch at a time.
                withUnsafeTemporaryAllocation(of: EscapeSpan.self, capacity: 64) { batch in
                    var batched = 0
                    var noted = 0
                    func note(_ escape: EscapeSpan) {
                        noted &+= 1
                        if batched == batch.count {
                            escapes.append(contentsOf: batch)
                            batched = 0
                        }
                        batch[batched] = escape
                        batched &+= 1
                    }
                    while position < count {
                        if noted >= Self.escapesPerRound {
                            stoppedEarly = true
                            break
                        }
                        // Eight bytes at a time up to the next backslash or quote. The lowest
                        // flagged byte of the mask is the first of them (the ones above it may
                        // be false).
                        // Writing all eight is safe: decoded text never outgrows the raw text.
                        while position &+ 8 <= count {
                            let word = UnsafeRawPointer(input + position).loadUnaligned(as: UInt64.self)
                            UnsafeMutableRawPointer(out + length).storeBytes(of: word, as: UInt64.self)
                            let backslashes = UInt64(littleEndian: word) ^ 0x5C5C_5C5C_5C5C_5C5C
                            let quotes = UInt64(littleEndian: word) ^ 0x2222_2222_2222_2222
                            let mask =
                                ((backslashes &- 0x0101_0101_0101_0101) & ~backslashes
                                    | (quotes &- 0x0101_0101_0101_0101) & ~quotes) & 0x8080_8080_8080_8080
                            if mask != 0 {
                                let prefix = mask.trailingZeroBitCount &>> 3
                                length &+= prefix
                                position &+= prefix
                                break
                            }
                            length &+= 8
                            position &+= 8
                        }
                        if position == count { break }
                        let byte = input[position]
                        if byte != 0x5C {
                            // A quote no escape consumed opens or closes a string.
                            if byte == 0x22 {
                                stringQuotes.append(rawBase + position)
                                noted &+= 1
                            }
                            out[length] = byte
                            length &+= 1
                            position &+= 1
                            continue
                        }
                        // The two-byte escapes, the common case, without the general decoder.
                        if position &+ 1 < count {
                            let simple = simpleEscapes[Int(input[position &+ 1])]
                            if simple != 0 {
                                note(
                                    EscapeSpan(
                                        decodedStart: decodedStart + length, decodedLength: 1,
                                        rawStart: rawBase + position, rawLength: 2))
                                out[length] = simple
                                length &+= 1
                                position &+= 2
                                continue
                            }
                        }
                        guard let escape = JSONEscape.decode(raw, at: position, final: final) else { break }
                        note(
                            EscapeSpan(
                                decodedStart: decodedStart + length, decodedLength: escape.count,
                                rawStart: rawBase + position, rawLength: escape.rawLength))
                        escape.write(to: out + length)
                        length += escape.count
                        position += escape.rawLength
                    }
                    escapes.append(contentsOf: UnsafeBufferPointer(rebasing: batch[0..<batched]))
                }
            }
        }
        text.removeLast(text.count - held - length)
        rawDecoded = rawBase + position
        self.escapes = escapes
        self.stringQuotes = stringQuotes
        return stoppedEarly
    }

    /// The raw offset of the decoded offset `decoded` (of the escape that produced it,
    /// when it is inside one).
    func rawStart(ofDecoded decoded: Int) -> Int {
        guard mode == .json else { return decoded }
        guard let escape = lastEscape(startingAtOrBefore: decoded) else {
            return anchorRaw + (decoded - anchorDecoded)
        }
        if decoded < escape.decodedEnd { return escape.rawStart }
        return escape.rawEnd + (decoded - escape.decodedEnd)
    }

    /// The raw offset just past the decoded byte before `decoded`.
    func rawEnd(ofDecoded decoded: Int) -> Int {
        guard mode == .json else { return decoded }
        let last = decoded - 1
        if let escape = lastEscape(startingAtOrBefore: last), last < escape.decodedEnd { return escape.rawEnd }
        return rawStart(ofDecoded: last) + 1
    }

    private func lastEscape(startingAtOrBefore decoded: Int) -> EscapeSpan? {
        var low = 0
        var high = escapes.count
        while low < high {
            let middle = (low + high) / 2
            if escapes[middle].decodedStart <= decoded { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : escapes[low - 1]
    }
}

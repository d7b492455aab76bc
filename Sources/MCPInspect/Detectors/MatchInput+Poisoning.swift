/// Validators of poisoning signals: instructions aimed at the model, secret paths,
/// invisible Unicode, control characters, exfiltrating markdown and base64 blobs.
extension MatchInput {
    mutating func instructionTag(_ index: Int) -> Hit? {
        guard table.isOn(.instructionTag) else { return nil }
        var position = index + 1
        if at(position) == 0x2F { position += 1 }
        let nameStart = position
        let nameEnd = run(from: nameStart, limit: 16) { isLetter($0) || $0 == 0x5F || $0 == 0x2D }
        let close = at(nameEnd)
        guard close == 0x3E || close == 0x20 else { return nil }
        for name in MatchInput.instructionTagNames where name.utf8CodeUnitCount == nameEnd - nameStart {
            if matches(name, at: nameStart, ignoringCase: true) { return hit(.instructionTag, index, nameEnd + 1) }
        }
        return nil
    }

    /// The end of one of `words` at `index` (without case), or `nil`.
    private mutating func word(_ words: [StaticString], at index: Int) -> Int? {
        let first = lower(at(index))
        for word in words where Int(word.utf8Start[0]) == first && matches(word, at: index, ignoringCase: true) {
            let end = index + word.utf8CodeUnitCount
            if !isLetter(at(end)) { return end }
        }
        return nil
    }

    mutating func phrase(_ index: Int) -> Hit? {
        guard table.isOn(.instructionPhrase), !isLetter(behind(index - 1)) else { return nil }
        // The third letter rejects most words quickly: ign, for, dis, do(n| ), bef.
        let third = lower(at(index + 2))
        switch lower(Int(bytes[index])) {
        case 0x69 where third == 0x6E, 0x66 where third == 0x72, 0x62 where third == 0x66: break
        case 0x64 where third == 0x73 || third == 0x6E || third == 0x20 || third == 0x27: break
        default: return nil
        }
        switch lower(Int(bytes[index])) {
        case 0x69, 0x66, 0x64:  // ignore, forget, disregard, do not
            if let verb = word(MatchInput.overrideVerbs, at: index), at(verb) == 0x20 {
                var position = verb + 1
                if let filler = word(MatchInput.fillerWords, at: position), at(filler) == 0x20 { position = filler + 1 }
                if let end = word(MatchInput.priorWords, at: position) {
                    return hit(.instructionPhrase, index, end)
                }
                return nil
            }
            if let negation = word(MatchInput.negations, at: index), at(negation) == 0x20,
                let end = word(MatchInput.concealVerbs, at: negation + 1)
            {
                return hit(.instructionPhrase, index, end)
            }
            return nil
        case 0x62:  // before using ... tool
            guard matches("before using ", at: index, ignoringCase: true) else { return nil }
            var position = index + 13
            while position < index + 48 {
                let byte = at(position)
                if byte < 0 || byte == 0x2E || byte == 0x0A { return nil }
                if lower(byte) == 0x74, matches("tool", at: position, ignoringCase: true) {
                    return hit(.instructionPhrase, index, position + 4)
                }
                position += 1
            }
            return nil
        default:
            return nil
        }
    }

    mutating func secretPath(_ index: Int) -> Hit? {
        guard table.isOn(.secretPath), !isAlnum(behind(index - 1)) else { return nil }
        let byte = Int(bytes[index])
        var end: Int?
        switch byte {
        case 0x7E:  // ~/.
            guard matches("~/.", at: index) else { return nil }
            end = word(MatchInput.homeSecretDirectories, at: index + 3)
        case 0x2E:
            if matches(".env", at: index) {
                let next = at(index + 4)
                end = isAlnum(next) || next == 0x5F ? nil : index + 4
            } else if matches(".aws/credentials", at: index) {
                end = index + 16
            } else {
                end = word(MatchInput.dotSecretFiles, at: index)
            }
        case 0x69:
            guard at(index + 2) == 0x5F else { return nil }  // id_
            end = word(MatchInput.keyFiles, at: index)
            if let found = end, matches(".pub", at: found) { end = nil }
        case 0x6D:
            guard at(index + 2) == 0x70 else { return nil }  // mcp
            end = word(MatchInput.mcpConfigFiles, at: index)
        default:
            break
        }
        guard let end, !isAlnum(at(end)) else { return nil }
        return hit(.secretPath, index, end)
    }

    /// The length of an invisible character at `index`, or 0.
    private mutating func invisibleLength(_ index: Int) -> Int {
        let length = invisibleSequenceLength(index)
        // Every continuation byte must be there: text cut short (or not UTF-8) is no match.
        for offset in 1..<max(length, 1) where !(0x80...0xBF).contains(at(index + offset)) { return 0 }
        return length
    }

    private mutating func invisibleSequenceLength(_ index: Int) -> Int {
        let first = at(index)
        switch first {
        case 0xE2:
            let second = at(index + 1)
            let third = at(index + 2)
            if second == 0x80, (0x8B...0x8D).contains(third) || (0xAA...0xAE).contains(third) { return 3 }
            if second == 0x81, third == 0xA0 || (0xA6...0xA9).contains(third) { return 3 }
            return 0
        case 0xEE:
            return (0x80...0xBF).contains(at(index + 1)) ? 3 : 0
        case 0xEF:
            let second = at(index + 1)
            if second == 0xBB { return at(index + 2) == 0xBF ? 3 : 0 }
            return (0x80...0xA3).contains(second) ? 3 : 0
        case 0xF3:
            let second = at(index + 1)
            if second == 0xA0 { return (0x80...0x81).contains(at(index + 2)) ? 4 : 0 }
            return (0xB0...0xBF).contains(second) ? 4 : 0
        case 0xF4:
            return (0x80...0x8F).contains(at(index + 1)) ? 4 : 0
        default:
            return 0
        }
    }

    private func isTag(_ index: Int) -> Bool {
        index + 3 < count && bytes[index] == 0xF3 && bytes[index + 1] == 0xA0
            && (0x80...0x81).contains(bytes[index + 2])
    }

    mutating func invisible(_ index: Int, skip: inout Int) -> Hit? {
        guard table.isOn(.invisibleUnicode) else { return nil }
        guard invisibleLength(index) > 0 else { return nil }
        if isTag(index) {
            // An emoji tag sequence: black flag, tags U+E0020-E007E, cancel tag U+E007F.
            var end = index
            while end - index < 4096, invisibleLength(end) == 4, isTag(end) { end += 4 }
            if starved { return nil }
            let flag =
                behind(index - 4) == 0xF0 && behind(index - 3) == 0x9F && behind(index - 2) == 0x8F
                && behind(index - 1) == 0xB4
            if flag, end - index >= 8, bytes[end - 2] == 0x81, bytes[end - 1] == 0xBF {
                skip = end
                return nil
            }
        }
        // A zero-width joiner between two emoji belongs to the emoji sequence.
        if bytes[index] == 0xE2, at(index + 1) == 0x80, at(index + 2) == 0x8D {
            let afterEmoji =
                behind(index - 4) == 0xF0
                || (behind(index - 3) == 0xEF && behind(index - 2) == 0xB8 && behind(index - 1) == 0x8F)
            if afterEmoji, at(index + 3) == 0xF0 {
                skip = index + 3
                return nil
            }
            if starved { return nil }
        }
        var end = index
        while end - index < 4096 {
            let length = invisibleLength(end)
            if length == 0 { break }
            end += length
        }
        if starved { return nil }
        return hit(.invisibleUnicode, index, end)
    }

    /// A run of control characters and escape sequences, as one match (so that a run
    /// of them becomes one placeholder), up to 4 KiB.
    mutating func controlCharacter(_ index: Int) -> Hit? {
        guard table.isOn(.controlCharacter) else { return nil }
        var end = index
        while end - index < 4096 {
            let length = controlLength(end)
            if starved { return nil }
            if length == 0 { break }
            end += length
        }
        return end > index ? hit(.controlCharacter, index, end) : nil
    }

    /// The length of the control character or escape sequence at `index`, or 0.
    private mutating func controlLength(_ index: Int) -> Int {
        let byte = at(index)
        switch byte {
        case 0xC2:
            return (0x80...0x9F).contains(at(index + 1)) ? 2 : 0
        case 0x1B:
            break
        case 0x00...0x08, 0x0B, 0x0C, 0x0E...0x1F, 0x7F:
            return 1
        default:
            return 0
        }
        let kind = at(index + 1)
        switch kind {
        case 0x5B:  // CSI: parameters, intermediates, a final byte
            var end = run(from: index + 2, limit: 32) { (0x30...0x3F).contains($0) }
            end = run(from: end, limit: 8) { (0x20...0x2F).contains($0) }
            return (0x40...0x7E).contains(at(end)) ? end + 1 - index : end - index
        case 0x5D:  // OSC, up to BEL or ESC backslash
            var position = index + 2
            while position - index < 512 {
                let next = at(position)
                if next < 0 || next == 0x07 { break }
                if next == 0x1B, at(position + 1) == 0x5C {
                    position += 1
                    break
                }
                position += 1
            }
            return min(position + 1, count) - index
        case 0x40...0x5F:
            return 2
        default:
            return 1
        }
    }

    mutating func markdownLink(_ index: Int) -> Hit? {
        guard table.isOn(.markdownExfiltration), at(index + 1) == 0x28 else { return nil }
        var start = index + 2
        if at(start) == 0x3C { start += 1 }
        let end = run(from: start, limit: 2048) { $0 > 0x20 && $0 != 0x29 && $0 != 0x22 && $0 != 0x3E }
        if starved { return nil }
        var hostStart = start
        if matches("https://", at: start, ignoringCase: true) {
            hostStart += 8
        } else if matches("http://", at: start, ignoringCase: true) {
            hostStart += 7
        } else {
            return nil
        }
        var hostEnd = hostStart
        while hostEnd < end, ![0x2F, 0x3F, 0x23, 0x3A].contains(bytes[hostEnd]) { hostEnd += 1 }
        let host = bytes[hostStart..<hostEnd].map { UInt8(lower(Int($0))) }
        if !table.allowedDomains.isEmpty, !table.allowedDomains.contains(where: { domainAllows($0, host) }) {
            return hit(.markdownExfiltration, start, end)
        }
        guard let query = bytes[hostEnd..<end].firstIndex(of: 0x3F) else { return nil }
        var valueStart = query + 1
        var position = query + 1
        while position <= end {
            let byte = position < end ? bytes[position] : 0x26
            if byte == 0x3D {
                valueStart = position + 1
            } else if byte == 0x26 || byte == 0x23 {
                if position - valueStart >= table.minimumQueryValueLength {
                    return hit(.markdownExfiltration, start, end)
                }
                if byte == 0x23 { break }
                valueStart = position + 1
            }
            position += 1
        }
        return nil
    }

    private func domainAllows(_ domain: [UInt8], _ host: [UInt8]) -> Bool {
        if host == domain { return true }
        return host.count > domain.count && host.suffix(domain.count).elementsEqual(domain)
            && host[host.count - domain.count - 1] == 0x2E
    }

    mutating func base64Blob(_ index: Int, skip: inout Int) -> Hit? {
        guard table.isOn(.base64Blob) else { return nil }
        var start = index
        while index - start < DetectorTable.lookbehind, isBase64(behind(start - 1)) { start -= 1 }
        var lower = false
        var upper = false
        var digit = false
        let limit = table.maximumMatchLength - (index - start)
        var end = run(from: start, limit: limit) { byte in
            if isLower(byte) {
                lower = true
            } else if isUpper(byte) {
                upper = true
            } else if isDigit(byte) {
                digit = true
            }
            return isBase64(byte)
        }
        if starved { return nil }
        var padding = 0
        while padding < 2, at(end) == 0x3D {
            end += 1
            padding += 1
        }
        if starved { return nil }
        if end - start >= table.minimumBase64Length, lower, upper, digit {
            return hit(.base64Blob, start, end)
        }
        // Nothing inside this run of letters and digits starts another match.
        var alphanumericEnd = index
        while alphanumericEnd < end, isAlnum(Int(bytes[alphanumericEnd])) { alphanumericEnd += 1 }
        skip = alphanumericEnd
        return nil
    }
}

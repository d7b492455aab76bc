/// Validators of personal data: e-mail addresses at their `@`, and the numbers (card,
/// phone, IBAN, SSN) at the start of a run of digits.
extension MatchInput {
    mutating func email(_ index: Int) -> Hit? {
        guard table.isOn(.email) else { return nil }
        var back = index - 1
        while index - back <= 64, back >= lowerBound, isEmailLocal(behind(back)) { back -= 1 }
        let localStart = back + 1
        guard localStart < index, behind(localStart) != 0x2E else { return nil }
        var position = index + 1
        var lastDot = -1
        var labelLength = 0
        while position - index <= 253 {
            let byte = at(position)
            if isAlnum(byte) || byte == 0x2D {
                labelLength += 1
            } else if byte == 0x2E, labelLength > 0 {
                // A dot ends the domain unless a label follows it.
                let following = at(position + 1)
                if !isAlnum(following) { break }
                lastDot = position
                labelLength = 0
            } else {
                break
            }
            position += 1
        }
        if starved { return nil }
        guard lastDot > index + 1 else { return nil }
        let tld = UnsafeBufferPointer(rebasing: bytes[(lastDot + 1)..<position])
        guard tld.count >= 2, tld.allSatisfy({ isLetter(Int($0)) }) else { return nil }
        guard !isImageExtension(tld) else { return nil }
        return hit(.email, localStart, position)
    }

    /// Whether a would-be top-level domain is an image file extension (`icon@2x.png`).
    private func isImageExtension(_ tld: UnsafeBufferPointer<UInt8>) -> Bool {
        var key = 0
        for byte in tld.prefix(5) { key = key << 8 | lower(Int(byte)) }
        guard tld.count <= 4 else { return false }
        // png, jpg, jpeg, gif, svg, webp
        switch key {
        case 0x70_6E67, 0x6A_7067, 0x6A70_6567, 0x67_6966, 0x73_7667, 0x7765_6270: return true
        default: return false
        }
    }

    private func isEmailLocal(_ byte: Int) -> Bool {
        isAlnum(byte) || byte == 0x2E || byte == 0x5F || byte == 0x25 || byte == 0x2B || byte == 0x2D
    }

    /// What the validators need of a run of digits separated by single spaces, dashes
    /// or dots, gathered in one pass without allocating.
    private struct DigitGroups {
        var groups = 0
        /// The group lengths as digits in base 32, first group first.
        var shape = 0
        var firstSeparator = 0
        var uniformSeparator = true
        var end = 0
        var total = 0
        /// The first four digits as a number.
        var prefix = 0
        /// The values of the first three groups.
        var values = (0, 0, 0)
        /// Luhn sums doubling the digits at even and at odd positions from the left.
        var luhnEven = 0
        var luhnOdd = 0

        var passesLuhn: Bool { (total % 2 == 0 ? luhnEven : luhnOdd) % 10 == 0 }

        static func shape(_ lengths: Int...) -> Int { lengths.reduce(0) { $0 * 32 + $1 } }
    }

    private mutating func digitGroups(_ index: Int) -> DigitGroups {
        var groups = DigitGroups()
        var position = index
        while groups.groups < 8 {
            let end = run(from: position, limit: 20, isDigit)
            for offset in position..<end {
                let digit = Int(bytes[offset]) - 0x30
                let doubled = digit * 2 > 9 ? digit * 2 - 9 : digit * 2
                if groups.total % 2 == 0 {
                    groups.luhnEven += doubled
                    groups.luhnOdd += digit
                } else {
                    groups.luhnEven += digit
                    groups.luhnOdd += doubled
                }
                if groups.total < 4 { groups.prefix = groups.prefix * 10 + digit }
                switch groups.groups {
                case 0: groups.values.0 = min(groups.values.0 * 10 + digit, 1 << 40)
                case 1: groups.values.1 = min(groups.values.1 * 10 + digit, 1 << 40)
                case 2: groups.values.2 = min(groups.values.2 * 10 + digit, 1 << 40)
                default: break
                }
                groups.total += 1
            }
            groups.shape = groups.shape * 32 + (end - position)
            groups.groups += 1
            groups.end = end
            let separator = at(end)
            guard separator == 0x20 || separator == 0x2D || separator == 0x2E, isDigit(at(end + 1)) else { break }
            if groups.groups == 1 {
                groups.firstSeparator = separator
            } else if separator != groups.firstSeparator {
                groups.uniformSeparator = false
            }
            position = end + 1
        }
        return groups
    }

    mutating func digitRun(_ index: Int, skip: inout Int) -> Hit? {
        let previous = behind(index - 1)
        // The end of this run of digits: nothing inside it starts a match.
        var end = index
        while end < count, isDigit(Int(bytes[end])) { end += 1 }
        skip = end
        guard !isAlnum(previous), previous != 0x2E, previous != 0x2D || !isDigit(behind(index - 2)) else { return nil }
        if previous == 0x28, table.isOn(.phoneNumber), let found = parenthesizedPhone(index) { return found }
        if starved { return nil }
        // Every number here has at least eight digits: count them before anything else.
        var digits = 0
        var position = index
        while position - index < 48 {
            let byte = at(position)
            if isDigit(byte) {
                digits += 1
            } else if !(byte == 0x20 || byte == 0x2D || byte == 0x2E) || !isDigit(at(position + 1)) {
                break
            }
            position += 1
        }
        if starved || digits < 8 { return nil }
        let groups = digitGroups(index)
        if starved { return nil }
        // A run followed by a letter or digit is part of a word.
        let last = groups.end
        guard !isAlnum(at(last)) else { return nil }
        if starved { return nil }
        let total = groups.total
        if previous == 0x2B, table.isOn(.phoneNumber), total >= 8, total <= 15,
            groups.uniformSeparator || groups.firstSeparator != 0x2E
        {
            return hit(.phoneNumber, index - 1, last)
        }
        if table.isOn(.usSSN), groups.shape == DigitGroups.shape(3, 2, 4), groups.uniformSeparator,
            groups.firstSeparator == 0x2D,
            isValidSSN(area: groups.values.0, group: groups.values.1, serial: groups.values.2)
        {
            return hit(.usSSN, index, last)
        }
        if table.isOn(.phoneNumber), groups.shape == DigitGroups.shape(3, 3, 4), groups.uniformSeparator,
            groups.firstSeparator != 0x20, groups.prefix >= 2000
        {
            return hit(.phoneNumber, index, last)
        }
        if table.isOn(.cardNumber), total >= 13, total <= 19,
            groups.groups == 1 || (groups.uniformSeparator && groups.firstSeparator != 0x2E),
            isKnownIssuer(prefix: groups.prefix, length: total), groups.passesLuhn
        {
            return hit(.cardNumber, index, last)
        }
        return nil
    }

    private mutating func parenthesizedPhone(_ index: Int) -> Hit? {
        guard isDigit(at(index + 2)), at(index + 3) == 0x29, at(index) >= 0x32 else { return nil }
        var position = index + 4
        if at(position) == 0x20 { position += 1 }
        let first = run(from: position, limit: 4, isDigit)
        guard first - position == 3, at(first) == 0x2D || at(first) == 0x2E || at(first) == 0x20 else { return nil }
        let second = run(from: first + 1, limit: 5, isDigit)
        guard second - first - 1 == 4, !isAlnum(at(second)) else { return nil }
        return hit(.phoneNumber, index - 1, second)
    }

    /// An IBAN whose country code starts at `start`, checked at the second letter.
    mutating func iban(_ start: Int) -> Hit? {
        guard table.isOn(.iban), isUpper(behind(start)), !isAlnum(behind(start - 1)), isDigit(at(start + 2)),
            isDigit(at(start + 3))
        else { return nil }
        var characters: [UInt8] = []
        var ends: [(length: Int, end: Int)] = []
        var position = start
        while characters.count < 34 {
            let byte = at(position)
            if isUpper(byte) || isDigit(byte) {
                characters.append(UInt8(byte))
                position += 1
                continue
            }
            ends.append((characters.count, position))
            guard byte == 0x20, isUpper(at(position + 1)) || isDigit(at(position + 1)) else { break }
            position += 1
        }
        if characters.count == 34 { ends.append((34, position)) }
        if starved { return nil }
        for candidate in ends.reversed() where candidate.length >= 15 {
            if !isAlnum(at(candidate.end)), passesMod97(characters[0..<candidate.length]) {
                return hit(.iban, start, candidate.end)
            }
        }
        return nil
    }
}

/// Whether a card number starts like one of a known issuer (Visa, Mastercard, American
/// Express, Discover, JCB, Diners Club, UnionPay) and has a length that issuer uses.
///
/// - Parameters:
///   - prefix: The first four digits as a number.
///   - length: The number of digits.
func isKnownIssuer(prefix: Int, length: Int) -> Bool {
    let two = prefix / 100
    switch prefix / 1000 {
    case 4: return length == 13 || length == 16 || length == 19
    case 5: return (51...55).contains(two) && length == 16
    case 2: return (2221...2720).contains(prefix) && length == 16
    case 3:
        if two == 34 || two == 37 { return length == 15 }
        if two == 35 { return length >= 16 }
        return (two == 36 || two == 38 || two == 30) && length >= 14
    case 6: return (prefix == 6011 || two == 65 || two == 62) && length >= 16
    default: return false
    }
}

/// Whether a US social security number is in the ranges that are issued: area not 000,
/// 666 or 900-999, group not 00, serial not 0000.
func isValidSSN(area: Int, group: Int, serial: Int) -> Bool {
    area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
}

/// The IBAN check (ISO 13616): the first four characters moved to the end, letters as
/// 10 to 35, the number modulo 97 is 1.
func passesMod97(_ characters: ArraySlice<UInt8>) -> Bool {
    guard characters.count >= 5 else { return false }
    let start = characters.startIndex
    let rearranged = characters[(start + 4)...] + characters[start..<(start + 4)]
    var remainder = 0
    for character in rearranged {
        if character >= 0x30, character <= 0x39 {
            remainder = (remainder * 10 + Int(character - 0x30)) % 97
        } else {
            remainder = (remainder * 100 + Int(character - 0x41 + 10)) % 97
        }
    }
    return remainder == 1
}

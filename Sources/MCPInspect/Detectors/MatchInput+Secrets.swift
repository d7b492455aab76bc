#if canImport(Glibc)
    internal import Glibc
#elseif canImport(Darwin)
    internal import Darwin
#endif

/// Validators of credentials: each starts at its literal anchor and checks the shape
/// of what follows; every token must start after a byte that is not a letter or digit.
extension MatchInput {
    mutating func awsAccessKeyID(_ index: Int) -> Hit? {
        guard table.isOn(.awsAccessKeyID), !isAlnum(behind(index - 1)) else { return nil }
        var prefixed = false
        for prefix in MatchInput.awsPrefixes where matches(prefix, at: index) {
            prefixed = true
            break
        }
        guard prefixed else { return nil }
        let end = run(from: index + 4, limit: 16) { isUpper($0) || isDigit($0) }
        guard end == index + 20, !isAlnum(at(end)) else { return nil }
        return hit(.awsAccessKeyID, index, end)
    }

    mutating func googleAPIKey(_ index: Int) -> Hit? {
        guard table.isOn(.googleAPIKey), !isAlnum(behind(index - 1)), matches("AIza", at: index) else { return nil }
        let end = run(from: index + 4, limit: 35, isWord)
        guard end == index + 39, !isWord(at(end)) else { return nil }
        return hit(.googleAPIKey, index, end)
    }

    mutating func githubToken(_ index: Int) -> Hit? {
        guard table.isOn(.githubToken), !isAlnum(behind(index - 1)) else { return nil }
        if matches("github_pat_", at: index) {
            let end = run(from: index + 11, limit: 255) { isAlnum($0) || $0 == 0x5F }
            return end - index - 11 >= 22 ? hit(.githubToken, index, end) : nil
        }
        guard at(index + 1) == 0x68, isGitHubKind(at(index + 2)), at(index + 3) == 0x5F
        else { return nil }
        let end = run(from: index + 4, limit: 255, isAlnum)
        guard end - index - 4 >= 36, !isWord(at(end)) else { return nil }
        return hit(.githubToken, index, end)
    }

    mutating func gitlabToken(_ index: Int) -> Hit? {
        guard table.isOn(.gitlabToken), !isAlnum(behind(index - 1)), matches("glpat-", at: index) else { return nil }
        let end = run(from: index + 6, limit: 255, isWord)
        return end - index - 6 >= 20 ? hit(.gitlabToken, index, end) : nil
    }

    mutating func slackToken(_ index: Int) -> Hit? {
        guard table.isOn(.slackToken), !isAlnum(behind(index - 1)), matches("xox", at: index),
            isSlackKind(at(index + 3)), at(index + 4) == 0x2D
        else { return nil }
        var digits = 0
        let end = run(from: index + 5, limit: 255) { byte in
            if isDigit(byte) { digits += 1 }
            return isAlnum(byte) || byte == 0x2D
        }
        return end - index - 5 >= 10 && digits > 0 ? hit(.slackToken, index, end) : nil
    }

    mutating func stripeKey(_ index: Int) -> Hit? {
        guard table.isOn(.stripeKey), !isAlnum(behind(index - 1)), at(index + 1) == 0x6B, at(index + 2) == 0x5F,
            matches("live_", at: index + 3) || matches("test_", at: index + 3)
        else { return nil }
        let end = run(from: index + 8, limit: 255, isAlnum)
        return end - index - 8 >= 16 ? hit(.stripeKey, index, end) : nil
    }

    mutating func anthropicKey(_ index: Int) -> Hit? {
        guard table.isOn(.anthropicKey), !isAlnum(behind(index - 1)), matches("sk-ant-", at: index) else { return nil }
        let end = run(from: index + 7, limit: 255, isWord)
        return end - index - 7 >= 32 ? hit(.anthropicKey, index, end) : nil
    }

    mutating func openAIKey(_ index: Int) -> Hit? {
        guard table.isOn(.openAIKey), !isAlnum(behind(index - 1)), matches("sk-", at: index),
            !matches("sk-ant-", at: index)
        else { return nil }
        var digits = 0
        var letters = 0
        let end = run(from: index + 3, limit: 255) { byte in
            if isDigit(byte) { digits += 1 } else if isLetter(byte) { letters += 1 }
            return isWord(byte)
        }
        return end - index - 3 >= 32 && digits > 0 && letters > 0 ? hit(.openAIKey, index, end) : nil
    }

    mutating func jwt(_ index: Int) -> Hit? {
        guard table.isOn(.jwt), !isAlnum(behind(index - 1)), matches("eyJ", at: index) else { return nil }
        let limit = min(8192, table.maximumMatchLength)
        let header = run(from: index + 3, limit: limit, isWord)
        guard header - index >= 10, at(header) == 0x2E, matches("eyJ", at: header + 1) else { return nil }
        let payload = run(from: header + 4, limit: limit, isWord)
        guard payload - header >= 10 else { return nil }
        var end = payload
        if at(payload) == 0x2E { end = run(from: payload + 1, limit: limit, isWord) }
        return hit(.jwt, index, end)
    }

    mutating func privateKey(_ index: Int) -> Hit? {
        guard table.isOn(.privateKey), matches("-----BEGIN ", at: index) else { return nil }
        let labelEnd = run(from: index + 11, limit: 48) { isUpper($0) || isDigit($0) || $0 == 0x20 }
        guard labelEnd - index >= 22, matches("-----", at: labelEnd) else { return nil }
        // The label must end with "PRIVATE KEY".
        var label = index + 11
        var suffixMatches = false
        if labelEnd - 11 >= label {
            label = labelEnd - 11
            suffixMatches = matches("PRIVATE KEY", at: label)
        }
        guard suffixMatches else { return nil }
        let limit = index + table.maximumMatchLength
        var position = labelEnd + 5
        while position + 9 <= min(limit, count) {
            if bytes[position] == 0x2D, matches("-----END ", at: position) {
                let endLabel = run(from: position + 9, limit: 48) { isUpper($0) || isDigit($0) || $0 == 0x20 }
                if matches("-----", at: endLabel) { return hit(.privateKey, index, endLabel + 5) }
                if starved { return nil }
            }
            position += 1
        }
        if limit <= count { return hit(.privateKey, index, limit) }
        if final { return hit(.privateKey, index, count) }
        starved = true
        return nil
    }

    mutating func bearer(_ index: Int) -> Hit? {
        guard table.isOn(.bearerToken), !isAlnum(behind(index - 1)), matches("bearer ", at: index, ignoringCase: true)
        else { return nil }
        var digits = 0
        var end = run(from: index + 7, limit: 4096) { byte in
            if isDigit(byte) { digits += 1 }
            return isWord(byte) || byte == 0x2E || byte == 0x7E || byte == 0x2B || byte == 0x2F
        }
        guard end - index - 7 >= 16, digits > 0 else { return nil }
        while at(end) == 0x3D, end - index < 4096 { end += 1 }
        return hit(.bearerToken, index + 7, end)
    }

    /// A value assigned to a keyword such as `password` (`password=...`,
    /// `"client_secret": "..."`), at the `:` or `=`.
    mutating func keywordSecret(_ index: Int) -> Hit? {
        guard table.isOn(.genericSecret) || table.isOn(.awsSecretAccessKey) else { return nil }
        var back = index - 1
        var spaces = 0
        while spaces < 3, behind(back) == 0x20 {
            back -= 1
            spaces += 1
        }
        let quote = behind(back)
        if quote == 0x22 || quote == 0x27 { back -= 1 }
        let nameEnd = back + 1
        let keywords: [StaticString]
        // The last two letters first: d after r or w (password, passwd, pwd), et (secret),
        // en (token), ey (keys), al (credential).
        let penultimate = lower(behind(back - 1))
        switch lower(behind(back)) {
        case 0x64 where penultimate == 0x72 || penultimate == 0x77: break
        case 0x74 where penultimate == 0x65: break
        case 0x6E where penultimate == 0x65: break
        case 0x79 where penultimate == 0x65: break
        case 0x6C where penultimate == 0x61: break
        default: return nil
        }
        switch lower(behind(back)) {
        case 0x64: keywords = MatchInput.keywordsEndingInD  // password, passwd, pwd
        case 0x74: keywords = MatchInput.keywordsEndingInT  // secret
        case 0x6E: keywords = MatchInput.keywordsEndingInN  // token
        case 0x79: keywords = MatchInput.keywordsEndingInY  // api keys
        case 0x6C: keywords = MatchInput.keywordsEndingInL  // credential
        default: return nil
        }
        while nameEnd - back <= 40, isWord(behind(back)) || behind(back) == 0x2E { back -= 1 }
        let nameStart = back + 1
        guard nameEnd - nameStart >= 3 else { return nil }
        var keyword: StaticString?
        for candidate in keywords where candidate.utf8CodeUnitCount <= nameEnd - nameStart {
            if matches(candidate, at: nameEnd - candidate.utf8CodeUnitCount, ignoringCase: true) {
                keyword = candidate
                break
            }
        }
        guard let keyword else { return nil }
        // The value.
        var position = index + 1
        if bytes[index] == 0x3A, at(position) == 0x3D { position += 1 }
        if at(position) == 0x3D || at(position) == 0x3E { return nil }  // ==, =>
        var skipped = 0
        while skipped < 4, at(position) == 0x20 {
            position += 1
            skipped += 1
        }
        let opening = at(position)
        if opening == 0x22 || opening == 0x27 || opening == 0x60 { position += 1 }
        let start = position
        let end = run(from: start, limit: 256) { byte in
            isValueByte(byte)
        }
        if starved { return nil }
        let length = end - start
        guard length >= 8, !isPlaceholderStart(Int(bytes[start])) else { return nil }
        let value = UnsafeBufferPointer(rebasing: bytes[start..<end])
        let isAccessKey = keyword.utf8CodeUnitCount == 10 && matches("access_key", at: nameEnd - 10, ignoringCase: true)
        if isAccessKey, length == 40, table.isOn(.awsSecretAccessKey), value.allSatisfy({ isBase64(Int($0)) }) {
            return hit(.awsSecretAccessKey, start, end)
        }
        guard table.isOn(.genericSecret) else { return nil }
        var hasDigit = false
        var hasLetter = false
        for byte in value {
            if isDigit(Int(byte)) { hasDigit = true } else if isLetter(Int(byte)) { hasLetter = true }
        }
        guard hasDigit, hasLetter else { return nil }
        let required = length >= 16 ? table.minimumSecretEntropy : min(2.5, table.minimumSecretEntropy)
        guard shannonEntropy(value) >= required else { return nil }
        return hit(.genericSecret, start, end)
    }
}

/// A byte of a value assigned to a keyword: printable ASCII other than quotes,
/// delimiters and markup.
private func isValueByte(_ byte: Int) -> Bool {
    guard byte > 0x20, byte < 0x7F else { return false }
    switch byte {
    case 0x22, 0x27, 0x60, 0x2C, 0x3B, 0x7D, 0x5D, 0x29, 0x3C, 0x3E, 0x26, 0x5C: return false
    default: return true
    }
}

/// The first byte of a template or placeholder rather than a value (`${`, `{{`, `<`, `*`).
private func isPlaceholderStart(_ byte: Int) -> Bool {
    byte == 0x24 || byte == 0x7B || byte == 0x5B || byte == 0x3C || byte == 0x25 || byte == 0x28 || byte == 0x2A
}

/// `p`, `o`, `u`, `s` or `r`: the kinds of GitHub tokens.
private func isGitHubKind(_ byte: Int) -> Bool {
    byte == 0x70 || byte == 0x6F || byte == 0x75 || byte == 0x73 || byte == 0x72
}

/// `b`, `p`, `a`, `r` or `s`: the kinds of Slack tokens.
private func isSlackKind(_ byte: Int) -> Bool {
    byte == 0x62 || byte == 0x70 || byte == 0x61 || byte == 0x72 || byte == 0x73
}

/// The Shannon entropy of a byte string, in bits per byte.
func shannonEntropy(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
    withUnsafeTemporaryAllocation(of: Int.self, capacity: 256) { counts in
        counts.initialize(repeating: 0)
        for byte in bytes { counts[Int(byte)] += 1 }
        let total = Double(bytes.count)
        var entropy = 0.0
        for count in counts where count > 0 {
            let probability = Double(count) / total
            entropy -= probability * log2(probability)
        }
        return entropy
    }
}

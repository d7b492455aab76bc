/// The request line, the field lines, and the checks on a complete head.
extension HTTPRequestParser {
    // MARK: Request line

    mutating func readRequestLine() throws(HTTPParserError) -> Step {
        let limit = limits.maxRequestLineBytes - leadingEmptyLineBytes
        switch scanLine(limit: limit) {
        case .needMore:
            return .needMore
        case .bareLineFeed:
            throw Self.bareLineFeedError
        case .bareCarriageReturn:
            throw Self.bareCarriageReturnError
        case .tooLong:
            throw requestLineTooLongError(limit: limit)
        case .line(let end):
            if end == position {
                leadingEmptyLineBytes += 2
                consumeLine(endingAt: end)
                return .progress
            }
            try parseRequestLine(position..<end)
            consumeLine(endingAt: end)
            leadingEmptyLineBytes = 0
            sectionBytes = 0
            state = .headerLines
            return .progress
        }
    }

    /// Chooses between 414 and 400 for a request line over the limit: 414 when a method
    /// and a space were read and the target runs to the end of what was read, or is
    /// followed by no more than a version's worth of bytes.
    private func requestLineTooLongError(limit: Int) -> HTTPParserError {
        let end = min(buffer.count, position + max(limit, 0) + 1)
        let region = buffer[position..<end]
        if let firstSpace = region.firstIndex(of: HTTPSyntax.space), firstSpace > position,
            region[position..<firstSpace].allSatisfy(HTTPSyntax.isTokenByte)
        {
            let afterMethod = firstSpace + 1
            let secondSpace = region[afterMethod...].firstIndex(of: HTTPSyntax.space)
            if secondSpace.map({ end - $0 - 1 <= 8 }) ?? true {
                return HTTPParserError(.targetTooLong, "The request target is too long.")
            }
        }
        return HTTPParserError(.requestLineTooLong, "The request line is too long.")
    }

    private mutating func parseRequestLine(_ range: Range<Int>) throws(HTTPParserError) {
        let line = buffer[range]
        guard let firstSpace = line.firstIndex(of: HTTPSyntax.space), firstSpace > range.lowerBound
        else {
            throw HTTPParserError(.invalidRequestLine, "The request line has no method.")
        }
        let afterMethod = firstSpace + 1
        guard let secondSpace = line[afterMethod...].firstIndex(of: HTTPSyntax.space),
            secondSpace > afterMethod
        else {
            throw HTTPParserError(
                .invalidRequestLine,
                "The request line is not method, target and version separated by single spaces.")
        }
        guard !line[(secondSpace + 1)...].contains(HTTPSyntax.space) else {
            throw HTTPParserError(
                .invalidRequestLine, "The request line has more than three parts.")
        }
        let methodBytes = line[..<firstSpace]
        guard methodBytes.allSatisfy(HTTPSyntax.isTokenByte) else {
            throw HTTPParserError(.invalidMethod, "The method is not a token.")
        }
        let version = try Self.parseVersion(line[(secondSpace + 1)...])
        let method = HTTPMethod(validatedBytes: methodBytes)
        if method == .connect {
            throw HTTPParserError(.connectNotSupported, "CONNECT is not supported.")
        }
        let targetBytes = line[afterMethod..<secondSpace]
        let form = try Self.targetForm(of: targetBytes, method: method)
        pending = PendingHead(
            method: method, target: String(decoding: targetBytes, as: UTF8.self),
            targetForm: form, version: version)
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParserError)
        -> HTTPVersion
    {
        let start = bytes.startIndex
        guard bytes.count == 8, bytes.starts(with: "HTTP/".utf8),
            HTTPSyntax.isDigit(bytes[start + 5]), bytes[start + 6] == 0x2E,
            HTTPSyntax.isDigit(bytes[start + 7])
        else {
            throw HTTPParserError(.invalidVersion, "The version is not HTTP/<digit>.<digit>.")
        }
        let major = Int(bytes[start + 5] - 0x30)
        let minor = Int(bytes[start + 7] - 0x30)
        guard major == 1, minor <= 1 else {
            throw HTTPParserError(
                .unsupportedVersion, "Only HTTP/1.0 and HTTP/1.1 are supported.")
        }
        return HTTPVersion(major: major, minor: minor)
    }

    private static func targetForm(of target: ArraySlice<UInt8>, method: HTTPMethod)
        throws(HTTPParserError) -> HTTPRequestHead.TargetForm
    {
        if target.count == 1, target.first == HTTPSyntax.asterisk {
            guard method == .options else {
                throw HTTPParserError(.invalidTarget, "Only OPTIONS may target *.")
            }
            return .asterisk
        }
        if target.first == HTTPSyntax.slash {
            guard HTTPSyntax.isPathAndQuery(target) else {
                throw HTTPParserError(
                    .invalidTarget, "The request target holds bytes a URI path may not.")
            }
            return .origin
        }
        guard isAbsoluteForm(target) else {
            throw HTTPParserError(
                .invalidTarget, "The request target is neither a path nor an http(s) URI.")
        }
        return .absolute
    }

    /// `http` or `https`, `://`, an authority, then an optional path and query.
    private static func isAbsoluteForm(_ target: ArraySlice<UInt8>) -> Bool {
        let separator: [UInt8] = Array("://".utf8)
        var schemeEnd: Int?
        var index = target.startIndex
        while index + 3 <= target.endIndex, index - target.startIndex <= 5 {
            if target[index..<index + 3].elementsEqual(separator) {
                schemeEnd = index
                break
            }
            index += 1
        }
        guard let schemeEnd else { return false }
        let scheme = target[target.startIndex..<schemeEnd]
        guard
            HTTPSyntax.equalsIgnoringCase(scheme, "http".utf8)
                || HTTPSyntax.equalsIgnoringCase(scheme, "https".utf8)
        else { return false }
        let rest = target[(schemeEnd + 3)...]
        let authorityEnd =
            rest.firstIndex { $0 == HTTPSyntax.slash || $0 == HTTPSyntax.question }
            ?? rest.endIndex
        return HTTPSyntax.isAuthority(rest[..<authorityEnd], allowEmpty: false)
            && HTTPSyntax.isPathAndQuery(rest[authorityEnd...])
    }

    // MARK: Field lines

    mutating func readFieldLine(trailer: Bool) throws(HTTPParserError) -> Step {
        let maxSection = trailer ? limits.maxTrailerSectionBytes : limits.maxHeaderSectionBytes
        switch scanLine(limit: maxSection - sectionBytes - 2) {
        case .needMore:
            return .needMore
        case .bareLineFeed:
            throw Self.bareLineFeedError
        case .bareCarriageReturn:
            throw Self.bareCarriageReturnError
        case .tooLong:
            throw trailer
                ? HTTPParserError(.trailerSectionTooLarge, "The trailer section is too large.")
                : HTTPParserError(.headerSectionTooLarge, "The header section is too large.")
        case .line(let end):
            sectionBytes += end - position + 2
            if end == position {
                consumeLine(endingAt: end)
                if trailer {
                    try checkTrailers()
                    state = .messageEnd
                    return .progress
                }
                return .event(.head(try completeHead()))
            }
            try parseFieldLine(position..<end)
            consumeLine(endingAt: end)
            return .progress
        }
    }

    private mutating func parseFieldLine(_ range: Range<Int>) throws(HTTPParserError) {
        if HTTPSyntax.isWhitespace(buffer[range.lowerBound]) {
            throw HTTPParserError(
                .obsoleteLineFolding, "A field line starts with white space (line folding).")
        }
        guard fields.count < limits.maxFieldCount else {
            throw HTTPParserError(.tooManyFields, "There are too many field lines.")
        }
        guard let colon = buffer[range].firstIndex(of: HTTPSyntax.colon) else {
            throw HTTPParserError(.invalidFieldLine, "A field line has no colon.")
        }
        guard colon > range.lowerBound else {
            throw HTTPParserError(.invalidFieldName, "A field name is empty.")
        }
        if HTTPSyntax.isWhitespace(buffer[colon - 1]) {
            throw HTTPParserError(
                .whitespaceBeforeColon, "White space separates a field name from its colon.")
        }
        let name = range.lowerBound..<colon
        guard buffer[name].allSatisfy(HTTPSyntax.isTokenByte) else {
            throw HTTPParserError(.invalidFieldName, "A field name is not a token.")
        }
        let value = HTTPSyntax.trimmingWhitespace(buffer, colon + 1..<range.upperBound)
        guard buffer[value].allSatisfy(HTTPSyntax.isFieldValueByte) else {
            throw HTTPParserError(.invalidFieldValue, "A field value holds a control byte.")
        }
        fields.append(name: buffer[name], value: buffer[value])
    }

    // MARK: Complete head

    private mutating func completeHead() throws(HTTPParserError) -> HTTPRequestHead {
        let version = pending.version

        let hosts = fields.valueBytes(named: "host")
        if hosts.count > 1 {
            throw HTTPParserError(.duplicateHost, "There is more than one Host field.")
        }
        if let host = hosts.first {
            guard HTTPSyntax.isAuthority(host, allowEmpty: true) else {
                throw HTTPParserError(.invalidHost, "The Host field is not host[:port].")
            }
        } else if version == .http1_1 {
            throw HTTPParserError(.missingHost, "An HTTP/1.1 request has no Host field.")
        }

        let lengths = fields.valueBytes(named: "content-length")
        let codings = fields.valueBytes(named: "transfer-encoding")
        if !lengths.isEmpty, !codings.isEmpty {
            throw HTTPParserError(
                .contentLengthWithTransferEncoding,
                "Both Content-Length and Transfer-Encoding are present.")
        }
        if lengths.count > 1 {
            throw HTTPParserError(
                .duplicateContentLength, "There is more than one Content-Length field.")
        }
        var framing = HTTPRequestHead.BodyFraming.none
        if !codings.isEmpty {
            if version == .http1_0 {
                throw HTTPParserError(
                    .transferEncodingInHTTP10, "An HTTP/1.0 request has Transfer-Encoding.")
            }
            try Self.checkTransferCodings(codings)
            framing = .chunked
        } else if let length = lengths.first {
            let count = try Self.parseContentLength(length)
            if count > limits.maxBodyBytes {
                throw HTTPParserError(.bodyTooLarge, "The body is larger than the limit.")
            }
            if count > 0 { framing = .contentLength(count) }
        }

        var continueExpected = false
        var otherExpectation = false
        for value in fields.valueBytes(named: "expect") {
            HTTPFields.forEachListElement(value) { element in
                if HTTPSyntax.equalsIgnoringCase(element, "100-continue".utf8) {
                    continueExpected = true
                } else {
                    otherExpectation = true
                }
            }
        }
        if otherExpectation {
            throw HTTPParserError(
                .unsupportedExpectation, "Only the 100-continue expectation is supported.")
        }

        keepAlive = HTTPRequestHead.keepAlive(version: version, fields: fields)
        let head = HTTPRequestHead(
            method: pending.method, target: pending.target, targetForm: pending.targetForm,
            version: version, fields: fields, keepAlive: keepAlive,
            expectsContinue: continueExpected && version == .http1_1, bodyFraming: framing)
        fields = HTTPFields()
        pending = PendingHead()
        sectionBytes = 0
        bodyBytes = 0
        switch framing {
        case .none: state = .messageEnd
        case .contentLength(let count): state = .body(remaining: count)
        case .chunked: state = .chunkLine
        }
        return head
    }

    private static func parseContentLength(_ value: ArraySlice<UInt8>) throws(HTTPParserError)
        -> Int
    {
        guard !value.isEmpty else {
            throw HTTPParserError(.invalidContentLength, "Content-Length is empty.")
        }
        var count = 0
        for byte in value {
            guard HTTPSyntax.isDigit(byte) else {
                throw HTTPParserError(
                    .invalidContentLength, "Content-Length is not a run of decimal digits.")
            }
            let (times10, overflow1) = count.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int(byte - 0x30))
            guard !overflow1, !overflow2 else {
                throw HTTPParserError(.invalidContentLength, "Content-Length overflows.")
            }
            count = sum
        }
        return count
    }

    private static func checkTransferCodings(_ values: [ArraySlice<UInt8>])
        throws(HTTPParserError)
    {
        var codings: [ArraySlice<UInt8>] = []
        var malformed = false
        for value in values {
            HTTPFields.forEachListElement(value, includeEmpty: true) { element in
                if HTTPSyntax.isToken(element) {
                    codings.append(element)
                } else {
                    malformed = true
                }
            }
        }
        if malformed {
            throw HTTPParserError(
                .invalidTransferEncoding,
                "Transfer-Encoding has an empty element, a parameter or a non-token.")
        }
        let isChunked = { (coding: ArraySlice<UInt8>) in
            HTTPSyntax.equalsIgnoringCase(coding, "chunked".utf8)
        }
        let chunkedCount = codings.count(where: isChunked)
        if chunkedCount > 1 {
            throw HTTPParserError(
                .invalidTransferEncoding, "The chunked coding is applied more than once.")
        }
        if chunkedCount == 1, let last = codings.last, !isChunked(last) {
            throw HTTPParserError(.chunkedNotFinal, "The chunked coding is not the final one.")
        }
        if chunkedCount == 0 || codings.count > 1 {
            throw HTTPParserError(
                .unsupportedTransferCoding, "Only the chunked transfer coding is supported.")
        }
    }

    /// Fields that must not be sent as trailers, because they govern framing, routing,
    /// authentication or the content format (RFC 9110 §6.5.1).
    private static let forbiddenTrailerNames = [
        "content-length", "transfer-encoding", "host", "connection", "trailer", "te",
        "authorization", "proxy-authorization", "cookie", "content-type", "content-encoding",
        "content-range", "expect", "upgrade",
    ]

    private func checkTrailers() throws(HTTPParserError) {
        for field in fields {
            if Self.forbiddenTrailerNames.contains(where: field.hasName) {
                throw HTTPParserError(
                    .forbiddenTrailerField, "A trailer field may only be sent in the header.")
            }
        }
    }
}

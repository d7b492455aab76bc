/// The single pass over a message's bytes behind ``MessageEnvelope``.
struct EnvelopeReader {
    struct Fields {
        var kind: MessageEnvelope.Kind
        var id: JSONRPCID?
        var method: String?
        var name: String?
        var uri: String?
        var nameRange: Range<Int>?
        var uriRange: Range<Int>?
        var idRange: Range<Int>?
        var paramsRange: Range<Int>?
        var resultRange: Range<Int>?
        var errorRange: Range<Int>?
        var metaRange: Range<Int>?
        var metaInsertionPoint: Int?
    }

    private static func key(_ text: StaticString) -> [UInt8] {
        Array(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    static func read(_ buffer: UnsafeBufferPointer<UInt8>, limits: JSONLimits) -> Result<Fields, EnvelopeError> {
        var scanner = JSONScanner(bytes: buffer, limits: limits)
        do {
            return .success(try read(&scanner))
        } catch {
            return .failure(error)
        }
    }

    private static func read(_ scanner: inout JSONScanner) throws(EnvelopeError) -> Fields {
        var version: Range<Int>?
        var versionIsString = false
        var idRange: Range<Int>?
        var methodToken: JSONScanner.StringToken?
        var methodRange: Range<Int>?
        var paramsRange: Range<Int>?
        var resultRange: Range<Int>?
        var errorRange: Range<Int>?
        var inner = InnerFields()
        var resultInner = InnerFields()
        do {
            try scanner.checkSize()
            scanner.skipWhitespace()
            guard try scanner.currentByte("a JSON-RPC message") == UInt8(ascii: "{") else {
                try scanner.skipValue(depth: 0)
                try scanner.expectEnd()
                throw EnvelopeError(.notAnObject, "a JSON-RPC message must be an object")
            }
            scanner.position += 1
            scanner.skipWhitespace()
            if try scanner.currentByte("a key or '}'") == UInt8(ascii: "}") {
                scanner.position += 1
            } else {
                var keys = DuplicateKeyCheck(scanner: scanner)
                while true {
                    let keyOffset = scanner.position
                    let key = try scanner.scanKey()
                    try keys.insert(key, at: keyOffset, scanner: &scanner)
                    let valueStart = scanner.position
                    switch match(key, in: scanner) {
                    case .jsonrpc:
                        versionIsString = try scanner.currentByte("a value") == UInt8(ascii: "\"")
                        version = try scanner.skipValue(depth: 1)
                    case .id:
                        idRange = try scanner.skipValue(depth: 1)
                    case .method:
                        if try scanner.currentByte("a value") == UInt8(ascii: "\"") {
                            methodToken = try scanner.scanString()
                            methodRange = valueStart..<scanner.position
                        } else {
                            methodRange = try scanner.skipValue(depth: 1)
                        }
                    case .params:
                        paramsRange = try readContainer(&scanner, into: &inner, lookForTarget: true)
                    case .result:
                        resultRange = try readContainer(&scanner, into: &resultInner, lookForTarget: false)
                    case .error:
                        errorRange = try scanner.skipValue(depth: 1)
                    case .other:
                        try scanner.skipValue(depth: 1)
                    }
                    if try scanner.endOfMember() { break }
                }
                keys.finish(scanner: &scanner)
            }
            try scanner.expectEnd()
        } catch let error as JSONError {
            throw EnvelopeError(error)
        } catch let error as EnvelopeError {
            throw error
        } catch {
            throw EnvelopeError(.malformedJSON, "unreadable message")
        }

        // The id is read first so that later errors can name it.
        var id: JSONRPCID?
        var idIsNull = false
        if let idRange {
            switch scanner.bytes[idRange.lowerBound] {
            case UInt8(ascii: "\""):
                id = .string(scanner.decodeString(token(idRange, in: scanner)))
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                id = .number(JSONNumber(validatedText: text(idRange, in: scanner)))
            case UInt8(ascii: "n"):
                idIsNull = true
            default:
                throw EnvelopeError(.invalidID, "id must be a string or a number")
            }
        }

        guard let version, versionIsString, version.count == 5,
            text(version, in: scanner) == "\"2.0\""
        else {
            throw EnvelopeError(.invalidVersion, "jsonrpc must be \"2.0\"", id: id)
        }

        var fields = Fields(kind: .request, id: id, idRange: idRange)
        if let methodRange {
            guard let methodToken, methodToken.end > methodToken.start else {
                throw EnvelopeError(.invalidMethod, "method must be a non-empty string", id: id)
            }
            guard resultRange == nil, errorRange == nil else {
                throw EnvelopeError(.ambiguousKind, "a message with a method cannot carry result or error", id: id)
            }
            _ = methodRange
            fields.method = scanner.decodeString(methodToken)
            if let paramsRange {
                guard scanner.bytes[paramsRange.lowerBound] == UInt8(ascii: "{") else {
                    throw EnvelopeError(.invalidParams, "params must be an object", id: id)
                }
                fields.paramsRange = paramsRange
                fields.name = inner.name.map(scanner.decodeString)
                fields.uri = inner.uri.map(scanner.decodeString)
                // The quoted string, quotes included, so a rewrite can splice a new one in.
                fields.nameRange = inner.name.map { ($0.start - 1)..<($0.end + 1) }
                fields.uriRange = inner.uri.map { ($0.start - 1)..<($0.end + 1) }
                fields.metaRange = inner.meta
                fields.metaInsertionPoint = paramsRange.lowerBound + 1
            }
            if idRange == nil {
                fields.kind = .notification
            } else if idIsNull {
                throw EnvelopeError(.invalidID, "a request id must not be null")
            } else {
                fields.kind = .request
            }
            return fields
        }

        guard paramsRange == nil else {
            throw EnvelopeError(.ambiguousKind, "params without a method", id: id)
        }
        switch (resultRange, errorRange) {
        case (let result?, nil):
            guard idRange != nil, !idIsNull else {
                throw EnvelopeError(.invalidID, "a response needs the id of its request")
            }
            guard scanner.bytes[result.lowerBound] == UInt8(ascii: "{") else {
                throw EnvelopeError(.invalidResult, "result must be an object", id: id)
            }
            fields.kind = .response
            fields.resultRange = result
            fields.metaRange = resultInner.meta
            fields.metaInsertionPoint = result.lowerBound + 1
        case (nil, let error?):
            guard idRange != nil else {
                throw EnvelopeError(.invalidID, "an error response needs an id (null when unknown)")
            }
            try checkErrorObject(error, in: scanner, id: id)
            fields.kind = .errorResponse
            fields.errorRange = error
        case (nil, nil):
            throw EnvelopeError(.ambiguousKind, "a message needs a method, a result or an error", id: id)
        case (.some, .some):
            throw EnvelopeError(.ambiguousKind, "a response cannot carry both result and error", id: id)
        }
        return fields
    }

    /// The positions found inside `params` or `result`.
    private struct InnerFields {
        var name: JSONScanner.StringToken?
        var uri: JSONScanner.StringToken?
        var meta: Range<Int>?
    }

    private enum Member {
        case jsonrpc, id, method, params, result, error, other
    }

    private enum InnerMember {
        case name, uri, meta, other
    }

    private static func match(_ key: JSONScanner.StringToken, in scanner: JSONScanner) -> Member {
        guard !key.needsDecoding else {
            // An escaped spelling of a known key is still that key.
            switch scanner.decodeString(key) {
            case "jsonrpc": return .jsonrpc
            case "id": return .id
            case "method": return .method
            case "params": return .params
            case "result": return .result
            case "error": return .error
            default: return .other
            }
        }
        let bytes = scanner.bytes
        switch key.end - key.start {
        case 2 where bytes[key.start] == 0x69 && bytes[key.start + 1] == 0x64: return .id
        case 5 where equals(key, "error", scanner): return .error
        case 6 where equals(key, "method", scanner): return .method
        case 6 where equals(key, "params", scanner): return .params
        case 6 where equals(key, "result", scanner): return .result
        case 7 where equals(key, "jsonrpc", scanner): return .jsonrpc
        default: return .other
        }
    }

    private static func matchInner(_ key: JSONScanner.StringToken, in scanner: JSONScanner) -> InnerMember {
        guard !key.needsDecoding else {
            switch scanner.decodeString(key) {
            case "name": return .name
            case "uri": return .uri
            case "_meta": return .meta
            default: return .other
            }
        }
        switch key.end - key.start {
        case 3 where equals(key, "uri", scanner): return .uri
        case 4 where equals(key, "name", scanner): return .name
        case 5 where equals(key, "_meta", scanner): return .meta
        default: return .other
        }
    }

    @inline(__always)
    private static func equals(_ key: JSONScanner.StringToken, _ literal: StaticString, _ scanner: JSONScanner) -> Bool {
        let expected = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount where scanner.bytes[key.start + offset] != expected[offset] {
            return false
        }
        return true
    }

    /// Skips `params` or `result`, noting `name`, `uri` and `_meta` when it is an object.
    private static func readContainer(
        _ scanner: inout JSONScanner, into inner: inout InnerFields, lookForTarget: Bool
    ) throws(JSONError) -> Range<Int> {
        let start = scanner.position
        guard try scanner.currentByte("a value") == UInt8(ascii: "{") else {
            return try scanner.skipValue(depth: 1)
        }
        if 2 > scanner.limits.maxDepth {
            throw JSONError(.depthLimitExceeded, at: scanner.position, "nesting is deeper than \(scanner.limits.maxDepth)")
        }
        scanner.position += 1
        scanner.skipWhitespace()
        if try scanner.currentByte("a key or '}'") == UInt8(ascii: "}") {
            scanner.position += 1
            return start..<scanner.position
        }
        var keys = DuplicateKeyCheck(scanner: scanner)
        while true {
            let keyOffset = scanner.position
            let key = try scanner.scanKey()
            try keys.insert(key, at: keyOffset, scanner: &scanner)
            if keys.count > scanner.limits.maxMembers {
                throw JSONError(.memberLimitExceeded, at: scanner.position, "container has more than \(scanner.limits.maxMembers) elements")
            }
            let member = matchInner(key, in: scanner)
            if lookForTarget, member == .name || member == .uri,
                try scanner.currentByte("a value") == UInt8(ascii: "\"")
            {
                let token = try scanner.scanString()
                if member == .name { inner.name = token } else { inner.uri = token }
            } else {
                let range = try scanner.skipValue(depth: 2)
                if member == .meta { inner.meta = range }
            }
            if try scanner.endOfMember() { break }
        }
        keys.finish(scanner: &scanner)
        return start..<scanner.position
    }

    private static func checkErrorObject(_ range: Range<Int>, in scanner: JSONScanner, id: JSONRPCID?) throws(EnvelopeError) {
        let slice = UnsafeBufferPointer(rebasing: scanner.bytes[range])
        var inner = JSONScanner(bytes: slice, limits: JSONLimits(maxBytes: .max, maxDepth: .max, maxMembers: .max))
        guard let value = try? inner.parseDocument(), JSONRPCError(value) != nil else {
            throw EnvelopeError(.invalidError, "error must be an object with an integer code and a string message", id: id)
        }
    }

    /// The token of a string value already validated, with `needsDecoding` set only when it
    /// has an escape or a non-ASCII byte.
    private static func token(_ range: Range<Int>, in scanner: JSONScanner) -> JSONScanner.StringToken {
        let start = range.lowerBound + 1
        let end = range.upperBound - 1
        var needsDecoding = false
        for index in start..<end where scanner.bytes[index] == 0x5C || scanner.bytes[index] >= 0x80 {
            needsDecoding = true
            break
        }
        return JSONScanner.StringToken(start: start, end: end, needsDecoding: needsDecoding)
    }

    private static func text(_ range: Range<Int>, in scanner: JSONScanner) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: scanner.bytes[range]), as: UTF8.self)
    }
}

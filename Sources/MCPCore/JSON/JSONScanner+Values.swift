extension JSONScanner {
    // MARK: Skipping

    /// Skips the value at the current position (after white space), validating it fully,
    /// and returns its byte range.
    @discardableResult
    mutating func skipValue(depth: Int) throws(JSONError) -> Range<Int> {
        let start = position
        switch try currentByte("a value") {
        case 0x22: _ = try scanString()
        case 0x7B: try skipObject(depth: depth + 1)
        case 0x5B: try skipArray(depth: depth + 1)
        case 0x74, 0x66, 0x6E: _ = try scanLiteral()
        case 0x2D, 0x30...0x39: _ = try scanNumber()
        default: throw unexpected("a value")
        }
        return start..<position
    }

    private func checkDepth(_ depth: Int) throws(JSONError) {
        if depth > limits.maxDepth {
            throw JSONError(.depthLimitExceeded, at: position, "nesting is deeper than \(limits.maxDepth)")
        }
    }

    private func checkMembers(_ count: Int) throws(JSONError) {
        if count > limits.maxMembers {
            throw JSONError(.memberLimitExceeded, at: position, "container has more than \(limits.maxMembers) elements")
        }
    }

    private mutating func skipArray(depth: Int) throws(JSONError) {
        try checkDepth(depth)
        position += 1
        skipWhitespace()
        if try currentByte("a value or ']'") == 0x5D {
            position += 1
            return
        }
        var count = 0
        while true {
            count += 1
            try checkMembers(count)
            try skipValue(depth: depth)
            skipWhitespace()
            switch try currentByte("',' or ']'") {
            case 0x2C:
                position += 1
                skipWhitespace()
            case 0x5D:
                position += 1
                return
            default: throw unexpected("',' or ']'")
            }
        }
    }

    private mutating func skipObject(depth: Int) throws(JSONError) {
        try checkDepth(depth)
        position += 1
        skipWhitespace()
        if try currentByte("a key or '}'") == 0x7D {
            position += 1
            return
        }
        var keys = DuplicateKeyCheck(scanner: self)
        while true {
            let keyOffset = position
            let key = try scanKey()
            try keys.insert(key, at: keyOffset, scanner: &self)
            try checkMembers(keys.count)
            skipWhitespace()
            try skipValue(depth: depth)
            if try endOfMember() {
                keys.finish(scanner: &self)
                return
            }
        }
    }

    /// Reads the key and colon of an object member.
    mutating func scanKey() throws(JSONError) -> StringToken {
        guard try currentByte("a key") == 0x22 else { throw unexpected("a string key") }
        let key = try scanString()
        skipWhitespace()
        guard try currentByte("':'") == 0x3A else { throw unexpected("':'") }
        position += 1
        skipWhitespace()
        return key
    }

    /// Reads what follows a member: `,` (returns false) or `}` (returns true).
    mutating func endOfMember() throws(JSONError) -> Bool {
        skipWhitespace()
        switch try currentByte("',' or '}'") {
        case 0x2C:
            position += 1
            skipWhitespace()
            return false
        case 0x7D:
            position += 1
            return true
        default: throw unexpected("',' or '}'")
        }
    }

    // MARK: Building

    /// Reads the value at the current position (after white space).
    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        switch try currentByte("a value") {
        case 0x22:
            let token = try scanString()
            return .string(decodeString(token))
        case 0x7B:
            return .object(try parseObject(depth: depth + 1))
        case 0x5B:
            return .array(try parseArray(depth: depth + 1))
        case 0x74, 0x66, 0x6E:
            return try scanLiteral()
        case 0x2D, 0x30...0x39:
            let range = try scanNumber()
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
            return .number(JSONNumber(validatedText: text))
        default:
            throw unexpected("a value")
        }
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> [JSONValue] {
        try checkDepth(depth)
        position += 1
        skipWhitespace()
        var elements: [JSONValue] = []
        if try currentByte("a value or ']'") == 0x5D {
            position += 1
            return elements
        }
        while true {
            try checkMembers(elements.count + 1)
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            switch try currentByte("',' or ']'") {
            case 0x2C:
                position += 1
                skipWhitespace()
            case 0x5D:
                position += 1
                return elements
            default: throw unexpected("',' or ']'")
            }
        }
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONObject {
        try checkDepth(depth)
        position += 1
        skipWhitespace()
        var object = JSONObject()
        if try currentByte("a key or '}'") == 0x7D {
            position += 1
            return object
        }
        while true {
            let keyOffset = position
            let key = decodeString(try scanKey())
            if object.contains(key) {
                throw JSONError(.duplicateKey, at: keyOffset, "duplicate key in an object")
            }
            try checkMembers(object.count + 1)
            let value = try parseValue(depth: depth)
            object.appendNewMember(key, value)
            if try endOfMember() { return object }
        }
    }
}

/// The keys of one object seen so far, for rejecting duplicates without allocating in the
/// common case of a few ASCII keys: the tokens live on the scanner's shared key stack, from
/// ``base`` up, and are dropped when the object ends.
struct DuplicateKeyCheck {
    private let base: Int
    private var large: Set<String>?
    private(set) var count = 0

    private static let smallLimit = 16

    init(scanner: JSONScanner) {
        base = scanner.seenKeyCount
    }

    mutating func insert(_ key: JSONScanner.StringToken, at offset: Int, scanner: inout JSONScanner) throws(JSONError) {
        count += 1
        if large == nil {
            var index = base
            while index < scanner.seenKeyCount {
                if scanner.sameKey(scanner.seenKeys[index], key) {
                    throw JSONError(.duplicateKey, at: offset, "duplicate key in an object")
                }
                index += 1
            }
            if scanner.seenKeyCount < scanner.seenKeys.count {
                scanner.seenKeys[scanner.seenKeyCount] = key
            } else {
                scanner.seenKeys.append(key)
            }
            scanner.seenKeyCount += 1
            if scanner.seenKeyCount - base > Self.smallLimit {
                large = Set(scanner.seenKeys[base..<scanner.seenKeyCount].map(scanner.decodeString))
                scanner.seenKeyCount = base
            }
        } else if large!.insert(scanner.decodeString(key)).inserted == false {
            throw JSONError(.duplicateKey, at: offset, "duplicate key in an object")
        }
    }

    /// Drops this object's keys from the shared stack.
    func finish(scanner: inout JSONScanner) {
        scanner.seenKeyCount = base
    }
}

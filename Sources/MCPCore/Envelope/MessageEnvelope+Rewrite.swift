extension MessageEnvelope {
    /// The message with its id replaced, every other byte unchanged.
    ///
    /// - Parameter id: the new id; `nil` writes `null` (only meaningful for error
    ///   responses).
    /// - Returns: the new message bytes; for a notification, which has no id, the bytes
    ///   unchanged.
    public func replacingID(with id: JSONRPCID?) -> [UInt8] {
        guard let idRange else { return bytes }
        var replacement: [UInt8] = []
        if let id {
            switch id {
            case .string(let string):
                replacement.reserveCapacity(string.utf8.count + 2)
                JSONSerializer.appendString(string, to: &replacement)
            case .number(let number): replacement.append(contentsOf: number.text.utf8)
            }
        } else {
            replacement.append(contentsOf: "null".utf8)
        }
        return splice(idRange, with: replacement)
    }

    /// The id exactly as written in the message, escapes and number spelling included.
    ///
    /// A gateway that replaces a client's id on the way upstream keeps these bytes and puts
    /// them back with ``replacingID(withRawJSON:)`` on the way down, so the client gets its
    /// id back byte for byte, not merely an equal value.
    public var rawID: ArraySlice<UInt8>? { idRange.map { bytes[$0] } }

    /// The message with its id replaced by JSON text given as bytes, every other byte
    /// unchanged.
    ///
    /// - Parameter rawID: the JSON text of a string, a number or `null`, such as a
    ///   ``rawID`` kept from another message; it is not checked.
    /// - Returns: the new message bytes; for a notification, the bytes unchanged.
    public func replacingID(withRawJSON rawID: some Collection<UInt8>) -> [UInt8] {
        guard let idRange else { return bytes }
        return splice(idRange, with: Array(rawID))
    }

    /// The message with `params.name` replaced, every other byte unchanged.
    ///
    /// A gateway that exposes an upstream's tool under a prefixed name uses this to give
    /// the upstream its own name back.
    ///
    /// - Parameter name: the new name.
    /// - Returns: the new message bytes; unchanged when the message has no `params.name`.
    public func replacingName(with name: String) -> [UInt8] {
        guard let nameRange else { return bytes }
        var replacement: [UInt8] = []
        JSONSerializer.appendString(name, to: &replacement)
        return splice(nameRange, with: replacement)
    }

    /// The message with `params.uri` replaced, every other byte unchanged.
    ///
    /// - Parameter uri: the new URI.
    /// - Returns: the new message bytes; unchanged when the message has no `params.uri`.
    public func replacingURI(with uri: String) -> [UInt8] {
        guard let uriRange else { return bytes }
        var replacement: [UInt8] = []
        JSONSerializer.appendString(uri, to: &replacement)
        return splice(uriRange, with: replacement)
    }

    /// The message with `_meta` of `params` (requests, notifications) or `result`
    /// (responses) replaced, inserted, or removed; every other byte unchanged.
    ///
    /// A request or notification without `params` gets `"params":{"_meta":...}`. An error
    /// response has no place for `_meta` and comes back unchanged.
    ///
    /// - Parameter meta: the new `_meta` object, or `nil` to remove it.
    /// - Returns: the new message bytes.
    public func replacingMeta(with meta: JSONObject?) -> [UInt8] {
        let serialized = meta.map { JSONSerializer().serialize(.object($0)) }
        if let metaRange {
            guard let serialized else { return removingMember(valueRange: metaRange) }
            return splice(metaRange, with: serialized)
        }
        guard let serialized else { return bytes }
        if let metaInsertionPoint {
            var insertion = Array("\"_meta\":".utf8) + serialized
            if !containerIsEmpty(after: metaInsertionPoint) { insertion.append(UInt8(ascii: ",")) }
            return splice(metaInsertionPoint..<metaInsertionPoint, with: insertion)
        }
        guard kind == .request || kind == .notification, let closing = bytes.lastIndex(of: UInt8(ascii: "}")) else {
            return bytes
        }
        let insertion = Array(",\"params\":{\"_meta\":".utf8) + serialized + [UInt8(ascii: "}")]
        return splice(closing..<closing, with: insertion)
    }

    private func splice(_ range: Range<Int>, with replacement: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count - range.count + replacement.count)
        output.append(contentsOf: bytes[..<range.lowerBound])
        output.append(contentsOf: replacement)
        output.append(contentsOf: bytes[range.upperBound...])
        return output
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private func containerIsEmpty(after opening: Int) -> Bool {
        var index = opening
        while index < bytes.count, isWhitespace(bytes[index]) { index += 1 }
        return index < bytes.count && bytes[index] == UInt8(ascii: "}")
    }

    /// Removes the member whose value occupies `valueRange`, with its key and one comma.
    private func removingMember(valueRange: Range<Int>) -> [UInt8] {
        // Walk back over white space, the colon, white space and the key string.
        var start = valueRange.lowerBound - 1
        while isWhitespace(bytes[start]) { start -= 1 }
        start -= 1  // the colon
        while isWhitespace(bytes[start]) { start -= 1 }
        start -= 1  // closing quote of the key
        while !(bytes[start] == UInt8(ascii: "\"") && !isEscaped(start)) { start -= 1 }
        var end = valueRange.upperBound
        var after = end
        while after < bytes.count, isWhitespace(bytes[after]) { after += 1 }
        if bytes[after] == UInt8(ascii: ",") {
            end = after + 1
        } else {
            // Last member: remove the comma before it, if any.
            var before = start - 1
            while isWhitespace(bytes[before]) { before -= 1 }
            if bytes[before] == UInt8(ascii: ",") { start = before }
        }
        return splice(start..<end, with: [])
    }

    private func isEscaped(_ index: Int) -> Bool {
        var backslashes = 0
        var position = index - 1
        while position >= 0, bytes[position] == UInt8(ascii: "\\") {
            backslashes += 1
            position -= 1
        }
        return backslashes % 2 == 1
    }
}

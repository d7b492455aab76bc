extension JSONRPCID: Codable {
    /// Decodes a string or numeric id; a numeric id keeps its text through
    /// ``JSONValueDecoder``.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError.typeMismatch` for anything but a string or a number.
    public init(from decoder: any Decoder) throws {
        let value = try JSONValue(from: decoder)
        guard let id = JSONRPCID(value) else {
            throw JSONValueDecoderImpl.mismatch(
                JSONRPCID.self, expected: "a string or a number", found: value, at: decoder.codingPath)
        }
        self = id
    }

    /// Encodes the id as a string or a number.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        try jsonValue.encode(to: encoder)
    }
}

extension JSONRPCError: Codable {
    private enum CodingKeys: String, CodingKey {
        case code, message, data
    }

    /// Decodes an error object `{"code", "message", "data"?}`; `data` is kept as it is,
    /// `null` included.
    ///
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when `code` is not an integer or `message` not a string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            code: try container.decode(JSONRPCErrorCode.self, forKey: .code),
            message: try container.decode(String.self, forKey: .message),
            data: try container.decodeIfPresent(JSONValue.self, forKey: .data)
        )
    }

    /// Encodes the error object, leaving `data` out when it is `nil`.
    ///
    /// - Parameter encoder: the encoder.
    /// - Throws: any error of the encoder.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encodeIfPresent(data, forKey: .data)
    }
}

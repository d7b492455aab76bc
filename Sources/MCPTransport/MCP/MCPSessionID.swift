internal import MCPCrypto

/// Session ids of the HTTP transports: 128 random bits as 32 lowercase hex digits, which
/// nobody can guess; the id is the only thing that ties a request to its session.
enum MCPSessionID {
    /// A new session id.
    ///
    /// - Throws: when the system's random source fails; a session must then not be made.
    static func generate() throws -> String {
        let bytes = try SecureRandom.bytes(count: 16)
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(32)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}

internal import MCPCrypto

/// Session ids of the HTTP transports: 128 random bits as 32 lowercase hex digits, which
/// nobody can guess; the id is the only thing that ties a request to its session.
enum MCPSessionID {
    /// A new session id.
    ///
    /// - Throws: when the system's random source fails; a session must then not be made.
    static func generate() throws -> String {
        try Hexadecimal.encode(SecureRandom.bytes(count: 16))
    }
}

import MCPCrypto

/// The opaque cursor of a merged list: the hexadecimal text of `g1.<offset>`.
struct ListCursor: Sendable, Hashable {
    let offset: Int

    init(offset: Int) {
        self.offset = offset
    }

    init?(_ text: String) {
        // Only the lowercase form `text` writes is a cursor.
        guard text.utf8.count <= 64, let bytes = Hexadecimal.decode(text), Hexadecimal.encode(bytes) == text
        else { return nil }
        guard let decoded = String(validating: bytes, as: UTF8.self), decoded.hasPrefix("g1."),
            let offset = Int(decoded.dropFirst(3)), offset >= 0
        else { return nil }
        self.offset = offset
    }

    var text: String {
        Hexadecimal.encode("g1.\(offset)".utf8)
    }
}

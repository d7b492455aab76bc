/// The opaque cursor of a merged list: the hexadecimal text of `g1.<offset>`.
struct ListCursor: Sendable, Hashable {
    let offset: Int

    init(offset: Int) {
        self.offset = offset
    }

    init?(_ text: String) {
        let hex = Array(text.utf8)
        guard hex.count <= 64, hex.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < hex.count {
            guard let high = Self.nibble(hex[index]), let low = Self.nibble(hex[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        guard let decoded = String(validating: bytes, as: UTF8.self), decoded.hasPrefix("g1."),
            let offset = Int(decoded.dropFirst(3)), offset >= 0
        else { return nil }
        self.offset = offset
    }

    var text: String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        for byte in "g1.\(offset)".utf8 {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}

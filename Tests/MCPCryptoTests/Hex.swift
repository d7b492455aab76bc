/// Bytes from hexadecimal text; spaces and newlines are ignored. Malformed text stops
/// the test run, since it is a mistake in the test itself.
func bytes(hex text: String) -> [UInt8] {
    let digits = text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\n") }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    func value(_ digit: UInt8) -> UInt8 {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: preconditionFailure("not a hex digit")
        }
    }
    return stride(from: 0, to: digits.count, by: 2).map {
        value(digits[$0]) << 4 | value(digits[$0 + 1])
    }
}

/// Lowercase hexadecimal text of bytes.
func hex(_ bytes: some Sequence<UInt8>) -> String {
    bytes.map { byte in
        let text = String(byte, radix: 16)
        return byte < 16 ? "0" + text : text
    }.joined()
}

/// The UTF-8 bytes of a string.
func utf8(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

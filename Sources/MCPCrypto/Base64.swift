/// Standard base64 (RFC 4648 section 4): the `+/` alphabet with `=` padding.
///
/// Decoding is strict: padding must be present and correct, no whitespace or other
/// characters are accepted, and unused bits in the last character must be zero, so that
/// every byte string has exactly one accepted encoding.
public enum Base64 {
    /// Encodes bytes.
    ///
    /// - Parameter bytes: The bytes.
    /// - Returns: The padded encoding; empty for no bytes.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Base64Alphabet.standard.encode(bytes)
    }

    /// Decodes a padded encoding.
    ///
    /// - Parameter encoded: The text.
    /// - Returns: The bytes.
    /// - Throws: `CryptoError` with code `invalidEncoding` when the text has a length
    ///   that is not a multiple of 4, misplaced padding, a character outside the
    ///   alphabet, or non-zero unused bits.
    public static func decode(_ encoded: some StringProtocol) throws(CryptoError) -> [UInt8] {
        try Base64Alphabet.standard.decode(encoded.utf8)
    }

    /// Decodes a padded encoding given as its ASCII bytes.
    ///
    /// - Parameter encoded: The text's bytes.
    /// - Returns: The bytes.
    /// - Throws: `CryptoError` with code `invalidEncoding` as `decode(_:)` does.
    public static func decode(utf8 encoded: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
        try Base64Alphabet.standard.decode(encoded)
    }
}

/// Base64url without padding (RFC 4648 section 5; RFC 7515 appendix C): the `-_`
/// alphabet, as JWS, JWK and PKCE use it.
///
/// Decoding is strict: padding, whitespace and characters outside the alphabet are
/// rejected, as are lengths that no byte string encodes to and non-zero unused bits.
public enum Base64URL {
    /// Encodes bytes.
    ///
    /// - Parameter bytes: The bytes.
    /// - Returns: The unpadded encoding; empty for no bytes.
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Base64Alphabet.url.encode(bytes)
    }

    /// Decodes an unpadded encoding.
    ///
    /// - Parameter encoded: The text.
    /// - Returns: The bytes.
    /// - Throws: `CryptoError` with code `invalidEncoding` when the text contains
    ///   padding or a character outside the alphabet, has a length of 4n + 1, or has
    ///   non-zero unused bits.
    public static func decode(_ encoded: some StringProtocol) throws(CryptoError) -> [UInt8] {
        try Base64Alphabet.url.decode(encoded.utf8)
    }

    /// Decodes an unpadded encoding given as its ASCII bytes.
    ///
    /// - Parameter encoded: The text's bytes.
    /// - Returns: The bytes.
    /// - Throws: `CryptoError` with code `invalidEncoding` as `decode(_:)` does.
    public static func decode(utf8 encoded: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
        try Base64Alphabet.url.decode(encoded)
    }
}

/// One base64 alphabet with its padding rule, and the codec over it.
struct Base64Alphabet: Sendable {
    /// Standard base64 with padding.
    static let standard = Base64Alphabet(
        characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        padded: true
    )

    /// Standard base64 without padding, as PHC strings use it.
    static let standardUnpadded = Base64Alphabet(
        characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
        padded: false
    )

    /// Base64url without padding.
    static let url = Base64Alphabet(
        characters: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
        padded: false
    )

    private static let invalid: UInt8 = 0xFF
    private static let pad = UInt8(ascii: "=")

    private let encoding: [UInt8]
    private let decoding: [UInt8]
    private let padded: Bool

    private init(characters: String, padded: Bool) {
        encoding = Array(characters.utf8)
        precondition(encoding.count == 64, "a base64 alphabet has 64 characters")
        var decoding = [UInt8](repeating: Base64Alphabet.invalid, count: 256)
        for (value, character) in encoding.enumerated() {
            decoding[Int(character)] = UInt8(value)
        }
        self.decoding = decoding
        self.padded = padded
    }

    /// Encodes bytes.
    ///
    /// - Parameter bytes: The bytes.
    /// - Returns: The encoding, padded if this alphabet pads.
    func encode(_ bytes: some Sequence<UInt8>) -> String {
        bytes.withContiguousBytes { input in
            var output: [UInt8] = []
            output.reserveCapacity((input.count + 2) / 3 * 4)
            var index = 0
            while index + 3 <= input.count {
                let group =
                    UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                    | UInt32(input[index + 2])
                output.append(encoding[Int(group >> 18)])
                output.append(encoding[Int(group >> 12 & 0x3F)])
                output.append(encoding[Int(group >> 6 & 0x3F)])
                output.append(encoding[Int(group & 0x3F)])
                index += 3
            }
            switch input.count - index {
            case 1:
                let group = UInt32(input[index]) << 16
                output.append(encoding[Int(group >> 18)])
                output.append(encoding[Int(group >> 12 & 0x3F)])
                if padded {
                    output.append(Base64Alphabet.pad)
                    output.append(Base64Alphabet.pad)
                }
            case 2:
                let group = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8
                output.append(encoding[Int(group >> 18)])
                output.append(encoding[Int(group >> 12 & 0x3F)])
                output.append(encoding[Int(group >> 6 & 0x3F)])
                if padded {
                    output.append(Base64Alphabet.pad)
                }
            default:
                break
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Decodes an encoding strictly.
    ///
    /// - Parameter encoded: The encoding's ASCII bytes.
    /// - Returns: The bytes.
    /// - Throws: `CryptoError` with code `invalidEncoding` when the encoding is not the
    ///   canonical encoding of some byte string in this alphabet.
    func decode(_ encoded: some Sequence<UInt8>) throws(CryptoError) -> [UInt8] {
        try encoded.withContiguousBytes { (input) throws(CryptoError) -> [UInt8] in
            var length = input.count
            if padded {
                guard length % 4 == 0 else {
                    throw Base64Alphabet.failure("length is not a multiple of 4")
                }
                if length > 0, input[length - 1] == Base64Alphabet.pad {
                    length -= 1
                    if input[length - 1] == Base64Alphabet.pad {
                        length -= 1
                    }
                }
            }
            guard length % 4 != 1 else {
                throw Base64Alphabet.failure("impossible length")
            }
            var output: [UInt8] = []
            output.reserveCapacity(length / 4 * 3 + 2)
            var index = 0
            while index + 4 <= length {
                let group = try sextets(input, from: index, count: 4)
                output.append(UInt8(truncatingIfNeeded: group >> 16))
                output.append(UInt8(truncatingIfNeeded: group >> 8))
                output.append(UInt8(truncatingIfNeeded: group))
                index += 4
            }
            switch length - index {
            case 2:
                let group = try sextets(input, from: index, count: 2)
                guard group & 0x0F == 0 else {
                    throw Base64Alphabet.failure("non-zero unused bits")
                }
                output.append(UInt8(truncatingIfNeeded: group >> 4))
            case 3:
                let group = try sextets(input, from: index, count: 3)
                guard group & 0x03 == 0 else {
                    throw Base64Alphabet.failure("non-zero unused bits")
                }
                output.append(UInt8(truncatingIfNeeded: group >> 10))
                output.append(UInt8(truncatingIfNeeded: group >> 2))
            default:
                break
            }
            return output
        }
    }

    /// Reads `count` characters as one big-endian number of `6 * count` bits.
    private func sextets(
        _ input: UnsafeBufferPointer<UInt8>,
        from start: Int,
        count: Int
    ) throws(CryptoError) -> UInt32 {
        var group: UInt32 = 0
        for offset in 0..<count {
            let value = decoding[Int(input[start + offset])]
            guard value != Base64Alphabet.invalid else {
                throw Base64Alphabet.failure("character outside the alphabet")
            }
            group = group << 6 | UInt32(value)
        }
        return group
    }

    private static func failure(_ reason: String) -> CryptoError {
        CryptoError(.invalidEncoding, message: "malformed base64: \(reason)")
    }
}

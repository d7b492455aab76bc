extension P256 {
    /// An ECDSA P-256 signature: the pair of integers `(r, s)`, convertible between the
    /// 64-byte `r || s` form (JWS `ES256`) and the DER `ECDSA-Sig-Value` (X.509, TLS).
    public struct Signature: Hashable, Sendable {
        /// The signature as `r || s`, each a 32-byte big-endian integer.
        public let rawRepresentation: [UInt8]

        /// Wraps a 64-byte `r || s` signature.
        ///
        /// - Parameter rawRepresentation: The two 32-byte big-endian integers.
        /// - Throws: `CryptoError` with code `invalidSignature` for any other length.
        public init(rawRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            let raw = Array(rawRepresentation)
            guard raw.count == 2 * P256.coordinateByteCount else {
                throw CryptoError(
                    .invalidSignature,
                    message: "an ES256 signature has 64 bytes, not \(raw.count)"
                )
            }
            self.rawRepresentation = raw
        }

        /// Parses a DER `ECDSA-Sig-Value`: `SEQUENCE { r INTEGER, s INTEGER }`.
        ///
        /// Only the canonical encoding is accepted: minimal lengths and integers, no
        /// negative values, no trailing bytes, integers of at most 32 bytes.
        ///
        /// - Parameter derRepresentation: The encoding.
        /// - Throws: `CryptoError` with code `invalidSignature` when it is malformed.
        public init(derRepresentation: some Sequence<UInt8>) throws(CryptoError) {
            var reader = DERSignatureReader(bytes: Array(derRepresentation))
            rawRepresentation = try reader.readSignature()
        }

        /// The signature as a DER `ECDSA-Sig-Value`.
        public var derRepresentation: [UInt8] {
            let r = Signature.derInteger(rawRepresentation[..<P256.coordinateByteCount])
            let s = Signature.derInteger(rawRepresentation[P256.coordinateByteCount...])
            let body = r + s
            return [0x30, UInt8(body.count)] + body
        }

        /// Encodes an unsigned big-endian integer as a DER `INTEGER`.
        private static func derInteger(_ magnitude: ArraySlice<UInt8>) -> [UInt8] {
            var content = Array(magnitude.drop { $0 == 0 })
            if content.isEmpty || content[0] & 0x80 != 0 {
                content.insert(0, at: 0)
            }
            return [0x02, UInt8(content.count)] + content
        }
    }
}

/// A strict reader of the DER encoding of an ECDSA P-256 signature.
private struct DERSignatureReader {
    let bytes: [UInt8]
    var index = 0

    /// Reads `SEQUENCE { INTEGER, INTEGER }` and returns `r || s`.
    mutating func readSignature() throws(CryptoError) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0x30, bytes[1] < 0x80,
            Int(bytes[1]) == bytes.count - 2
        else {
            throw malformed("not a DER sequence of the right length")
        }
        index = 2
        let r = try readInteger()
        let s = try readInteger()
        guard index == bytes.count else {
            throw malformed("trailing bytes inside the sequence")
        }
        return r + s
    }

    /// Reads one non-negative `INTEGER` of at most 32 bytes, left-padded to 32.
    private mutating func readInteger() throws(CryptoError) -> [UInt8] {
        guard index + 2 <= bytes.count, bytes[index] == 0x02 else {
            throw malformed("expected an INTEGER")
        }
        let length = Int(bytes[index + 1])
        let start = index + 2
        guard length >= 1, length < 0x80, start + length <= bytes.count else {
            throw malformed("bad INTEGER length")
        }
        let content = bytes[start..<(start + length)]
        guard content[start] & 0x80 == 0 else {
            throw malformed("negative INTEGER")
        }
        if length > 1, content[start] == 0, content[start + 1] & 0x80 == 0 {
            throw malformed("INTEGER not minimally encoded")
        }
        let magnitude = content.drop { $0 == 0 }
        guard magnitude.count <= P256.coordinateByteCount else {
            throw malformed("INTEGER longer than 32 bytes")
        }
        index = start + length
        return [UInt8](repeating: 0, count: P256.coordinateByteCount - magnitude.count) + magnitude
    }

    private func malformed(_ reason: String) -> CryptoError {
        CryptoError(.invalidSignature, message: "malformed DER ECDSA signature: \(reason)")
    }
}

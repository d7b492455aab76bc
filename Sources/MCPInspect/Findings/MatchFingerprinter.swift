internal import MCPCrypto

/// HMAC-SHA256 of matched bytes, truncated to 8 bytes, for finding fingerprints.
///
/// The key's inner and outer pad blocks are compressed once, so a fingerprint costs
/// only the blocks of the match and one more, through OpenSSL's block function alone
/// (its one-shot HMAC sets up a context each time). The result is the same as
/// `HMAC.authenticationCode(for:using:)` truncated.
struct MatchFingerprinter: Sendable {
    private let innerState: SHA256State
    private let outerState: SHA256State

    init(key: SymmetricKey) {
        var block = key.withUnsafeBytes { bytes in
            bytes.count > 64 ? SHA256.hash(Array(bytes)) : Array(bytes)
        }
        block += [UInt8](repeating: 0, count: 64 - block.count)
        var inner = SHA256State()
        block.map { $0 ^ 0x36 }.withUnsafeBytes { inner.compress($0.baseAddress!) }
        var outer = SHA256State()
        block.map { $0 ^ 0x5C }.withUnsafeBytes { outer.compress($0.baseAddress!) }
        innerState = inner
        outerState = outer
    }

    /// The first 8 bytes of the HMAC, in lowercase hexadecimal.
    func fingerprint(_ message: some Collection<UInt8>) -> String {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { digest in
            authenticationCode(message, into: digest.baseAddress!)
            return Hexadecimal.encode(UnsafeBufferPointer(rebasing: digest.bindMemory(to: UInt8.self)[0..<8]))
        }
    }

    /// Writes the 32-byte HMAC-SHA256 of `message` to `digest`.
    private func authenticationCode(_ message: some Collection<UInt8>, into digest: UnsafeMutableRawPointer) {
        var inner = innerState
        let hashed: Void? = message.withContiguousStorageIfAvailable { bytes in
            inner.finish(UnsafeRawBufferPointer(bytes), precedingBytes: 64, into: digest)
        }
        if hashed == nil {
            Array(message).withUnsafeBytes { inner.finish($0, precedingBytes: 64, into: digest) }
        }
        var outer = outerState
        outer.finish(UnsafeRawBufferPointer(start: digest, count: 32), precedingBytes: 64, into: digest)
    }
}

/// The eight working words of SHA-256 (FIPS 180-4), compressed block by block.
struct SHA256State: Sendable {
    private var h = SHA256Compression.initialState

    /// Compresses the 64-byte block at `block`.
    mutating func compress(_ block: UnsafeRawPointer) {
        withUnsafeMutablePointer(to: &h) { words in
            words.withMemoryRebound(to: UInt32.self, capacity: 8) { SHA256Compression.compress($0, block: block) }
        }
    }

    /// Hashes `message` as the rest of a message whose first `precedingBytes` (a
    /// multiple of 64) were already compressed, and writes the 32-byte digest to
    /// `digest` (which may overlap `message`: it is written last).
    mutating func finish(_ message: UnsafeRawBufferPointer, precedingBytes: Int, into digest: UnsafeMutableRawPointer) {
        let length = message.count
        var offset = 0
        while length - offset >= 64 {
            compress(message.baseAddress! + offset)
            offset += 64
        }
        let rest = length - offset
        let tail = rest + 9 <= 64 ? 64 : 128
        withUnsafeTemporaryAllocation(byteCount: 128, alignment: 8) { buffer in
            let block = buffer.baseAddress!
            block.initializeMemory(as: UInt8.self, repeating: 0, count: tail)
            if rest > 0 { block.copyMemory(from: message.baseAddress! + offset, byteCount: rest) }
            block.storeBytes(of: 0x80, toByteOffset: rest, as: UInt8.self)
            let bitLength = UInt64(precedingBytes + length) &* 8
            block.storeBytes(of: bitLength.bigEndian, toByteOffset: tail - 8, as: UInt64.self)
            compress(UnsafeRawPointer(block))
            if tail == 128 { compress(UnsafeRawPointer(block + 64)) }
        }
        digest.storeBytes(of: h.0.bigEndian, toByteOffset: 0, as: UInt32.self)
        digest.storeBytes(of: h.1.bigEndian, toByteOffset: 4, as: UInt32.self)
        digest.storeBytes(of: h.2.bigEndian, toByteOffset: 8, as: UInt32.self)
        digest.storeBytes(of: h.3.bigEndian, toByteOffset: 12, as: UInt32.self)
        digest.storeBytes(of: h.4.bigEndian, toByteOffset: 16, as: UInt32.self)
        digest.storeBytes(of: h.5.bigEndian, toByteOffset: 20, as: UInt32.self)
        digest.storeBytes(of: h.6.bigEndian, toByteOffset: 24, as: UInt32.self)
        digest.storeBytes(of: h.7.bigEndian, toByteOffset: 28, as: UInt32.self)
    }
}

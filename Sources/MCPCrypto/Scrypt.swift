internal import COpenSSL

/// The scrypt key derivation function (RFC 7914), memory-hard so that guessing
/// passwords on dedicated hardware stays expensive.
public enum Scrypt {
    /// The cost parameters of scrypt, bounded so that no stored hash can make a check
    /// take more than 128 MiB of memory or about sixteen times the default work.
    public struct Parameters: Hashable, Sendable, CustomStringConvertible {
        /// The largest `logN` accepted.
        public static let maximumLogN = 20

        /// The largest block size `r` accepted.
        public static let maximumBlockSize = 32

        /// The largest parallelism `p` accepted.
        public static let maximumParallelism = 16

        /// The most memory one derivation may need: 128 MiB.
        public static let maximumMemoryByteCount = 128 << 20

        /// The most work one derivation may need, measured as `N * r * p`: 2^22.
        public static let maximumWork = 1 << 22

        /// The parameters new password hashes use: N = 2^15, r = 8, p = 1 (32 MiB).
        public static let `default` = Parameters(unchecked: 15, 8, 1)

        /// The base-2 logarithm of the CPU/memory cost `N`.
        public let logN: Int

        /// The block size `r`.
        public let blockSize: Int

        /// The parallelism `p`.
        public let parallelism: Int

        /// Chooses parameters, checking their bounds.
        ///
        /// - Parameters:
        ///   - logN: The base-2 logarithm of `N`, from 1 to `maximumLogN`.
        ///   - blockSize: `r`, from 1 to `maximumBlockSize`.
        ///   - parallelism: `p`, from 1 to `maximumParallelism`.
        /// - Throws: `CryptoError` with code `invalidParameter` when a value is out of
        ///   range or the combination needs more than `maximumMemoryByteCount` of memory
        ///   or `maximumWork`.
        public init(logN: Int, blockSize: Int, parallelism: Int) throws(CryptoError) {
            guard (1...Parameters.maximumLogN).contains(logN),
                (1...Parameters.maximumBlockSize).contains(blockSize),
                (1...Parameters.maximumParallelism).contains(parallelism)
            else {
                throw CryptoError(
                    .invalidParameter,
                    message:
                        "scrypt parameters out of range: ln=\(logN),r=\(blockSize),p=\(parallelism)"
                )
            }
            let candidate = Parameters(unchecked: logN, blockSize, parallelism)
            guard candidate.memoryByteCount <= Parameters.maximumMemoryByteCount,
                (1 << logN) * blockSize * parallelism <= Parameters.maximumWork
            else {
                throw CryptoError(
                    .invalidParameter,
                    message: "scrypt parameters too costly: \(candidate)"
                )
            }
            self = candidate
        }

        private init(unchecked logN: Int, _ blockSize: Int, _ parallelism: Int) {
            self.logN = logN
            self.blockSize = blockSize
            self.parallelism = parallelism
        }

        /// The memory one derivation needs for its large table: `128 * r * N` bytes.
        public var memoryByteCount: Int { 128 * blockSize << logN }

        /// The parameters as in an encoded hash: `ln=15,r=8,p=1`.
        public var description: String { "ln=\(logN),r=\(blockSize),p=\(parallelism)" }
    }

    /// The longest derived key returned.
    public static let maximumKeyByteCount = 1024

    /// Derives a key from a password.
    ///
    /// - Parameters:
    ///   - password: The password's bytes (for text, its UTF-8; normalise it first if
    ///     the same password can arrive in different Unicode forms).
    ///   - salt: The salt.
    ///   - parameters: The cost parameters.
    ///   - byteCount: The length of the derived key, from 1 to `maximumKeyByteCount`.
    /// - Returns: The derived key.
    /// - Throws: `CryptoError` with code `invalidParameter` when `byteCount` is out of
    ///   range, or `internalFailure` when OpenSSL fails (for instance out of memory).
    public static func deriveKey(
        password: some Sequence<UInt8>,
        salt: some Sequence<UInt8>,
        parameters: Parameters,
        byteCount: Int
    ) throws(CryptoError) -> [UInt8] {
        guard (1...maximumKeyByteCount).contains(byteCount) else {
            throw CryptoError(
                .invalidParameter,
                message: "scrypt output length must be 1 to \(maximumKeyByteCount) bytes"
            )
        }
        let n = UInt64(1) << UInt64(parameters.logN)
        let r = UInt64(parameters.blockSize)
        let p = UInt64(parameters.parallelism)
        // OpenSSL's own accounting: the table, the p blocks and one spare block.
        let memoryLimit = 128 * r * (n + p + 2)
        return try password.withContiguousBytes { (passwordBytes) throws(CryptoError) in
            try salt.withContiguousBytes { (saltBytes) throws(CryptoError) in
                try [UInt8](unsafeUninitializedCapacity: byteCount) {
                    (output, count) throws(CryptoError) in
                    let status = passwordBytes.withMemoryRebound(to: CChar.self) { passwordText in
                        EVP_PBE_scrypt(
                            passwordText.baseAddress,
                            passwordText.count,
                            saltBytes.baseAddress,
                            saltBytes.count,
                            n,
                            r,
                            p,
                            memoryLimit,
                            output.baseAddress,
                            output.count
                        )
                    }
                    guard status == 1 else {
                        output.initialize(repeating: 0)
                        throw .openSSL(.internalFailure, "EVP_PBE_scrypt")
                    }
                    count = byteCount
                }
            }
        }
    }
}

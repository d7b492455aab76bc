/// A stored password verifier: scrypt parameters, a random salt and the derived key, in
/// the PHC string format `$scrypt$ln=15,r=8,p=1$<salt>$<key>` (salt and key in standard
/// base64 without padding).
///
/// Parsing bounds every number, so a hostile stored string cannot make a check use more
/// than `Scrypt.Parameters.maximumMemoryByteCount` of memory. Checks compare in constant
/// time. The description names the parameters only.
public struct PasswordHash: Sendable, CustomStringConvertible {
    /// The salt length of new hashes: 16 bytes.
    public static let saltByteCount = 16

    /// The derived key length of new hashes: 32 bytes.
    public static let keyByteCount = 32

    /// The salt lengths accepted when parsing.
    public static let acceptedSaltByteCounts = 8...64

    /// The derived key lengths accepted when parsing.
    public static let acceptedKeyByteCounts = 16...64

    /// The longest encoded string accepted when parsing.
    public static let maximumEncodedLength = 256

    private static let prefix = "$scrypt$"

    /// The scrypt cost parameters.
    public let parameters: Scrypt.Parameters

    /// The salt.
    public let salt: [UInt8]

    /// The key derived from the password.
    public let derivedKey: [UInt8]

    /// Hashes a password with a fresh random salt.
    ///
    /// - Parameters:
    ///   - password: The password's bytes, such as `text.utf8` (normalise the text
    ///     first if the same password can arrive in different Unicode forms).
    ///   - parameters: The cost parameters; `Scrypt.Parameters.default` unless given.
    /// - Throws: `CryptoError` with code `randomSourceFailure` when no salt can be
    ///   drawn, or `internalFailure` when OpenSSL fails.
    public init(
        hashing password: some Sequence<UInt8>,
        parameters: Scrypt.Parameters = .default
    ) throws(CryptoError) {
        let salt = try SecureRandom.bytes(count: PasswordHash.saltByteCount)
        self.parameters = parameters
        self.salt = salt
        derivedKey = try Scrypt.deriveKey(
            password: password,
            salt: salt,
            parameters: parameters,
            byteCount: PasswordHash.keyByteCount
        )
    }

    /// Parses an encoded hash.
    ///
    /// - Parameter encoded: A string such as `$scrypt$ln=15,r=8,p=1$<salt>$<key>`.
    /// - Throws: `CryptoError` with code `invalidEncoding` when the string is not in the
    ///   format or a length is out of the accepted ranges, or `invalidParameter` when
    ///   the parameters are out of bounds.
    public init(encoded: some StringProtocol) throws(CryptoError) {
        guard encoded.utf8.count <= PasswordHash.maximumEncodedLength,
            encoded.hasPrefix(PasswordHash.prefix)
        else {
            throw PasswordHash.malformed("not an encoded scrypt hash")
        }
        let fields = Array(encoded.utf8).dropFirst(PasswordHash.prefix.utf8.count)
            .split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 3 else {
            throw PasswordHash.malformed("expected parameters, salt and key")
        }
        parameters = try PasswordHash.parseParameters(fields[0])
        salt = try Base64Alphabet.standardUnpadded.decode(fields[1])
        derivedKey = try Base64Alphabet.standardUnpadded.decode(fields[2])
        guard PasswordHash.acceptedSaltByteCounts.contains(salt.count) else {
            throw PasswordHash.malformed("salt length out of range")
        }
        guard PasswordHash.acceptedKeyByteCounts.contains(derivedKey.count) else {
            throw PasswordHash.malformed("key length out of range")
        }
    }

    /// The encoded hash, for storage.
    public var encoded: String {
        PasswordHash.prefix + parameters.description + "$"
            + Base64Alphabet.standardUnpadded.encode(salt) + "$"
            + Base64Alphabet.standardUnpadded.encode(derivedKey)
    }

    /// Checks a password against this hash in constant time.
    ///
    /// - Parameter password: The password's bytes, prepared as when hashing.
    /// - Returns: Whether the password is the one hashed; false also when the derivation
    ///   fails.
    public func verify(_ password: some Sequence<UInt8>) -> Bool {
        guard
            let candidate = try? Scrypt.deriveKey(
                password: password,
                salt: salt,
                parameters: parameters,
                byteCount: derivedKey.count
            )
        else {
            return false
        }
        return ConstantTime.isEqual(candidate, derivedKey)
    }

    /// Checks a password against an encoded hash.
    ///
    /// - Parameters:
    ///   - password: The password's bytes, prepared as when hashing.
    ///   - encoded: The stored encoded hash.
    /// - Returns: Whether the password is the one hashed; false when the encoded hash is
    ///   malformed or out of bounds.
    public static func verify(
        _ password: some Sequence<UInt8>,
        against encoded: some StringProtocol
    ) -> Bool {
        guard let hash = try? PasswordHash(encoded: encoded) else {
            return false
        }
        return hash.verify(password)
    }

    /// Whether the hash should be replaced, at the next successful login, by one made
    /// with other parameters.
    ///
    /// - Parameter target: The parameters new hashes use.
    /// - Returns: Whether this hash's parameters or lengths differ from what a new hash
    ///   would have.
    public func needsRehash(for target: Scrypt.Parameters = .default) -> Bool {
        parameters != target || salt.count != PasswordHash.saltByteCount
            || derivedKey.count != PasswordHash.keyByteCount
    }

    /// Names the algorithm and parameters, never the salt or key.
    public var description: String { "PasswordHash(scrypt \(parameters))" }

    /// Parses `ln=<n>,r=<n>,p=<n>` in that order.
    private static func parseParameters(_ field: ArraySlice<UInt8>) throws(CryptoError)
        -> Scrypt.Parameters
    {
        let parts = field.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw malformed("expected ln, r and p")
        }
        let logN = try parseNumber(parts[0], named: "ln=")
        let blockSize = try parseNumber(parts[1], named: "r=")
        let parallelism = try parseNumber(parts[2], named: "p=")
        return try Scrypt.Parameters(logN: logN, blockSize: blockSize, parallelism: parallelism)
    }

    /// Parses `<name><digits>`: one to three decimal digits, no leading zero.
    private static func parseNumber(
        _ part: ArraySlice<UInt8>,
        named name: String
    ) throws(CryptoError) -> Int {
        let nameBytes = Array(name.utf8)
        guard part.starts(with: nameBytes) else {
            throw malformed("expected \(name)")
        }
        let digits = part.dropFirst(nameBytes.count)
        guard (1...3).contains(digits.count),
            digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            digits.count == 1 || digits.first != UInt8(ascii: "0")
        else {
            throw malformed("bad number after \(name)")
        }
        return digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    private static func malformed(_ reason: String) -> CryptoError {
        CryptoError(.invalidEncoding, message: "malformed password hash: \(reason)")
    }
}

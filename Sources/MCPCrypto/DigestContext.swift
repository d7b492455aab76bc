internal import COpenSSL

/// Owns one OpenSSL digest context (`EVP_MD_CTX`) and frees it when released.
///
/// Digest failures in OpenSSL come only from memory exhaustion or a broken library, never
/// from the bytes being hashed, so they stop the process instead of being thrown.
///
/// `@unchecked Sendable`: the context is mutated only through `DigestState`, which copies
/// it first unless its owner holds the only reference (copy on write). A context shared
/// between values, and so possibly between tasks, is only ever read.
final class DigestContext: @unchecked Sendable {
    private let pointer: OpaquePointer
    private let algorithm: DigestAlgorithm

    /// Creates a context that has seen no bytes.
    ///
    /// - Parameter algorithm: The digest to compute.
    init(_ algorithm: DigestAlgorithm) {
        guard let pointer = EVP_MD_CTX_new() else {
            preconditionFailure("EVP_MD_CTX_new failed: out of memory")
        }
        self.pointer = pointer
        self.algorithm = algorithm
        guard EVP_DigestInit_ex(pointer, algorithm.messageDigest, nil) == 1 else {
            preconditionFailure("EVP_DigestInit_ex failed for \(algorithm)")
        }
    }

    /// Creates an independent context in the same state as `other`.
    ///
    /// - Parameter other: The context to copy; it is only read.
    init(copying other: DigestContext) {
        guard let pointer = EVP_MD_CTX_new() else {
            preconditionFailure("EVP_MD_CTX_new failed: out of memory")
        }
        self.pointer = pointer
        self.algorithm = other.algorithm
        guard EVP_MD_CTX_copy_ex(pointer, other.pointer) == 1 else {
            preconditionFailure("EVP_MD_CTX_copy_ex failed for \(algorithm)")
        }
    }

    deinit {
        EVP_MD_CTX_free(pointer)
    }

    /// Feeds bytes to the context.
    ///
    /// - Parameter bytes: The next bytes of the message.
    func update(_ bytes: some Sequence<UInt8>) {
        bytes.withContiguousBytes { buffer in
            guard EVP_DigestUpdate(pointer, buffer.baseAddress, buffer.count) == 1 else {
                preconditionFailure("EVP_DigestUpdate failed for \(algorithm)")
            }
        }
    }

    /// Finishes the digest; the context must not be used afterwards.
    ///
    /// - Returns: The digest.
    func finalizeInPlace() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: algorithm.byteCount) { buffer, count in
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(pointer, buffer.baseAddress, &length) == 1,
                Int(length) == algorithm.byteCount
            else {
                preconditionFailure("EVP_DigestFinal_ex failed for \(algorithm)")
            }
            count = Int(length)
        }
    }

    /// Digests a whole message with OpenSSL's one-shot call.
    ///
    /// - Parameters:
    ///   - message: The message.
    ///   - algorithm: The digest to compute.
    /// - Returns: The digest.
    static func digest(_ message: some Sequence<UInt8>, algorithm: DigestAlgorithm) -> [UInt8] {
        message.withContiguousBytes { input in
            [UInt8](unsafeUninitializedCapacity: algorithm.byteCount) { buffer, count in
                var length: UInt32 = 0
                guard
                    EVP_Digest(
                        input.baseAddress,
                        input.count,
                        buffer.baseAddress,
                        &length,
                        algorithm.messageDigest,
                        nil
                    ) == 1,
                    Int(length) == algorithm.byteCount
                else {
                    preconditionFailure("EVP_Digest failed for \(algorithm)")
                }
                count = Int(length)
            }
        }
    }
}

/// The state of an incremental digest with value semantics: a `DigestContext` copied on
/// the first write after the value itself was copied.
struct DigestState: Sendable {
    private var context: DigestContext

    /// Creates the state of a digest that has seen no bytes.
    ///
    /// - Parameter algorithm: The digest to compute.
    init(_ algorithm: DigestAlgorithm) {
        context = DigestContext(algorithm)
    }

    /// Feeds bytes, first copying the context if another value shares it.
    ///
    /// - Parameter bytes: The next bytes of the message.
    mutating func update(_ bytes: some Sequence<UInt8>) {
        if !isKnownUniquelyReferenced(&context) {
            context = DigestContext(copying: context)
        }
        context.update(bytes)
    }

    /// Returns the digest of the bytes fed so far, leaving this state unchanged.
    ///
    /// - Returns: The digest.
    func finalize() -> [UInt8] {
        DigestContext(copying: context).finalizeInPlace()
    }
}

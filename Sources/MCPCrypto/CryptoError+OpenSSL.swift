internal import COpenSSL

extension CryptoError {
    /// Builds the error for an OpenSSL call that failed, with OpenSSL's reasons in the
    /// message.
    ///
    /// Reading the reasons empties the calling thread's OpenSSL error queue, so that a
    /// later failure on this thread reports only its own reasons.
    ///
    /// - Parameters:
    ///   - code: The kind of failure to report.
    ///   - operation: What was being done, such as `"EVP_DigestSign"`.
    /// - Returns: An error whose message names the operation and OpenSSL's reasons.
    static func openSSL(_ code: Code, _ operation: String) -> CryptoError {
        let reasons = OpenSSLErrorQueue.drain()
        if reasons.isEmpty {
            return CryptoError(code, message: "\(operation) failed")
        }
        return CryptoError(code, message: "\(operation) failed: \(reasons.joined(separator: "; "))")
    }
}

/// The calling thread's OpenSSL error queue.
///
/// OpenSSL records why a call failed in a per-thread queue. Code in this module reads it
/// right after the failing call, with no suspension point in between, so the queue read
/// is the one the failure wrote.
enum OpenSSLErrorQueue {
    /// The most reasons kept in one message; the rest are discarded.
    static let maximumReasons = 4

    /// Empties the queue and returns the first reasons in it, as OpenSSL words them.
    ///
    /// - Returns: Up to `maximumReasons` error strings, oldest first.
    static func drain() -> [String] {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 {
                return reasons
            }
            if reasons.count < maximumReasons {
                reasons.append(errorString(code))
            }
        }
    }

    /// Empties the queue without reading it, after a failure that is an answer (such as
    /// a signature that does not verify) rather than an error.
    static func clear() {
        ERR_clear_error()
    }

    private static func errorString(_ code: UInt) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            buffer.initialize(repeating: 0)
            ERR_error_string_n(code, buffer.baseAddress, buffer.count)
            let length = buffer.firstIndex(of: 0) ?? buffer.count
            return String(
                decoding: UnsafeRawBufferPointer(
                    rebasing: UnsafeRawBufferPointer(buffer)[..<length]),
                as: UTF8.self
            )
        }
    }
}

/// Throws the OpenSSL error for `operation` unless `status` is 1, OpenSSL's success.
///
/// - Parameters:
///   - status: The return value of an OpenSSL call that returns 1 on success.
///   - operation: The name of the call, for the error message.
///   - code: The kind of failure to report.
/// - Throws: `CryptoError` with `code` and OpenSSL's reasons.
func requireSuccess(
    _ status: Int32,
    _ operation: String,
    code: CryptoError.Code = .internalFailure
) throws(CryptoError) {
    if status != 1 {
        throw .openSSL(code, operation)
    }
}

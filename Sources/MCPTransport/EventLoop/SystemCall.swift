internal import CLinux
internal import Glibc

/// An error from a system call: the call's name and `errno`.
package struct SystemCallError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name of the call that failed.
    package let call: String
    /// The `errno` value it left.
    package let errno: CInt

    package init(_ call: String, errno: CInt) {
        self.call = call
        self.errno = errno
    }

    package var description: String {
        "\(call) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Runs a system call, retrying it on EINTR and reading `errno` at once on failure.
///
/// - Parameters:
///   - name: the call's name, for the error.
///   - body: the call; a negative result means failure.
/// - Returns: the call's non-negative result.
@inline(__always)
package func systemCall<Result: BinaryInteger>(_ name: @autoclosure () -> String, _ body: () -> Result) throws(SystemCallError) -> Result {
    while true {
        let result = body()
        if result >= 0 { return result }
        let error = clinux_errno()
        if error == EINTR { continue }
        throw SystemCallError(name(), errno: error)
    }
}

/// Like ``systemCall(_:_:)``, but EAGAIN/EWOULDBLOCK return `nil` instead of throwing.
@inline(__always)
package func nonBlockingCall<Result: BinaryInteger>(_ name: @autoclosure () -> String, _ body: () -> Result) throws(SystemCallError) -> Result? {
    while true {
        let result = body()
        if result >= 0 { return result }
        let error = clinux_errno()
        if error == EINTR { continue }
        if error == EAGAIN || error == EWOULDBLOCK { return nil }
        throw SystemCallError(name(), errno: error)
    }
}

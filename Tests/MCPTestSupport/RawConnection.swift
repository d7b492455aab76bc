import Foundation
import Glibc
import Synchronization

/// A blocking TCP client for tests that must send exact bytes and see exactly what comes
/// back, including whether the server closed the connection.
// @unchecked Sendable: one thread may send while another receives on a socket; the
// descriptor never changes.
package final class RawConnection: @unchecked Sendable {
    private let descriptor: CInt

    package init(port: UInt16, receiveBuffer: Int? = nil) throws {
        descriptor = socket(AF_INET, CInt(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EIO) }
        if let receiveBuffer {
            var size = CInt(receiveBuffer)
            setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<CInt>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
        setTimeout(.seconds(5))
    }

    deinit { close(descriptor) }

    package func setTimeout(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    package func send(_ text: String) { send(Array(text.utf8)) }

    package func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return }
            offset += written
        }
    }

    /// Reads until the server closes the connection or the timeout passes, on a thread of
    /// its own so that the blocking call never holds a thread of Swift's concurrency pool
    /// (which the server under test needs).
    /// - Returns: the bytes and whether the server closed the connection.
    package func readUntilClose() async -> (bytes: [UInt8], closed: Bool) {
        await onThread { self.blockingReadUntilClose() }
    }

    /// Reads until the bytes contain `count` occurrences of `marker`, or a timeout.
    package func read(until marker: String, count: Int = 1) async -> String {
        await onThread { self.blockingRead(until: marker, count: count) }
    }

    private func onThread<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: body()) }
        }
    }

    private func blockingReadUntilClose() -> (bytes: [UInt8], closed: Bool) {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (bytes, true) }
            if count < 0 { return (bytes, errno == ECONNRESET) }
            bytes += buffer[0..<count]
        }
    }

    private func blockingRead(until marker: String, count: Int) -> String {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while String(decoding: bytes, as: UTF8.self).components(separatedBy: marker).count - 1 < count {
            let received = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if received <= 0 { break }
            bytes += buffer[0..<received]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Runs a command and returns its standard output, waiting on a thread of its own so that
/// no thread of Swift's concurrency pool (which the server under test needs) is blocked.
package func runCommand(_ executable: String, _ arguments: [String]) async throws -> (output: String, status: Int32) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try blockingRunCommand(executable, arguments) })
        }
    }
}

private func blockingRunCommand(_ executable: String, _ arguments: [String]) throws -> (output: String, status: Int32) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (String(decoding: data, as: UTF8.self), process.terminationStatus)
}

/// Standard error lines of a peer, kept for failure messages.
package final class ErrorLines: Sendable {
    private let storage = Mutex<[String]>([])

    package init() {}

    package func append(_ line: String) { storage.withLock { $0.append(line) } }

    package var lines: [String] { storage.withLock { $0 } }
}

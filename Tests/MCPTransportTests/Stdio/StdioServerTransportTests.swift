import Foundation
import MCPCore
import Testing

@testable import MCPTransport

/// The server side of the stdio transport, reading a pipe on its event loop or a file with
/// its blocking thread.
@Suite("Stdio server transport")
struct StdioServerTransportTests {
    /// `count` numbered requests, one per line, each padded to about 1 KB.
    private static func requests(_ count: Int) -> [UInt8] {
        let padding = String(repeating: "p", count: 1000)
        var bytes: [UInt8] = []
        for id in 0..<count {
            bytes += Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"ping","params":{"pad":"\#(padding)"}}"#.utf8)
            bytes.append(0x0A)
        }
        return bytes
    }

    private static func receiveIDs(_ transport: StdioServerTransport) async throws -> [JSONRPCID] {
        var ids: [JSONRPCID] = []
        while let inbound = try await transport.receive() {
            if case .message(let message) = inbound, let id = message.id { ids.append(id) }
        }
        return ids
    }

    @Test(
        "a pipe is read on the event loop, pausing while the reader is behind, in order",
        .timeLimit(.minutes(1)))
    func readsAPipeWithBackpressure() async throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        let output = open("/dev/null", O_WRONLY)
        defer { close(output) }
        let transport = StdioServerTransport(inputDescriptor: descriptors[0], outputDescriptor: output)
        #expect(transport.executor != nil)
        // About 1 MB, four times the read buffer: written while nobody reads, so the reader
        // pauses and resumes several times.
        let bytes = Self.requests(1000)
        let writeEnd = descriptors[1]
        let writer = Thread {
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { write(writeEnd, $0.baseAddress, $0.count) }
                if written <= 0 { break }
                offset += written
            }
            close(writeEnd)
        }
        writer.start()
        try await Task.sleep(for: .milliseconds(200))
        let ids = try await Self.receiveIDs(transport)
        #expect(ids == (0..<1000).map { JSONRPCID(Int64($0)) })
        close(descriptors[0])
    }

    @Test("a transport dropped while its pipe is open stops reading it")
    func droppingTheTransportStopsReading() async throws {
        var descriptors: [Int32] = [0, 0]
        try #require(pipe(&descriptors) == 0)
        defer { close(descriptors[0]) }
        let output = open("/dev/null", O_WRONLY)
        defer { close(output) }
        do {
            let transport = StdioServerTransport(inputDescriptor: descriptors[0], outputDescriptor: output)
            try await Task.sleep(for: .milliseconds(50))
            withExtendedLifetime(transport) {}
        }
        // Bytes and the end of input after the transport is gone reach no reader.
        let bytes = Self.requests(10)
        #expect(bytes.withUnsafeBytes { write(descriptors[1], $0.baseAddress, $0.count) } == bytes.count)
        close(descriptors[1])
        try await Task.sleep(for: .milliseconds(100))
    }

    @Test("a file is read by the blocking thread")
    func readsAFile() async throws {
        let path = NSTemporaryDirectory() + "stdio-server-\(getpid()).jsonl"
        try Data(Self.requests(300)).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let input = open(path, O_RDONLY)
        let output = open("/dev/null", O_WRONLY)
        defer {
            close(input)
            close(output)
        }
        let transport = StdioServerTransport(inputDescriptor: input, outputDescriptor: output)
        #expect(transport.executor == nil)
        #expect(try await Self.receiveIDs(transport) == (0..<300).map { JSONRPCID(Int64($0)) })
    }
}

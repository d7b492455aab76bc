import Foundation
import MCPAudit
import MCPCore
import MCPTestSupport
import Synchronization
import Testing

@Suite("Export sinks")
struct SinkTests {
    private func records(_ count: Int) -> [AuditRecord] {
        (1...count).map { index in
            var event = sampleEvent(index, subject: index == 2 ? "quote\"bracket]back\\slash" : "user-\(index)")
            if index == 3 { event.outcome?.status = "error" }
            return AuditRecord(
                sequence: Int64(index),
                recordedAt: AuditTime(microsecondsSinceEpoch: 1_764_000_000_000_000 + Int64(index)),
                event: event, hash: [UInt8](repeating: UInt8(index), count: 32))
        }
    }

    @Test("the file sink appends JSON Lines through the log")
    func fileSink() async throws {
        let directory = try TemporaryDirectory()
        let exportPath = directory.file("export.jsonl")
        var configuration = logConfiguration(directory)
        configuration.sinks = [try AuditFileSink(path: exportPath, sync: .everyRecords(2))]
        try await AuditLog.withAuditLog(configuration: configuration) { log in
            for index in 0..<5 { try await log.append(sampleEvent(index)) }
        }
        let text = try String(contentsOfFile: exportPath, encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 5)
        for (index, line) in lines.enumerated() {
            let value = try JSONParser().parse(String(line))
            #expect(value["sequence"] == .number(JSONNumber(index + 1)))
            #expect(value["requestId"] == .string("req-\(index)"))
        }
        // Appending again keeps what is there.
        let sink = try AuditFileSink(path: exportPath)
        try sink.export(records(1))
        sink.close()
        #expect(try String(contentsOfFile: exportPath, encoding: .utf8).split(separator: "\n").count == 6)
        expectAuditError(.sinkFailure) { try sink.export(records(1)) }
    }

    @Test("the file sink refuses a path it cannot open")
    func fileSinkBadPath() throws {
        expectAuditError(.sinkFailure) { try AuditFileSink(path: "/nonexistent-directory/x.jsonl") }
        expectAuditError(.invalidConfiguration) { try AuditFileSink(path: "/tmp/x.jsonl", sync: .everyRecords(0)) }
    }

    @Test(
        "RFC 5424 messages reach a real collector over UDP and TCP", arguments: [AuditSyslogSink.Transport.udp, .tcp])
    func syslog(transport: AuditSyslogSink.Transport) throws {
        let receiver = Process()
        receiver.executableURL = URL(fileURLWithPath: TestPeers.python)
        if !FileManager.default.isExecutableFile(atPath: TestPeers.python) {
            receiver.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            receiver.arguments = ["python3"]
        }
        receiver.arguments =
            (receiver.arguments ?? []) + [
                TestPeers.script("syslog_receiver.py"), transport == .udp ? "udp" : "tcp", "3", "10",
            ]
        let output = Pipe()
        receiver.standardOutput = output
        try receiver.run()
        defer { if receiver.isRunning { receiver.terminate() } }
        let reader = output.fileHandleForReading
        var buffer = Data()
        func nextLine() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: 0x0A) {
                    let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                    buffer.removeSubrange(buffer.startIndex...newline)
                    return line
                }
                let chunk = reader.availableData
                if chunk.isEmpty { return nil }
                buffer.append(chunk)
            }
        }
        let portLine = try #require(nextLine())
        let port = try #require(UInt16(portLine.dropFirst("PORT ".count)))
        let format = SyslogMessageFormat(hostname: "gw-1", processID: "4242")
        let sink = try AuditSyslogSink(host: "127.0.0.1", port: port, transport: transport, format: format)
        let sent = records(3)
        try sink.export(sent)
        sink.close()

        for record in sent {
            let line = try #require(nextLine())
            #expect(line.hasPrefix("MSG "))
            let message = try #require(try JSONParser().parse(String(line.dropFirst(4))).stringValue)
            let severity = record.sequence == 3 ? 4 : 6
            let header = "<\(13 * 8 + severity)>1 \(record.recordedAt.rfc3339) gw-1 mcp-gateway 4242 call "
            #expect(message.hasPrefix(header), "\(message)")
            let structured =
                "[audit@32473 seq=\"\(record.sequence)\" hash=\"\(String(repeating: String(format: "%02x", record.sequence), count: 32))\""
            #expect(message.contains(structured))
            if record.sequence == 2 {
                #expect(message.contains(#"subject="quote\"bracket\]back\\slash""#))
            }
            // MSG: the byte order mark, then the record as JSON.
            let bom = try #require(message.range(of: "\u{FEFF}"))
            let json = try JSONParser().parse(String(message[bom.upperBound...]))
            #expect(json["sequence"] == .number(JSONNumber(record.sequence)))
        }
        receiver.waitUntilExit()
    }

    @Test("a collector that is not there fails the export with a bounded wait")
    func unreachableCollector() throws {
        let sink = try AuditSyslogSink(
            host: "127.0.0.1", port: 9, transport: .tcp, format: SyslogMessageFormat(hostname: "h"),
            connectTimeout: .milliseconds(500))
        expectAuditError(.sinkFailure) { try sink.export(records(1)) }
        expectAuditError(.invalidConfiguration) {
            try AuditSyslogSink(host: "", port: 514, transport: .udp, format: SyslogMessageFormat(hostname: "h"))
        }
    }

    @Test("a message over the size limit leaves out its MSG part but keeps the header")
    func sizeLimit() {
        let record = records(1)[0]
        let small = SyslogMessageFormat(hostname: "h", maxMessageBytes: 300).message(for: record)
        let text = String(decoding: small, as: UTF8.self)
        #expect(text.hasSuffix("]"))
        #expect(!text.contains("\u{FEFF}"))
        let host = SyslogMessageFormat(hostname: "bad host\u{7}", appName: "").message(for: record)
        #expect(String(decoding: host, as: UTF8.self).contains(" bad_host_ - - call "))
    }
}

/// A sink that fails every export, as an unreachable collector would.
final class FailingSink: AuditSink {
    let closed = Mutex(false)

    func export(_ records: [AuditRecord]) throws(AuditError) {
        throw AuditError(.sinkFailure, message: "unreachable")
    }

    func close() { closed.withLock { $0 = true } }
}

@Suite("Sink failures and cancellation")
struct SinkFailureTests {
    @Test("records a failing sink could not take are counted, and the log's own records are intact")
    func failingSink() async throws {
        let directory = try TemporaryDirectory()
        let sink = FailingSink()
        var configuration = logConfiguration(directory)
        configuration.sinks = [sink]
        let log = try AuditLog(configuration: configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await log.run() }
            for index in 0..<6 { try await log.append(sampleEvent(index)) }
            log.shutdown()
            try await group.waitForAll()
        }
        #expect(log.health.sinkDroppedCount == 6)
        #expect(log.health.committedCount == 6)
        #expect(sink.closed.withLock { $0 })
        #expect(try AuditVerifier().verify(path: directory.file("audit.sqlite")).isValid)
    }

    @Test("cancelling the task that runs the writer drains the queue and writes the final checkpoint")
    func cancellation() async throws {
        let directory = try TemporaryDirectory()
        var configuration = logConfiguration(directory, durability: .async)
        configuration.checkpointEveryRecords = 0
        let log = try AuditLog(configuration: configuration)
        let runner = Task { try await log.run() }
        for index in 0..<20 { try await log.append(sampleEvent(index)) }
        runner.cancel()
        try await runner.value
        #expect(log.health.committedCount == 20)
        await expectAuditErrorAsync(.closed) { try await log.append(sampleEvent(99)) }
        #expect(try checkpointSequences(directory) == [20])
    }
}

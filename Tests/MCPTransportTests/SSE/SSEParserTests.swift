import Testing

@testable import MCPTransport

/// Drives an ``SSEParser`` over pieces of a stream.
enum SSEHarness {
    struct Outcome {
        var events: [ServerSentEvent] = []
        var error: SSEParserError?
        var lastEventID = ""
        var reconnectionTime: Int?
    }

    static func run(
        _ pieces: [ArraySlice<UInt8>], maxEventBytes: Int = 1 << 20, maxLineBytes: Int = 1 << 20
    ) -> Outcome {
        var parser = SSEParser(maxEventBytes: maxEventBytes, maxLineBytes: maxLineBytes)
        var outcome = Outcome()
        do {
            for piece in pieces {
                parser.append(piece)
                while let event = try parser.next() { outcome.events.append(event) }
            }
        } catch {
            outcome.error = error
            parser.append(Array("data: x\n\n".utf8))
            #expect(throws: error) { try parser.next() }
        }
        parser.finish()
        outcome.lastEventID = parser.lastEventID
        outcome.reconnectionTime = parser.reconnectionTime
        return outcome
    }

    static func whole(_ text: String) -> Outcome {
        let bytes = Array(text.utf8)
        return run([bytes[...]])
    }

    /// Parses `bytes` whole, byte by byte and split in two at every index, expecting the
    /// same outcome each time.
    static func everySplit(_ bytes: [UInt8]) -> Outcome {
        let whole = run([bytes[...]])
        let single = run(bytes.indices.map { bytes[$0..<$0 + 1] })
        #expect(single.events == whole.events)
        for index in 0...bytes.count {
            let split = run([bytes[..<index], bytes[index...]])
            #expect(split.events == whole.events, "split at \(index)")
            #expect(split.lastEventID == whole.lastEventID, "split at \(index)")
            #expect(split.reconnectionTime == whole.reconnectionTime, "split at \(index)")
        }
        return whole
    }

    static func everySplit(_ text: String) -> Outcome { everySplit(Array(text.utf8)) }
}

@Suite("SSE parser")
struct SSEParserTests {
    private func message(_ data: String, event: String? = nil, id: String? = nil) -> ServerSentEvent {
        ServerSentEvent(event: event, data: data, id: id)
    }

    // MARK: The examples of the WHATWG HTML standard (§9.2.6)

    @Test func stockTickerExample() {
        let outcome = SSEHarness.everySplit("data: YHOO\ndata: +2\ndata: 10\n\n")
        #expect(outcome.events == [message("YHOO\n+2\n10")])
    }

    @Test func idAndCommentExample() {
        let stream = ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n"
        let outcome = SSEHarness.everySplit(stream)
        // The third event has no blank line after it, so it is never dispatched.
        #expect(outcome.events == [message("first event", id: "1"), message("second event")])
        #expect(outcome.lastEventID == "")
    }

    @Test func emptyDataExample() {
        let outcome = SSEHarness.everySplit("data\n\ndata\ndata\n\ndata:\n")
        #expect(outcome.events == [message(""), message("\n")])
    }

    @Test func spaceAfterColonExample() {
        let outcome = SSEHarness.everySplit("data:test\n\ndata: test\n\n")
        #expect(outcome.events == [message("test"), message("test")])
    }

    @Test func eventTypesExample() {
        let outcome = SSEHarness.everySplit(
            "event: add\ndata: 73857293\n\nevent: remove\ndata: 2153\n\nevent: add\ndata: 113411\n\n")
        #expect(
            outcome.events == [
                message("73857293", event: "add"), message("2153", event: "remove"),
                message("113411", event: "add"),
            ])
    }

    // MARK: Line ends

    @Test func everyLineEndStyleGivesTheSameEvents() {
        let lines = [": c", "event: e", "id: 7", "data: a", "data:  b", "", "data: c", "retry: 10", ""]
        let expected = [message("a\n b", event: "e", id: "7"), message("c", id: "7")]
        for separator in ["\n", "\r\n", "\r"] {
            let outcome = SSEHarness.everySplit(lines.joined(separator: separator) + separator)
            #expect(outcome.events == expected, "\(separator.debugDescription)")
            #expect(outcome.reconnectionTime == 10)
        }
        // Mixed, including CR LF split across pieces.
        let mixed = "data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\r"
        #expect(SSEHarness.everySplit(mixed).events == [message("a\nb\nc"), message("d")])
    }

    @Test func carriageReturnThenLineFeedAcrossPiecesIsOneLineEnd() throws {
        var parser = SSEParser()
        parser.append(Array("data: a\r".utf8))
        #expect(try parser.next() == nil)
        parser.append(Array("\ndata: b\r\n\r\n".utf8))
        #expect(try parser.next() == message("a\nb"))
        #expect(try parser.next() == nil)
        // A lone CR at the end of a piece followed by a CR: two line ends, so a dispatch.
        parser.append(Array("data: c\r".utf8))
        #expect(try parser.next() == nil)
        parser.append(Array("\r".utf8))
        #expect(try parser.next() == message("c"))
    }

    // MARK: Fields

    @Test func skipsOneByteOrderMarkAtTheStart() {
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        let stream = Array("data: a\n\n".utf8)
        #expect(SSEHarness.everySplit(bom + stream).events == [message("a")])
        // A second mark is part of the first field name, which then means nothing.
        #expect(SSEHarness.everySplit(bom + bom + stream).events == [])
        // A mark later in the stream is not skipped either.
        #expect(SSEHarness.everySplit(stream + bom + stream).events == [message("a")])
        // A partial mark is content.
        #expect(SSEHarness.everySplit([0xEF, 0xBB] + stream).events == [])
        #expect(SSEHarness.everySplit(Array(":\u{FEFF}\n".utf8) + stream).events == [message("a")])
    }

    @Test func fieldsWithoutColonHaveEmptyValues() {
        let outcome = SSEHarness.everySplit("id: 5\nevent: x\nevent\ndata\nid\n\n")
        #expect(outcome.events == [message("")])
        #expect(outcome.lastEventID == "")
    }

    @Test func removesOnlyOneSpaceAfterTheColon() {
        let outcome = SSEHarness.everySplit("event:  padded\ndata:\t tab\ndata:   three\ndata:x\n\n")
        #expect(outcome.events == [message("\t tab\n  three\nx", event: " padded")])
    }

    @Test func retryTakesOnlyDigits() {
        for (value, expected) in [
            ("1000", 1000), ("0", 0), ("10a", nil), ("-1", nil), ("", nil), ("1 ", nil), (" 1", 1),
            ("+5", nil), ("1.5", nil), ("99999999999999999999999", nil),
        ] as [(String, Int?)] {
            let outcome = SSEHarness.whole("retry:\(value)\n\n")
            #expect(outcome.reconnectionTime == expected, "\(value.debugDescription)")
            #expect(outcome.events.isEmpty)
        }
        #expect(SSEHarness.whole("retry: 5\nretry: x\n").reconnectionTime == 5)
    }

    @Test func idsPersistAndIgnoreNUL() {
        let outcome = SSEHarness.everySplit(
            "id: 1\ndata: a\n\ndata: b\n\nid: 2\u{0}x\ndata: c\n\nid: 3\n\nid\ndata: d\n\n")
        #expect(
            outcome.events == [
                message("a", id: "1"), message("b", id: "1"), message("c", id: "1"), message("d"),
            ])
        #expect(SSEHarness.whole("id: 3\n\n").lastEventID == "3")
        #expect(SSEHarness.whole("id: 3\n").lastEventID == "3")
    }

    @Test func doesNotDispatchWithoutData() {
        let outcome = SSEHarness.everySplit("event: a\n\nid: 4\n\n\n\ndata: b\n\n: only a comment\n\n")
        // The type of the undispatched block does not leak into the next event.
        #expect(outcome.events == [message("b", id: "4")])
    }

    @Test func ignoresUnknownFieldsAndComments() {
        let outcome = SSEHarness.everySplit(
            ":hello\nfoo: bar\nData: no\nDATA: no\n data: no\nevent : no\ndata: yes\n\n")
        #expect(outcome.events == [message("yes")])
    }

    @Test func discardsAnUnfinishedEventAtTheEnd() throws {
        var parser = SSEParser()
        parser.append(Array("id: 9\ndata: partial\n".utf8))
        #expect(try parser.next() == nil)
        parser.finish()
        parser.append(Array("\n".utf8))
        #expect(try parser.next() == nil)
        #expect(parser.lastEventID == "9")
    }

    @Test func keepsDataAsBytes() throws {
        let stream: [UInt8] = Array("data: ".utf8) + [0xFF, 0x00, 0xC3] + [0x0A, 0x0A]
        let outcome = SSEHarness.everySplit(stream)
        #expect(outcome.events.map(\.data) == [[0xFF, 0x00, 0xC3]])
    }

    @Test func readsAnMCPStream() throws {
        let stream =
            "id: s1-0\ndata:\n\n: keep-alive\n\nid: s1-1\nevent: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}\n\nretry: 3000\n\n"
        let outcome = SSEHarness.everySplit(stream)
        #expect(outcome.events.count == 2)
        #expect(outcome.events.first == ServerSentEvent(data: [UInt8](), id: "s1-0"))
        #expect(outcome.events.last?.event == "message")
        #expect(outcome.events.last?.dataString == "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}")
        #expect(outcome.lastEventID == "s1-1")
        #expect(outcome.reconnectionTime == 3000)
    }

    // MARK: Bounds

    @Test func boundsTheSizeOfOneEvent() {
        let stream = Array("data: 12345\ndata: 12345\n\ndata: 1234567890\ndata: 1234567890\n\n".utf8)
        let pieces = [stream[...]]
        let bytewise = stream.indices.map { stream[$0..<$0 + 1] }
        for input in [pieces, bytewise] {
            let outcome = SSEHarness.run(input, maxEventBytes: 16, maxLineBytes: 64)
            #expect(outcome.events == [message("12345\n12345")])
            #expect(outcome.error?.code == .eventTooLarge)
        }
        // The type counts too.
        let typed = SSEHarness.run(
            [Array("event: 0123456789\ndata: 0123456789\n\n".utf8)[...]], maxEventBytes: 16)
        #expect(typed.error?.code == .eventTooLarge)
    }

    @Test func boundsTheLengthOfOneLine() {
        let stream = Array("data: 12\n\n: 0123456789\n\n".utf8)
        for input in [[stream[...]], stream.indices.map { stream[$0..<$0 + 1] }] {
            let outcome = SSEHarness.run(input, maxLineBytes: 8)
            #expect(outcome.events == [message("12")])
            #expect(outcome.error?.code == .lineTooLong)
        }
        // A line without an end is bounded while it arrives.
        var parser = SSEParser(maxLineBytes: 100)
        var failed = false
        for _ in 0..<20 {
            parser.append([UInt8](repeating: 0x61, count: 10))
            do { _ = try parser.next() } catch {
                #expect(error.code == .lineTooLong)
                failed = true
                break
            }
        }
        #expect(failed)
        #expect(parser.error?.code == .lineTooLong)
        #expect(SSEParserError(.lineTooLong, "a") == SSEParserError(.lineTooLong, "b"))
    }
}

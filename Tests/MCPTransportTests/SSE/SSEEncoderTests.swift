import Testing

@testable import MCPTransport

@Suite("SSE encoder")
struct SSEEncoderTests {
    private func text(_ event: ServerSentEvent) throws -> String {
        String(decoding: try SSEEncoder.encode(event), as: UTF8.self)
    }

    @Test func writesEveryField() throws {
        let event = ServerSentEvent(
            event: "message", data: "{\"a\":1}", id: "42", retry: 1500, comment: "note")
        #expect(try text(event) == ": note\nevent: message\nid: 42\nretry: 1500\ndata: {\"a\":1}\n\n")
    }

    @Test func splitsDataAndCommentsAtEveryLineBreak() throws {
        #expect(try text(ServerSentEvent(data: "a\nb\r\nc\rd")) == "data: a\ndata: b\ndata: c\ndata: d\n\n")
        #expect(try text(ServerSentEvent(data: "a\n")) == "data: a\ndata: \n\n")
        #expect(try text(ServerSentEvent(data: " lead")) == "data:  lead\n\n")
        #expect(try text(ServerSentEvent(comment: "one\ntwo")) == ": one\n: two\n\n")
    }

    @Test func distinguishesNoDataFromEmptyData() throws {
        #expect(try text(ServerSentEvent(id: "7")) == "id: 7\n\n")
        #expect(try text(ServerSentEvent(data: [UInt8](), id: "7")) == "id: 7\ndata: \n\n")
    }

    @Test func refusesLineBreaksInNamesAndIds() {
        for name in ["a\nb", "a\r", "\r\nevent: x"] {
            #expect(throws: SSEEncodingError(.invalidEventName, "")) {
                try SSEEncoder.encode(ServerSentEvent(event: name, data: "x"))
            }
        }
        for id in ["1\n", "\r1", "1\u{0}2", "1\r\ndata: injected"] {
            #expect(throws: SSEEncodingError(.invalidID, "")) {
                try SSEEncoder.encode(ServerSentEvent(data: "x", id: id))
            }
        }
        #expect(throws: SSEEncodingError(.invalidRetry, "")) {
            try SSEEncoder.encode(ServerSentEvent(retry: -1))
        }
        var buffer: [UInt8] = [1, 2, 3]
        #expect(throws: SSEEncodingError(.invalidID, "")) {
            try SSEEncoder.encode(ServerSentEvent(id: "\n", comment: "c"), into: &buffer)
        }
        #expect(buffer == [1, 2, 3])
    }

    @Test func writesKeepAliveComments() throws {
        #expect(SSEEncoder.keepAlive() == Array(":\n".utf8))
        #expect(SSEEncoder.keepAlive("ping\r\nx") == Array(": ping  x\n".utf8))
        var parser = SSEParser()
        parser.append(SSEEncoder.keepAlive("ping") + (try SSEEncoder.encode(ServerSentEvent(data: "a"))))
        #expect(try parser.next() == ServerSentEvent(data: "a"))
        #expect(try parser.next() == nil)
    }
}

@Suite("SSE round trip")
struct SSERoundTripTests {
    private func randomText(
        _ generator: inout SplitMix64, maxLength: Int, allowLineBreaks: Bool
    ) -> String {
        let alphabet: [Unicode.Scalar] = [
            "a", "b", "Z", "0", " ", ":", "\t", "é", "€", "😀", "\u{FEFF}", "\"", "\\",
        ]
        let breaks: [Unicode.Scalar] = ["\n", "\r"]
        let length = Int(generator.next() % UInt64(maxLength + 1))
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            let pool = allowLineBreaks && generator.next() % 6 == 0 ? breaks : alphabet
            scalars.append(pool[Int(generator.next() % UInt64(pool.count))])
        }
        return String(scalars)
    }

    private func randomEvent(_ generator: inout SplitMix64) -> ServerSentEvent {
        var event = ServerSentEvent()
        if generator.next() % 2 == 0 {
            let name = randomText(&generator, maxLength: 8, allowLineBreaks: false)
            event.event = name.isEmpty ? "e" : name
        }
        switch generator.next() % 4 {
        case 0:
            event.data = nil
        case 1:
            event.data = []
        default:
            // Any bytes but CR, which a client reads as a line break like LF.
            event.data = (0..<Int(generator.next() % 40)).map { _ in
                let byte = UInt8(truncatingIfNeeded: generator.next())
                return byte == 0x0D ? 0x0A : byte
            }
        }
        if generator.next() % 3 == 0 {
            event.id = randomText(&generator, maxLength: 6, allowLineBreaks: false)
        }
        if generator.next() % 4 == 0 { event.retry = Int(generator.next() % 100_000) }
        if generator.next() % 4 == 0 {
            event.comment = randomText(&generator, maxLength: 12, allowLineBreaks: true)
        }
        return event
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func randomEventsSurviveEncodingAndParsing(seed: UInt64) throws {
        var generator = SplitMix64(seed: seed)
        for _ in 0..<60 {
            let events = (0..<Int(generator.next() % 6)).map { _ in randomEvent(&generator) }
            var stream: [UInt8] = []
            for event in events { try SSEEncoder.encode(event, into: &stream) }

            // What a client must see: events with data, with the id in effect.
            var expected: [ServerSentEvent] = []
            var lastEventID = ""
            var reconnectionTime: Int?
            for event in events {
                if let id = event.id { lastEventID = id }
                if let retry = event.retry { reconnectionTime = retry }
                if let data = event.data {
                    expected.append(
                        ServerSentEvent(
                            event: event.event, data: data,
                            id: lastEventID.isEmpty ? nil : lastEventID))
                }
            }

            // Split the stream at random places.
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + 1 + Int(generator.next() % 16))
                pieces.append(stream[start..<end])
                start = end
            }
            let outcome = SSEHarness.run(pieces)
            #expect(outcome.error == nil)
            #expect(outcome.events == expected)
            #expect(outcome.lastEventID == lastEventID)
            #expect(outcome.reconnectionTime == reconnectionTime)
        }
    }
}

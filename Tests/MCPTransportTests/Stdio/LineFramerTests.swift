import Testing

@testable import MCPTransport

@Suite("Line framer")
struct LineFramerTests {
    private func lines(_ text: String, maxLineBytes: Int = 1024, splitEvery step: Int) -> [LineFramer.Event] {
        var framer = LineFramer(maxLineBytes: maxLineBytes)
        let bytes = Array(text.utf8)
        var events: [LineFramer.Event] = []
        var index = 0
        while index < bytes.count {
            let end = min(index + step, bytes.count)
            events += framer.feed(bytes[index..<end])
            index = end
        }
        if let last = framer.finish() { events.append(last) }
        return events
    }

    @Test func splitsLinesAtAnyChunking() {
        let text = "{\"a\":1}\n\r\n{\"b\":2}\r\n\n{\"c\":3}"
        let expected: [LineFramer.Event] = [.line(Array("{\"a\":1}".utf8)), .line(Array("{\"b\":2}".utf8)), .line(Array("{\"c\":3}".utf8))]
        for step in 1...text.utf8.count {
            #expect(lines(text, splitEvery: step) == expected, "chunks of \(step)")
        }
    }

    @Test func dropsAnOversizedLineAndStaysInStep() {
        let long = String(repeating: "x", count: 50)
        let text = "ok\n\(long)\nafter\n"
        for step in [1, 3, 7, 100] {
            let events = lines(text, maxLineBytes: 10, splitEvery: step)
            #expect(events.count == 3)
            #expect(events.first == .line(Array("ok".utf8)))
            #expect(events.last == .line(Array("after".utf8)))
            guard case .oversizedLine(let length) = events[1] else {
                Issue.record("no oversize report")
                continue
            }
            #expect(length == 50)
        }
    }

    @Test func boundsMemoryWhileDiscarding() {
        var framer = LineFramer(maxLineBytes: 16)
        for _ in 0..<1000 { _ = framer.feed([UInt8](repeating: 0x61, count: 1000)) }
        #expect(framer.bufferedBytes == 0)
        #expect(framer.feed([0x0A]) == [.oversizedLine(length: 1_000_000)])
        #expect(framer.feed(Array("a\n".utf8)) == [.line([0x61])])
    }

    @Test func framingRemovesOnlyInsignificantLineBreaks() throws {
        let pretty = "{\n  \"jsonrpc\": \"2.0\",\r\n  \"method\": \"a\\nb\"\n}"
        let framed = LineFramer.frame(Array(pretty.utf8))
        #expect(framed.last == 0x0A)
        #expect(!framed.dropLast().contains(0x0A))
        #expect(!framed.contains(0x0D))
        var framer = LineFramer()
        let events = framer.feed(framed)
        #expect(events.count == 1)
    }
}

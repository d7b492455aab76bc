import Testing

@testable import MCPTransport

/// Drives an ``HTTPRequestParser`` over pieces of input and records what it produced, with
/// adjacent body slices merged so that outcomes compare equal however the input was split.
enum HTTPParserHarness {
    enum Item: Equatable, CustomStringConvertible {
        case head(HTTPRequestHead)
        case body([UInt8])
        case end(HTTPFields)

        var description: String {
            switch self {
            case .head(let head): "head(\(head.method) \(head.target))"
            case .body(let bytes): "body(\(bytes.count) bytes)"
            case .end(let trailers): "end(\(trailers.count) trailers)"
            }
        }
    }

    struct Outcome {
        var items: [Item] = []
        var error: HTTPParserError?

        var heads: [HTTPRequestHead] {
            items.compactMap {
                if case .head(let head) = $0 { return head }
                return nil
            }
        }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    /// Feeds `pieces` in order, draining events after each, then calls `finish()` when
    /// asked and no error came before.
    static func run(
        _ pieces: [ArraySlice<UInt8>], limits: HTTPParserLimits = .default, finish: Bool = true
    ) -> Outcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = Outcome()
        func record(_ event: HTTPRequestParser.Event) {
            switch event {
            case .head(let head): outcome.items.append(.head(head))
            case .body(let slice):
                if case .body(let previous) = outcome.items.last {
                    outcome.items[outcome.items.count - 1] = .body(previous + slice)
                } else {
                    outcome.items.append(.body(Array(slice)))
                }
            case .end(let trailers): outcome.items.append(.end(trailers))
            }
        }
        do {
            for piece in pieces {
                parser.append(piece)
                while let event = try parser.next() { record(event) }
            }
            if finish { try parser.finish() }
        } catch {
            outcome.error = error
            // The failure is terminal: later input and calls report the same error.
            parser.append(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
            #expect(throws: error) { try parser.next() }
            #expect(throws: error) { try parser.finish() }
            #expect(parser.isClosed)
            #expect(parser.bufferedByteCount == 0)
        }
        return outcome
    }

    static func whole(
        _ input: [UInt8], limits: HTTPParserLimits = .default, finish: Bool = true
    ) -> Outcome {
        run([input[...]], limits: limits, finish: finish)
    }

    static func byteByByte(
        _ input: [UInt8], limits: HTTPParserLimits = .default, finish: Bool = true
    ) -> Outcome {
        run(input.indices.map { input[$0..<$0 + 1] }, limits: limits, finish: finish)
    }

    static func split(
        _ input: [UInt8], at index: Int, limits: HTTPParserLimits = .default
    ) -> Outcome {
        run([input[..<index], input[index...]], limits: limits)
    }
}

import MCPCore
import MCPInspect
import Testing

@Suite("Properties")
struct PropertyTests {
    static let filler = [
        "the", "quick", "brown", "fox", "{\"id\": 42,", "\"name\":", "func run() {", "}", "2025-11-25", "v1.2.3",
        "é", "—", "\n", "\t", "550e8400-e29b-41d4", "user", "@", ":", "=", "-", "--", "<", "](", "A", "4", "+1",
        "\"", "\\", "password", "sk", "gh", "ey", "xo",
    ]
    static let secrets = truePositives.filter { $0.detector.category == .secret }

    /// A random document of filler with secrets between spaces, and the secrets' bytes.
    static func document(_ generator: inout SplitMix64) -> (text: String, secrets: [String]) {
        var parts: [String] = []
        var inserted: [String] = []
        for _ in 0..<Int(generator.next() % 60 + 5) {
            if generator.next() % 6 == 0 {
                let sample = secrets[Int(generator.next() % UInt64(secrets.count))]
                parts.append(" \(sample.text) ")
                inserted.append(sample.match)
            } else {
                parts.append(filler[Int(generator.next() % UInt64(filler.count))])
                if generator.next() % 2 == 0 { parts.append(" ") }
            }
        }
        return (parts.joined(), inserted)
    }

    static func pieces(_ count: Int, _ generator: inout SplitMix64) -> [Int] {
        var sizes: [Int] = []
        var total = 0
        while total < count {
            let size = Int(generator.next() % (generator.next() % 2 == 0 ? 8 : 300)) + 1
            sizes.append(size)
            total += size
        }
        return sizes
    }

    @Test("no chunking lets a redacted secret's bytes out, in plain text or JSON")
    func noLeaks() throws {
        var generator = SplitMix64(seed: 0x5EC2_E7)
        let inspector = inspector(.redact)
        var redacted = 0
        defer { #expect(redacted > 300) }
        for round in 0..<300 {
            let (text, inserted) = Self.document(&generator)
            let plain = Array(text.utf8)
            let json = Array("{\"content\":[{\"type\":\"text\",\"text\":\"\(jsonString(text))\"}]}".utf8)
            for (mode, input) in [(StreamScanner.Mode.plainText, plain), (.json, json)] {
                let whole = scan(input, with: inspector, mode: mode)
                let chunked = scan(input, with: inspector, mode: mode, pieces: Self.pieces(input.count, &generator))
                #expect(chunked.bytes == whole.bytes, "round \(round) \(mode)")
                #expect(
                    ChunkingTests.summary(chunked.findings) == ChunkingTests.summary(whole.findings),
                    "round \(round) \(mode)")
                let visible: [UInt8]
                if mode == .json {
                    let value = try JSONParser().parse(chunked.bytes)
                    visible = Array((value["content"]?.arrayValue?.first?["text"]?.stringValue ?? "").utf8)
                    #expect(!visible.isEmpty, "round \(round): not valid JSON")
                } else {
                    visible = chunked.bytes
                }
                redacted += chunked.findings.count
                for secret in inserted {
                    #expect(!contains(visible, Array(secret.utf8)), "round \(round) \(mode): \(secret) leaked")
                }
            }
        }
    }

    @Test("random bytes never crash the scanner and pass unchanged when only flagged")
    func randomBytes() {
        var generator = SplitMix64(seed: 99)
        let inspector = inspector(.flag)
        for _ in 0..<200 {
            let input = (0..<Int(generator.next() % 2000)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
            for mode in [StreamScanner.Mode.plainText, .json] {
                let result = scan(input, with: inspector, mode: mode, pieces: Self.pieces(input.count, &generator))
                #expect(result.bytes == input)
            }
        }
    }

    @Test("the scanner's buffers stay within the documented bound on a long stream")
    func boundedMemory() {
        let options = InspectionOptions(maximumMatchLength: 8192, sliceLength: 4096)
        let inspector = inspector(.redact, options: options)
        var scanner = inspector.makeScanner(direction: .result, mode: .json)
        var generator = SplitMix64(seed: 7)
        var released = 0
        let chunk = Array("{\"a\":\"some text with AKIAIOSFODNN7EXAMPLE and \\u0041 escapes\\n\"},".utf8)
        for _ in 0..<2000 {
            let piece = Array(chunk.prefix(Int(generator.next() % UInt64(chunk.count)) + 1))
            released += scanner.feed(piece + chunk).bytes.count
        }
        released += scanner.finish().bytes.count
        #expect(released > 0)
        // Decoded: slice + window + 64; raw: the same span with its escapes.
        #expect(scanner.peakBufferedBytes <= 2 * (4096 + 8192 + 64) + 2 * chunk.count)
    }

    @Test(
        "JSON dense with escapes or quotes is decoded in rounds, so their bookkeeping stays bounded",
        arguments: [
            // Nothing but two-byte escapes in a string: 32,768 escapes per 64 KB chunk.
            (#"{"text":""#, #"\n\"\t\/"#, #""}"#),
            // Nothing but empty strings: 43,690 quotes per 64 KB chunk.
            ("[", #""","#, #""]"#),
        ])
    func boundedBookkeeping(head: String, unit: String, tail: String) {
        let inspector = inspector(.redact)
        var scanner = inspector.makeScanner(direction: .result, mode: .json)
        let chunk = Array(String(repeating: unit, count: (64 << 10) / unit.utf8.count).utf8)
        var released = scanner.feed(Array(head.utf8)).bytes
        for _ in 0..<4 { released += scanner.feed(chunk).bytes }
        released += scanner.feed(Array(tail.utf8)).bytes
        released += scanner.finish().bytes
        #expect(released == Array(head.utf8) + chunk + chunk + chunk + chunk + Array(tail.utf8))
        let options = inspector.options
        // At most 512 escapes and quotes are noted per round of decoding.
        let bookkeeping = 512 * 32 + 64 * 32
        #expect(
            scanner.peakBufferedBytes
                <= 2 * (options.sliceLength + options.maximumMatchLength + 64) + bookkeeping)
    }
}

@Suite("JSON properties")
struct JSONPropertyTests {
    static let secretStrings = truePositives.filter { $0.detector.category == .secret }

    /// A random JSON value with secrets in some strings and card numbers as some numbers.
    static func value(_ generator: inout SplitMix64, depth: Int, secrets: inout [String]) -> JSONValue {
        let choice = depth > 3 ? generator.next() % 3 : generator.next() % 6
        switch choice {
        case 0:
            if generator.next() % 4 == 0 {
                secrets.append("4111111111111111")
                return .number(JSONNumber(Int64(4_111_111_111_111_111)))
            }
            return .number(JSONNumber(Int64(generator.next() % 100_000)))
        case 1:
            var text = ["plain words", "é\n\t\"quoted\"", "a\\b", "<b>x</b>", "🏴󠁧󠁢󠁳󠁣󠁴󠁿"][Int(generator.next() % 5)]
            if generator.next() % 3 == 0 {
                let sample = secretStrings[Int(generator.next() % UInt64(secretStrings.count))]
                text += " \(sample.text) "
                secrets.append(sample.match)
            }
            return .string(text)
        case 2:
            return [.bool(true), .null, .bool(false)][Int(generator.next() % 3)]
        case 3, 4:
            var object = JSONObject()
            for index in 0..<Int(generator.next() % 4) {
                object["k\(index)"] = value(&generator, depth: depth + 1, secrets: &secrets)
            }
            return .object(object)
        default:
            return .array(
                (0..<Int(generator.next() % 4)).map { _ in value(&generator, depth: depth + 1, secrets: &secrets) })
        }
    }

    static func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .number(let number): [number.text]
        case .array(let elements): elements.flatMap(strings)
        case .object(let object): object.members.flatMap { [$0.key] + strings($0.value) }
        default: []
        }
    }

    @Test("redacting random JSON at random chunkings keeps it valid and leaks no secret")
    func randomDocuments() throws {
        var generator = SplitMix64(seed: 0x15_0A_7E)
        let inspector = inspector(.redact)
        for round in 0..<300 {
            var secrets: [String] = []
            let document = Self.value(&generator, depth: 0, secrets: &secrets)
            let input = JSONSerializer().serialize(.object(["result": document]))
            let whole = scan(input, with: inspector, mode: .json)
            let chunked = scan(
                input, with: inspector, mode: .json, pieces: PropertyTests.pieces(input.count, &generator))
            #expect(chunked.bytes == whole.bytes, "round \(round)")
            let parsed = try JSONParser().parse(chunked.bytes)
            let visible = Self.strings(parsed).joined(separator: "\u{0}")
            for secret in secrets {
                #expect(!visible.contains(secret), "round \(round): \(secret) leaked")
            }
        }
    }
}

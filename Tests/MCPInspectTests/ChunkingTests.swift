import MCPCore
import MCPInspect
import Testing

@Suite("Chunk boundaries")
struct ChunkingTests {
    /// The findings as comparable tuples of detector, location and action.
    static func summary(_ findings: [Finding]) -> [String] {
        findings.map {
            "\($0.detector)@\($0.location.byteOffset)+\($0.location.byteLength)\($0.location.jsonPath ?? ""):\($0.action)"
        }
    }

    @Test("every split point and byte-by-byte feeding give the one-shot result", arguments: truePositives)
    func everySplitPoint(_ sample: Sample) {
        let inspector = inspector(.redact)
        let input = Array("lead \(sample.text) tail".utf8)
        let whole = scan(input, with: inspector, direction: .toolDefinition)
        #expect(whole.detectors.contains(sample.detector))
        for split in 0...input.count {
            let twoPieces = scan(input, with: inspector, direction: .toolDefinition, pieces: [split])
            #expect(twoPieces.bytes == whole.bytes, "split at \(split)")
            #expect(Self.summary(twoPieces.findings) == Self.summary(whole.findings), "split at \(split)")
        }
        let bytewise = scan(
            input, with: inspector, direction: .toolDefinition, pieces: Array(repeating: 1, count: input.count))
        #expect(bytewise.bytes == whole.bytes)
        #expect(Self.summary(bytewise.findings) == Self.summary(whole.findings))
    }

    @Test("JSON-escaped samples are found at every split point and redacted to valid JSON", arguments: truePositives)
    func escapedEverySplitPoint(_ sample: Sample) throws {
        let inspector = inspector(.redact)
        let plain = scan("lead \(sample.text) tail", with: inspector, direction: .toolDefinition)
        for escaped in [jsonString(sample.text), escapingEverything(sample.text)] {
            let input = Array("{\"text\":\"lead \(escaped) tail\"}".utf8)
            let whole = scan(input, with: inspector, direction: .toolDefinition, mode: .json)
            #expect(whole.detectors == plain.detectors, "\(escaped)")
            let value = try JSONParser().parse(whole.bytes)
            #expect(value["text"]?.stringValue == plain.text)
            for split in stride(from: 0, through: input.count, by: max(1, input.count / 97)) {
                let twoPieces = scan(input, with: inspector, direction: .toolDefinition, mode: .json, pieces: [split])
                #expect(twoPieces.bytes == whole.bytes, "split at \(split)")
                #expect(Self.summary(twoPieces.findings) == Self.summary(whole.findings))
            }
            let bytewise = scan(
                input, with: inspector, direction: .toolDefinition, mode: .json,
                pieces: Array(repeating: 1, count: input.count))
            #expect(bytewise.bytes == whole.bytes)
        }
    }

    @Test("a secret longer than a slice is still found across slices")
    func acrossSlices() {
        let options = InspectionOptions(sliceLength: 64)
        let inspector = inspector(.redact, options: options)
        let key = truePositives.first { $0.detector == .privateKey }!.text
        let text = String(repeating: "word ", count: 30) + key + String(repeating: " tail", count: 30)
        let result = scan(text, with: inspector)
        #expect(result.detectors == [.privateKey])
        #expect(!result.text.contains("MIIEow"))
    }
}

/// The JSON string body of `text`, with the escapes a serializer writes.
func jsonString(_ text: String) -> String {
    var bytes: [UInt8] = []
    JSONSerializer.appendString(text, to: &bytes)
    return String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)
}

/// The JSON string body of `text` with every UTF-16 unit written as `\uXXXX`.
func escapingEverything(_ text: String) -> String {
    let digits = Array("0123456789abcdef")
    var result = ""
    for unit in text.utf16 {
        result += "\\u"
        for shift in [12, 8, 4, 0] { result.append(digits[Int(unit >> UInt16(shift)) & 15]) }
    }
    return result
}

@Suite("JSON mode")
struct JSONModeTests {
    @Test("a number outside any string is replaced by the quoted placeholder, keeping the JSON valid")
    func numberOutsideString() throws {
        let inspector = inspector(.redact)
        for (input, expected) in [
            ("{\"card\": 4111111111111111, \"n\": 1}", "{\"card\": \"[REDACTED:card-number]\", \"n\": 1}"),
            ("[-4111111111111111]", "[\"[REDACTED:card-number]\"]"),
            ("{\"s\": \"pay 4111111111111111 now\"}", "{\"s\": \"pay [REDACTED:card-number] now\"}"),
            (
                "{\"k\\\"\": \"AKIAIOSFODNN7EXAMPLE\", \"v\": 4111111111111111}",
                "{\"k\\\"\": \"[REDACTED:aws-access-key-id]\", \"v\": \"[REDACTED:card-number]\"}"
            ),
        ] {
            for split in 0...input.utf8.count {
                let result = scan(input, with: inspector, mode: .json, pieces: [split])
                #expect(result.text == expected, "split \(split)")
            }
            _ = try JSONParser().parse(Array(expected.utf8))
        }
    }

    @Test("escapes are decoded before detection: unicode escapes, surrogate pairs, solidus")
    func escapes() throws {
        let inspector = inspector(.redact)
        // "AKIA" written with \u escapes, a tag character as a surrogate pair, an escaped solidus in a path.
        let input = #"{"a":"\u0041KIAIOSFODNN7EXAMPLE","b":"x\uDB40\uDC41y","c":"~\/.ssh","d":"\u00e9\n\t"}"#
        let result = scan(input, with: inspector, mode: .json)
        #expect(result.detectors == [.awsAccessKeyID, .invisibleUnicode, .secretPath])
        #expect(
            result.text
                == #"{"a":"[REDACTED:aws-access-key-id]","b":"x[REDACTED:invisible-unicode]y","c":"[REDACTED:secret-path]","d":"\u00e9\n\t"}"#
        )
        #expect(result.findings[0].location == Finding.Location(byteOffset: 6, byteLength: 25, jsonPath: "$.a"))
        #expect(result.findings.map(\.location.jsonPath) == ["$.a", "$.b", "$.c"])
        _ = try JSONParser().parse(result.bytes)
    }

    @Test("findings in a result carry the JSON path of their string, at every split point")
    func paths() {
        let inspector = inspector(.flag)
        let input =
            #"{"jsonrpc":"2.0","id":3,"result":{"content":[{"type":"text","text":"a@example.com"},{"type":"text","text":"x","annotations":{"we\"ird key":"AKIAIOSFODNN7EXAMPLE"}}],"structuredContent":{"rows":[[1,2],[3,"+44 20 7946 0958"]]}}}"#
        let expected = [
            "$.result.content[0].text", "$.result.content[1].annotations[\"we\\\"ird key\"]",
            "$.result.structuredContent.rows[1][1]",
        ]
        for split in 0...input.utf8.count {
            let result = scan(input, with: inspector, mode: .json, pieces: [split])
            #expect(result.findings.map { $0.location.jsonPath ?? "?" } == expected, "split \(split)")
        }
        let bytewise = scan(input, with: inspector, mode: .json, pieces: Array(repeating: 1, count: input.utf8.count))
        #expect(bytewise.findings.map { $0.location.jsonPath ?? "?" } == expected)
        // Plain text has no paths.
        #expect(scan(input, with: inspector).findings.allSatisfy { $0.location.jsonPath == nil })
    }

    @Test("malformed escapes pass through unchanged and scanning goes on")
    func malformed() {
        let inspector = inspector(.flag)
        for input in [#"{"a":"\uZZZZ \uD800 \uDC00 \q"}"#, #"{"a":"\u12"#, #"\"#, #"{"a":"\uD83D"#] {
            for split in 0...input.utf8.count {
                #expect(scan(input, with: inspector, mode: .json, pieces: [split]).text == input)
            }
        }
    }

    @Test("an empty chunk and an empty stream are fine")
    func empty() {
        let inspector = inspector(.redact)
        var scanner = inspector.makeScanner(direction: .result, mode: .json)
        #expect(scanner.feed([UInt8]()).bytes.isEmpty)
        #expect(scanner.finish().bytes.isEmpty)
        #expect(scanner.finish().bytes.isEmpty)
    }
}

@Suite("Text cut short")
struct TruncatedTextTests {
    @Test("a multi-byte sequence cut off by the end of the stream is no match and never read past the end")
    func truncatedSequencesAtTheEnd() {
        let inspector = inspector()
        // Lead bytes of invisible characters (U+2060, private use, tags) whose continuation
        // bytes never come.
        for tail: [UInt8] in [[0xF4], [0xF4, 0x88], [0xF4, 0x88, 0x80], [0xE2, 0x81], [0xF3, 0xA0, 0x80], [0xEF, 0xBB]] {
            for mode in [StreamScanner.Mode.plainText, .json] {
                let input = Array("text before ".utf8) + tail
                var scanner = inspector.makeScanner(direction: .result, mode: mode)
                var output = scanner.feed(input).bytes
                output += scanner.finish().bytes
                #expect(output == input, "\(tail) in \(mode)")
            }
        }
        // The sequence the fuzzer found: invalid bytes, then an F4 lead with one continuation.
        let found: [UInt8] = Array("We aws_access_key_id= AKIAIOSFODNN7".utf8) + [0x99, 0xBA, 0x9E] + Array(repeating: 0xF4, count: 20) + [0x88]
        var scanner = inspector.makeScanner(direction: .result, mode: .plainText)
        _ = scanner.feed(found)
        _ = scanner.finish()
    }
}

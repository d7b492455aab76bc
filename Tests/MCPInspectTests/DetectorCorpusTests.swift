import MCPInspect
import Testing

@Suite("Detector corpus")
struct DetectorCorpusTests {
    @Test("every true positive is found, alone and inside prose", arguments: truePositives)
    func truePositive(_ sample: Sample) {
        let inspector = inspector(.flag)
        for text in [sample.text, "Some words before: \(sample.text) , and after."] {
            let result = scan(text, with: inspector, direction: .toolDefinition)
            let hits = result.findings.filter { $0.detector == sample.detector }
            #expect(hits.count >= 1, "\(sample.detector) not found in \(text.debugDescription): \(result.findings)")
            // Flagging never changes the bytes.
            #expect(result.text == text)
        }
    }

    @Test("every true positive is redacted whole, with its typed placeholder", arguments: truePositives)
    func redacted(_ sample: Sample) {
        let text = "before \(sample.text) after"
        let result = scan(text, with: inspector(.redact), direction: .toolDefinition)
        let expected = text.replacingFirst(sample.match, with: "[REDACTED:\(sample.detector.name)]")
        #expect(result.text == expected, "\(result.findings)")
        #expect(!contains(result.bytes, Array(sample.match.utf8)))
    }

    @Test("the false-positive corpus yields nothing under the default rules", arguments: falsePositives)
    func falsePositive(_ text: String) throws {
        let inspector = try Inspector(fingerprintKey: testKey)
        for direction in [Direction.request, .result] {
            let result = scan(text, with: inspector, direction: direction)
            #expect(result.findings.isEmpty, "\(direction): \(result.findings)")
            #expect(result.text == text)
        }
    }

    @Test("a base64 image is a blob in a tool definition but passes in a result")
    func base64Image() throws {
        let inspector = try Inspector(fingerprintKey: testKey)
        let json = "{\"type\":\"image\",\"data\":\"\(base64Sample)\",\"mimeType\":\"image/png\"}"
        #expect(scan(json, with: inspector, direction: .result, mode: .json).findings.isEmpty)
        let definition = scan(json, with: inspector, direction: .toolDefinition, mode: .json)
        #expect(definition.detectors == [.base64Blob])
    }

    @Test("findings carry a keyed fingerprint, the same for the same secret, never the secret")
    func fingerprints() {
        let inspector = inspector(.flag)
        let key = "AKIAIOSFODNN7EXAMPLE"
        let result = scan("a \(key) b \(key) c", with: inspector)
        #expect(result.findings.count == 2)
        #expect(result.findings[0].fingerprint == result.findings[1].fingerprint)
        #expect(result.findings[0].fingerprint == inspector.fingerprint(of: Array(key.utf8)))
        #expect(result.findings[0].fingerprint.count == 16)
        #expect(!result.findings[0].description.contains(key))
        #expect(result.findings[0].location == Finding.Location(byteOffset: 2, byteLength: 20))
    }

    @Test("Luhn, mod-97 and SSN ranges reject near misses")
    func checksums() {
        let inspector = inspector(.flag)
        for text in [
            "4111 1111 1111 1112", "DE89 3704 0044 0532 0130 01", "000-12-3456", "666-12-3456", "923-12-3456",
            "123-00-4567", "123-45-0000",
        ] {
            #expect(scan(text, with: inspector).findings.isEmpty, "\(text)")
        }
    }

    @Test("markdown links are checked against the allowed domains")
    func allowedDomains() throws {
        let options = InspectionOptions(allowedLinkDomains: ["example.com"])
        let inspector = inspector(.flag, options: options)
        #expect(scan("[a](https://docs.example.com/x)", with: inspector).findings.isEmpty)
        #expect(scan("[a](https://example.com/x)", with: inspector).findings.isEmpty)
        #expect(scan("![a](https://example.com.evil.net/x)", with: inspector).detectors == [.markdownExfiltration])
        #expect(scan("![a](https://notexample.com/x)", with: inspector).detectors == [.markdownExfiltration])
    }

    @Test("tokens the gateway holds are found exactly and never fingerprinted")
    func heldTokens() throws {
        let inspector = try Inspector(fingerprintKey: testKey)
        let token = "gw-session-7f3a9c2e5b1d4f60"
        #expect(scan("x \(token) y", with: inspector).findings.isEmpty)
        try inspector.addHeldToken(Array(token.utf8))
        #expect(inspector.heldTokenCount == 1)
        let result = scan("x \(token) y", with: inspector)
        #expect(result.detectors == [.heldToken])
        #expect(result.text == "x [REDACTED:held-token] y")
        #expect(result.findings[0].fingerprint.isEmpty)
        let request = scan("x \(token) y", with: inspector, direction: .request)
        #expect(request.findings.map(\.action) == [.block])
        // A near miss is not a match.
        #expect(scan("x gw-session-7f3a9c2e5b1d4f61 y", with: inspector).findings.isEmpty)
        // Glued to a word, or to another secret, it is still found.
        let glued = scan("prefix\(token)suffix and key=abc\(token)", with: inspector)
        #expect(glued.detectors.filter { $0 == .heldToken }.count == 2, "\(glued.detectors)")
        #expect(!glued.text.contains(token))
        #expect(inspector.removeHeldToken(Array(token.utf8)))
        #expect(scan("x \(token) y", with: inspector).findings.isEmpty)
        #expect(throws: InspectError(.invalidArgument, message: "")) { try inspector.addHeldToken(Array("short".utf8)) }
    }

    @Test("a scanner made before a token was added keeps its tables")
    func heldTokenSnapshot() throws {
        let inspector = try Inspector(fingerprintKey: testKey)
        var before = inspector.makeScanner(direction: .result, mode: .plainText)
        try inspector.addHeldToken(Array("0123456789abcdef".utf8))
        var output = before.feed(Array("x 0123456789abcdef y".utf8))
        output.findings += before.finish().findings
        #expect(output.findings.isEmpty)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        let text = Array(utf8)
        let needle = Array(target.utf8)
        guard needle.count <= text.count else { return self }
        for start in 0...(text.count - needle.count) where text[start..<(start + needle.count)].elementsEqual(needle) {
            return String(
                decoding: text[..<start] + Array(replacement.utf8) + text[(start + needle.count)...], as: UTF8.self)
        }
        return self
    }
}

@Suite("Runs")
struct RunTests {
    @Test("a run of control characters and escape sequences is one finding and one placeholder")
    func controlRun() {
        let input = "a\u{1B}[31m\u{07}\u{1B}[0m\u{85}\u{0}b\u{1B}]0;t\u{07}c"
        for split in 0...input.utf8.count {
            let result = scan(input, with: inspector(.redact), pieces: [split])
            #expect(result.text == "a[REDACTED:control-character]b[REDACTED:control-character]c", "split \(split)")
        }
    }
}

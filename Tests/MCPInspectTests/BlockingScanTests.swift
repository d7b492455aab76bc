import MCPInspect
import Testing

@Suite("Blocking scan")
struct BlockingScanTests {
    @Test("a message with a blocking finding is refused whole")
    func blocks() throws {
        var rules = InspectionRules.default
        rules.setAction(.block, for: .privateKey, in: .result)
        let inspector = try Inspector(rules: rules, fingerprintKey: testKey)
        var scan = try BlockingScan(scanner: inspector.makeScanner(direction: .result, mode: .plainText), limit: 4096)
        let key = truePositives.first { $0.detector == .privateKey }!.text
        let input = Array("result: \(key) end".utf8)
        for piece in stride(from: 0, to: input.count, by: 7) {
            try scan.feed(input[piece..<min(input.count, piece + 7)])
        }
        let result = try scan.finish()
        #expect(result.blocked)
        #expect(result.bytes.isEmpty)
        #expect(result.findings.map(\.detector) == [.privateKey])
    }

    @Test("a clean message is released whole, with redactions")
    func releases() throws {
        let inspector = try Inspector(fingerprintKey: testKey)
        var scan = try BlockingScan(scanner: inspector.makeScanner(direction: .result, mode: .plainText), limit: 4096)
        try scan.feed(Array("key AKIAIOSFODNN7EXAMPLE ok".utf8))
        let result = try scan.finish()
        #expect(!result.blocked)
        #expect(String(decoding: result.bytes, as: UTF8.self) == "key [REDACTED:aws-access-key-id] ok")
    }

    @Test("a message over the limit is reported as too large to block, and stays refused")
    func tooLarge() throws {
        let inspector = try Inspector(fingerprintKey: testKey)
        var scan = try BlockingScan(scanner: inspector.makeScanner(direction: .result, mode: .plainText), limit: 10)
        try scan.feed(Array("12345".utf8))
        #expect(throws: InspectError(.tooLargeToBlock, message: "")) { try scan.feed(Array("678901".utf8)) }
        #expect(throws: InspectError(.tooLargeToBlock, message: "")) { try scan.feed(Array("1".utf8)) }
        #expect(throws: InspectError(.tooLargeToBlock, message: "")) { _ = try scan.finish() }
        #expect(throws: InspectError(.invalidArgument, message: "")) {
            _ = try BlockingScan(scanner: inspector.makeScanner(direction: .result, mode: .json), limit: 0)
        }
    }
}

@Suite("Whole messages")
struct WholeMessageTests {
    @Test("a request is scanned at once and blocked when a held token is in its arguments")
    func request() throws {
        let inspector = try Inspector(fingerprintKey: testKey)
        try inspector.addHeldToken(Array("gw-refresh-0123456789abcdef".utf8))
        let arguments = Array(#"{"query":"gw-refresh-0123456789abcdef","mail":"bob@example.com"}"#.utf8)
        let output = inspector.scan(message: arguments, direction: .request, mode: .json)
        #expect(output.blocksMessage)
        #expect(output.findings.map(\.detector) == [.heldToken, .email])
        #expect(output.findings.map(\.location.jsonPath) == ["$.query", "$.mail"])
        #expect(inspector.rules.blocks(in: .request))
        #expect(!inspector.rules.blocks(in: .result))
    }
}

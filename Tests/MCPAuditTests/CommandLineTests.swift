import Foundation
import MCPAudit
import MCPCore
import MCPTestSupport
import Testing

@Suite("mcp-audit-log")
struct CommandLineTests {
    private let binary = TestPeers.binary("mcp-audit-log")

    @Test("append acknowledges each event; verify checks signatures and names tampering; query filters")
    func appendVerifyQuery() throws {
        let directory = try TemporaryDirectory()
        let database = directory.file("log.sqlite")
        let keyFile = directory.file("key.hex")
        let keygen = try runTool(binary, ["keygen", "--out", keyFile])
        #expect(keygen.status == 0)
        let publicKey = keygen.output.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(publicKey.count == 64)

        let input =
            (1...5).map { index in
                #"{"requestId":"\#(index)","actor":{"subject":"user-\#(index)","organization":"\#(index % 2 == 0 ? "acme" : "globex")"},"outcome":{"status":"ok"}}"#
            }.joined(separator: "\n") + "\nnot json\n"
        let append = try runTool(
            binary, ["append", "--db", database, "--signing-key", keyFile, "--checkpoint-every", "2"], input: input)
        #expect(append.status == 0)
        #expect(append.output == (1...5).map { "ack \($0)\n" }.joined())

        let verify = try runTool(binary, ["verify", "--db", database, "--public-key", publicKey])
        #expect(verify.status == 0)
        #expect(verify.output.hasPrefix("ok 5 records"))
        #expect(verify.output.contains("signatures checked"))

        let query = try runTool(binary, ["query", "--db", database, "--organization", "acme", "--format", "csv"])
        #expect(query.status == 0)
        let lines = query.output.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix("2,") && lines[2].hasPrefix("4,"))
        let jsonLines = try runTool(binary, ["query", "--db", database, "--subject", "user-3"])
        let value = try JSONParser().parse(jsonLines.output.trimmingCharacters(in: .newlines))
        #expect(value["requestId"] == "3")

        let otherKey = try runTool(binary, ["keygen", "--out", directory.file("other.hex")])
        let wrongKey = try runTool(
            binary,
            [
                "verify", "--db", database, "--public-key",
                otherKey.output.trimmingCharacters(in: .whitespacesAndNewlines),
            ])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.output.contains("unknownKey"))

        try sqlite3(
            database,
            "UPDATE audit_records SET body = CAST(replace(CAST(body AS TEXT), '\"ok\"', '\"no\"') AS BLOB) WHERE seq = 4"
        )
        let tampered = try runTool(binary, ["verify", "--db", database, "--public-key", publicKey])
        #expect(tampered.status == 1)
        #expect(tampered.output.hasPrefix("FAILED record 4: hashMismatch"))

    }
}

import Foundation
import Testing

@testable import MCPCore

/// Messages built with the library's types, encoded for each revision, validate against
/// that revision's JSON Schema with a real validator (Python `jsonschema`, run by
/// `Tests/Peers/validate_schema.py`).
@Suite("Schema validation")
struct SchemaValidationTests {
    static func samples(_ revision: ProtocolRevision) throws -> SampleSet {
        revision.isLegacyEra ? try .legacy(revision) : try .modern()
    }

    /// What the validator reported.
    struct Report {
        var status: Int32
        var output: String
    }

    /// Writes the samples and a manifest to a temporary directory and runs the validator.
    static func validate(_ samples: [SchemaSample], revision: ProtocolRevision) throws -> Report {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("mcp-schema-\(revision.rawValue)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        var entries: [JSONValue] = []
        for (index, sample) in samples.enumerated() {
            let safeName = sample.name.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }
            let file = String(format: "%03d-", index + 1) + String(safeName) + ".json"
            try Data(sample.value.jsonText(options: .prettyPrinted).utf8).write(to: directory.appendingPathComponent(file))
            let checks: [JSONValue] = sample.checks.map { ["definition": .string($0.definition), "pointer": .string($0.pointer)] }
            entries.append(["file": .string(file), "checks": .array(checks)])
        }
        let manifest: JSONValue = ["revision": .string(revision.rawValue), "samples": .array(entries)]
        let manifestURL = directory.appendingPathComponent("manifest.json")
        try Data(manifest.serialized).write(to: manifestURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            SchemaFixtures.python, SchemaFixtures.validatorScript.path, SchemaFixtures.schema(revision.rawValue).path,
            manifestURL.path,
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Report(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self))
    }

    @Test(arguments: ProtocolRevision.allCases)
    func samplesSatisfyTheSchema(_ revision: ProtocolRevision) throws {
        let samples = try Self.samples(revision).samples
        let checks = samples.reduce(0) { $0 + $1.checks.count }
        let report = try Self.validate(samples, revision: revision)
        #expect(report.status == 0, "\(revision):\n\(report.output)")
        #expect(
            report.output.contains("validated \(samples.count) files, \(checks) checks, 0 failed"),
            "\(revision):\n\(report.output)")
        #expect(samples.count >= 40, "\(revision) has only \(samples.count) samples")
    }

    /// The method of every request and notification the revision's schema lists (in its
    /// client and server unions, and 2026-07-28's input requests).
    static func schemaMethods(_ revision: ProtocolRevision) throws -> Set<String> {
        let schema = try JSONParser()
            .parse(Array(try Data(contentsOf: SchemaFixtures.schema(revision.rawValue))))
        let definitions = try #require(schema["definitions"]?.objectValue ?? schema["$defs"]?.objectValue)
        var methods = Set<String>()
        for union in ["ClientRequest", "ServerRequest", "ClientNotification", "ServerNotification", "InputRequest"] {
            guard let definition = definitions[union] else { continue }
            let members = definition["anyOf"]?.arrayValue ?? [definition]
            for member in members {
                let name = member["$ref"]?.stringValue.map { String($0.split(separator: "/").last!) } ?? union
                if let method = definitions[name]?["properties"]?["method"]?["const"]?.stringValue {
                    methods.insert(method)
                }
            }
        }
        return methods
    }

    @Test(arguments: ProtocolRevision.allCases)
    func samplesCoverEveryMethodOfTheRevision(_ revision: ProtocolRevision) throws {
        let expected = try Self.schemaMethods(revision)
        #expect(expected.count >= 20)
        let covered = Set(try Self.samples(revision).samples.compactMap(\.method))
        #expect(expected.subtracting(covered).isEmpty, "\(revision) lacks samples of \(expected.subtracting(covered).sorted())")
        #expect(covered.subtracting(expected).isEmpty, "\(revision) has samples of \(covered.subtracting(expected).sorted())")
    }

    @Test func theValidatorRejectsAnInvalidSample() throws {
        // A 2025-06-18 tool result whose structured content is an array: only 2026-07-28
        // allows that, and a result without content.
        let result = CallToolResult(content: [], structuredContent: [1, 2])
        var set = SampleSet(revision: .v2025_06_18)
        try set.result(CallTool.self, .complete(result), definition: "CallToolResult")
        set.add("no-content", ["jsonrpc": "2.0", "id": 1, "result": [:]], [("CallToolResult", "/result")])
        set.add("unknown-definition", ["x": 1], [("NoSuchDefinition", "")])
        let report = try Self.validate(set.samples, revision: .v2025_06_18)
        #expect(report.status == 1, "\(report.output)")
        #expect(report.output.contains("validated 3 files, 5 checks, 3 failed"), "\(report.output)")
        #expect(report.output.contains("FAIL 001-result-tools_call.json CallToolResult /result: at /structuredContent"), "\(report.output)")
        #expect(report.output.contains("FAIL 002-no-content.json CallToolResult /result"), "\(report.output)")
        #expect(report.output.contains("FAIL 003-unknown-definition.json NoSuchDefinition /: no such definition"), "\(report.output)")
    }
}

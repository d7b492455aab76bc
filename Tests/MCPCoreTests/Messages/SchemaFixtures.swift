import Foundation

/// Where the MCP JSON Schemas and the official examples are, found from this file's real
/// location (the test directory may be reached through a symbolic link).
enum SchemaFixtures {
    /// `Tests/`.
    static let testsDirectory: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/mcp-schema`.
    static let schemaDirectory = testsDirectory.appendingPathComponent("Fixtures/mcp-schema")

    /// The schema of a revision.
    static func schema(_ revision: String) -> URL {
        schemaDirectory.appendingPathComponent(revision).appendingPathComponent("schema.json")
    }

    /// The example directories of 2026-07-28, by schema type name.
    static func exampleDirectories() throws -> [String] {
        let examples = schemaDirectory.appendingPathComponent("2026-07-28/examples")
        return try FileManager.default.contentsOfDirectory(atPath: examples.path).filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(
                atPath: examples.appendingPathComponent(name).path, isDirectory: &isDirectory) && isDirectory.boolValue
        }.sorted()
    }

    /// The example files of one type, sorted by name.
    static func exampleFiles(_ typeName: String) throws -> [URL] {
        let directory = schemaDirectory.appendingPathComponent("2026-07-28/examples").appendingPathComponent(typeName)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// The interpreter for the Python test scripts: `MCP_TEST_PYTHON` when set, else
    /// `python3` from the search path.
    static var python: String {
        if let configured = ProcessInfo.processInfo.environment["MCP_TEST_PYTHON"], !configured.isEmpty {
            return configured
        }
        return "python3"
    }

    /// `Tests/Peers/validate_schema.py`.
    static let validatorScript = testsDirectory.appendingPathComponent("Peers/validate_schema.py")
}

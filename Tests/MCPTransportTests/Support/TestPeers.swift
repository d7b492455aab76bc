import Foundation

/// Where the test peers written in other languages live, and the interpreter that runs them.
enum TestPeers {
    /// The repository's root, found from this file's real location.
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Peers`.
    static let directory = repositoryRoot.appendingPathComponent("Tests/Peers")

    /// The Python of the test virtual environment: `MCP_TEST_PYTHON` when set (the Makefile
    /// sets it), else `.build/venv/bin/python` in the repository.
    static var python: String {
        if let configured = ProcessInfo.processInfo.environment["MCP_TEST_PYTHON"], !configured.isEmpty {
            return configured
        }
        return repositoryRoot.appendingPathComponent(".build/venv/bin/python").path
    }

    /// The path of a peer script.
    static func script(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

extension TestPeers {
    /// The example MCP server built with the tests, next to the test bundle.
    static var exampleServer: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [bundle.deletingLastPathComponent(), bundle.deletingLastPathComponent().deletingLastPathComponent()]
        for directory in candidates {
            let path = directory.appendingPathComponent("mcp-example-server").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/mcp-example-server").path
    }
}

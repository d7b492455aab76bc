package import Foundation

/// Where the test peers written in other languages live, and the interpreter that runs them.
/// Shared by the test targets: the peers written in other languages and the binaries the
/// package builds.
package enum TestPeers {
    /// The repository's root, found from this file's real location.
    package static let repositoryRoot: URL = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Peers`.
    package static let directory = repositoryRoot.appendingPathComponent("Tests/Peers")

    /// The Python of the test virtual environment: `MCP_TEST_PYTHON` when set (the Makefile
    /// sets it), else `.build/venv/bin/python` in the repository.
    package static var python: String {
        if let configured = ProcessInfo.processInfo.environment["MCP_TEST_PYTHON"], !configured.isEmpty {
            return configured
        }
        return repositoryRoot.appendingPathComponent(".build/venv/bin/python").path
    }

    /// The path of a peer script.
    package static func script(_ name: String) -> String {
        directory.appendingPathComponent(name).path
    }
}

extension TestPeers {
    /// A program the package builds along with the tests, found next to the test bundle.
    package static func binary(_ name: String) -> String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [bundle.deletingLastPathComponent(), bundle.deletingLastPathComponent().deletingLastPathComponent()]
        for directory in candidates {
            let path = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return repositoryRoot.appendingPathComponent(".build/debug/\(name)").path
    }

    /// The example MCP server built with the tests.
    package static var exampleServer: String { binary("mcp-example-server") }
}

import MCPTestSupport
import Testing

@testable import MCPTransport

/// A Python peer that prints `listening` once it accepts connections (the OpenID provider,
/// the upstream OAuth simulator), started for a test.
enum ListeningPeer {
    /// Starts `script` with `arguments` and waits until it says it listens.
    static func start(_ script: String, _ arguments: [String], on loop: EventLoop) async throws -> ChildProcess {
        let process = try await ChildProcess.spawn(
            ChildProcessConfiguration(executable: TestPeers.python, arguments: [TestPeers.script(script)] + arguments),
            on: loop)
        var banner: [UInt8] = []
        while !String(decoding: banner, as: UTF8.self).contains("listening") {
            guard let chunk = try await process.output.next() else { break }
            banner += chunk
        }
        try #require(String(decoding: banner, as: UTF8.self).contains("listening"), "\(script) did not start")
        return process
    }
}

extension GatewayAuthorizationTests {
    /// Creates organization `acme` and its users (name, password) with the command line.
    static func addUsers(_ users: [(String, String)], configuration path: String, on loop: EventLoop) async throws {
        let (created, output) = try await run(["orgs", "add", "--config", path, "acme"], on: loop)
        try #require(created == .exited(0), "\(output)")
        for (user, password) in users {
            let (exit, output) = try await run(
                ["users", "add", "--config", path, "--org", "acme", "--user", user, "--password-stdin"],
                input: password + "\n", on: loop)
            try #require(exit == .exited(0), "\(output)")
        }
    }
}

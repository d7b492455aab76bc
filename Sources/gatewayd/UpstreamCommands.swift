import Foundation
import MCPAuth
import MCPGateway
import MCPTransport

let upstreamUsage = """
    usage: gatewayd upstream doctor NAME --config FILE [--user USER]
                                  discovery and a token cycle against an upstream with auth, and
                                  the provider quirks observed (--user: refresh that user's tokens)
           gatewayd connections list --config FILE --user USER
           gatewayd connections revoke --config FILE --user USER --upstream NAME
           gatewayd connections set-secret --config FILE --user USER --upstream NAME --secret-stdin
                                  a user's own API key or bearer token for an upstream
    """

/// `gatewayd upstream ...` and `gatewayd connections ...`: the upstream credentials of the
/// configuration's vault.
///
/// - Returns: the exit status.
func runUpstream(_ noun: String, _ arguments: [String]) async -> Int32 {
    func usage() -> Int32 {
        FileHandle.standardError.write(Data((upstreamUsage + "\n").utf8))
        return 2
    }
    func option(_ name: String) -> String? {
        guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
        return arguments[index + 1]
    }
    guard let verb = arguments.first, let configurationPath = option("--config") else { return usage() }
    let configuration = loadConfiguration(configurationPath)
    let http: HTTPClient
    let broker: UpstreamCredentialBroker
    do {
        guard let (_, masterKey) = try openAuthorizationStore(configuration, configurationPath: configurationPath)
        else {
            FileHandle.standardError.write(Data("gatewayd: \(configurationPath) has no authorization section\n".utf8))
            return 2
        }
        http = try HTTPClient()
        let issuer = OAuthAuthenticator.serverConfiguration(for: configuration).0.issuer
        guard
            let made = try makeCredentialBroker(
                configuration, configurationPath: configurationPath, http: http, masterKey: masterKey, baseURL: issuer)
        else {
            FileHandle.standardError.write(
                Data("gatewayd: no upstream of \(configurationPath) has an auth section\n".utf8))
            return 2
        }
        broker = made
    } catch {
        FileHandle.standardError.write(Data("gatewayd: \(configurationPath): \(error)\n".utf8))
        return 2
    }
    defer { http.shutdown() }
    switch (noun, verb) {
    case ("upstream", "doctor"):
        guard arguments.count >= 2 else { return usage() }
        let (report, healthy) = await broker.diagnose(arguments[1], subject: option("--user"))
        for (topic, finding) in report { print("\(topic): \(finding)") }
        return healthy ? 0 : 1
    case ("connections", "list"):
        guard let user = option("--user") else { return usage() }
        for (upstream, status) in broker.connections(of: user) { print("\(upstream)\t\(status)") }
        return 0
    case ("connections", "revoke"):
        guard let user = option("--user"), let upstream = option("--upstream") else { return usage() }
        let removed = await broker.disconnect(subject: user, upstream: upstream)
        print(removed ? "\(user)'s connection to \(upstream) revoked" : "\(user) had no connection to \(upstream)")
        return removed ? 0 : 1
    case ("connections", "set-secret"):
        guard let user = option("--user"), let upstream = option("--upstream"), arguments.contains("--secret-stdin"),
            let secret = readLine(strippingNewline: true), !secret.isEmpty
        else { return usage() }
        do {
            try broker.storeSecret(secret, subject: user, upstream: upstream)
        } catch {
            FileHandle.standardError.write(Data("gatewayd: connections set-secret: \(error)\n".utf8))
            return 1
        }
        print("secret stored for \(user) and \(upstream)")
        return 0
    default:
        return usage()
    }
}

import Foundation
import MCPAuth
import MCPGateway
import MCPTransport

/// The authorization store and master key a configuration names, creating the data
/// directory, and the master key file (readable by its owner only) when it is missing.
func openAuthorizationStore(_ configuration: GatewayConfiguration, configurationPath: String) throws -> (
    AuthStore, MasterKey
)? {
    guard let settings = configuration.authorization else { return nil }
    let storePath = resolvePath(settings.storeFile, configuration: configuration, configurationPath: configurationPath)
    try FileManager.default.createDirectory(
        atPath: URL(fileURLWithPath: storePath).deletingLastPathComponent().path, withIntermediateDirectories: true)
    let masterKey: MasterKey
    if let variable = settings.masterKeyEnvironment {
        masterKey = try MasterKey(environmentVariable: variable)
    } else {
        let keyPath = resolvePath(
            settings.masterKeyFile ?? "master.key", configuration: configuration, configurationPath: configurationPath)
        if FileManager.default.fileExists(atPath: keyPath) {
            masterKey = try MasterKey(contentsOfFile: keyPath)
        } else {
            masterKey = try MasterKey.create(atPath: keyPath)
        }
    }
    return (try AuthStore(path: storePath), masterKey)
}

/// The gateway's authenticator, when the configuration has an `authorization` section.
func makeAuthenticator(
    _ configuration: GatewayConfiguration, configurationPath: String, http: HTTPClient
) throws -> OAuthAuthenticator? {
    guard let settings = configuration.authorization,
        let (store, masterKey) = try openAuthorizationStore(configuration, configurationPath: configurationPath)
    else { return nil }
    func secret(_ file: String, _ what: String) throws -> String {
        let secretPath = resolvePath(file, configuration: configuration, configurationPath: configurationPath)
        guard let data = FileManager.default.contents(atPath: secretPath),
            let secret = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            !secret.isEmpty
        else { throw PolicyFileError(description: "\(what): \(secretPath) must hold a secret") }
        return secret
    }
    var secrets: [String: String] = [:]
    for client in settings.clients {
        guard let file = client.secretFile else { continue }
        let value = try secret(file, "authorization.clients")
        guard value.utf8.count >= 16 else {
            throw PolicyFileError(
                description: "authorization.clients: the secret of \(client.clientID) is shorter than 16")
        }
        secrets[client.clientID] = value
    }
    var providerSecrets: [String: String] = [:]
    for provider in settings.federation {
        providerSecrets[provider.name] = try secret(provider.clientSecretFile, "authorization.federation")
    }
    return try OAuthAuthenticator(
        configuration: configuration, store: store, masterKey: masterKey, clientSecrets: secrets,
        providerSecrets: providerSecrets, http: http)
}

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

/// A secret held in a file named by the configuration (relative to the data directory).
func readSecretFile(_ file: String, _ what: String, configuration: GatewayConfiguration, configurationPath: String)
    throws -> String
{
    let secretPath = resolvePath(file, configuration: configuration, configurationPath: configurationPath)
    guard let data = FileManager.default.contents(atPath: secretPath),
        let secret = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
        !secret.isEmpty
    else { throw PolicyFileError(description: "\(what): \(secretPath) must hold a secret") }
    return secret
}

/// The gateway's authenticator, when the configuration has an `authorization` section.
func makeAuthenticator(
    _ configuration: GatewayConfiguration, configurationPath: String, http: HTTPClient, store: AuthStore,
    masterKey: MasterKey
) throws -> OAuthAuthenticator? {
    guard let settings = configuration.authorization else { return nil }
    func secret(_ file: String, _ what: String) throws -> String {
        try readSecretFile(file, what, configuration: configuration, configurationPath: configurationPath)
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

/// The broker of upstream credentials, when some upstream has an `auth` section: the vault
/// (`vault.sqlite` in the data directory, sealed with the master key) and each upstream's
/// settings, with the secrets read from their files.
func makeCredentialBroker(
    _ configuration: GatewayConfiguration, configurationPath: String, http: HTTPClient, masterKey: MasterKey,
    baseURL: String
) throws -> UpstreamCredentialBroker? {
    var upstreams: [UpstreamAuthentication] = []
    for upstream in configuration.upstreams {
        guard let auth = upstream.auth, case .streamableHTTP(let url) = upstream.endpoint else { continue }
        func secret(_ file: String?) throws -> String? {
            try file.map {
                try readSecretFile(
                    $0, "upstreams \(upstream.name) auth", configuration: configuration,
                    configurationPath: configurationPath)
            }
        }
        let mode: UpstreamAuthentication.Mode
        switch auth.kind {
        case .oauth: mode = .oauth
        case .clientCredentials: mode = .clientCredentials
        case .bearer: mode = .bearer(shared: try secret(auth.secretFile))
        case .apiKey: mode = .apiKey(header: auth.header, shared: try secret(auth.secretFile))
        }
        var settings = UpstreamAuthentication(upstream: upstream.name, url: url, mode: mode)
        settings.scopes = auth.scopes
        settings.clientID = auth.clientID
        settings.clientSecret = try secret(auth.clientSecretFile)
        settings.issuer = auth.issuer
        settings.quirks = auth.quirks
        settings.allowsInternalAddresses = auth.allowInternalAddresses
        upstreams.append(settings)
    }
    guard !upstreams.isEmpty else { return nil }
    let vaultPath = resolvePath("vault.sqlite", configuration: configuration, configurationPath: configurationPath)
    let vault = try CredentialVault(path: vaultPath, masterKey: masterKey)
    return UpstreamCredentialBroker(vault: vault, http: http, baseURL: baseURL, upstreams: upstreams)
}

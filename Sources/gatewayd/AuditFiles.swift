import Foundation
import MCPAudit
import MCPCrypto
import MCPGateway

/// Where a configuration's relative paths lead: into the data directory when there is one
/// (itself relative to the configuration file), else next to the configuration file.
func resolvePath(_ path: String, configuration: GatewayConfiguration, configurationPath: String) -> String {
    if path.hasPrefix("/") { return path }
    let base = URL(fileURLWithPath: configurationPath).deletingLastPathComponent()
    guard let data = configuration.dataDirectory else { return base.appendingPathComponent(path).path }
    let directory = data.hasPrefix("/") ? URL(fileURLWithPath: data) : base.appendingPathComponent(data)
    return directory.appendingPathComponent(path).path
}

/// A key file: one line of 64 hexadecimal digits, an Ed25519 private key.
func readSigningKey(_ path: String) throws -> Ed25519.PrivateKey {
    guard let data = FileManager.default.contents(atPath: path),
        let text = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
        let bytes = Hexadecimal.decode(text), bytes.count == 32
    else {
        throw PolicyFileError(description: "\(path) does not hold a hexadecimal Ed25519 private key")
    }
    return try Ed25519.PrivateKey(rawRepresentation: bytes)
}

/// Opens the audit log a configuration asks for, creating the data directory.
func openAuditLog(_ configuration: GatewayConfiguration, configurationPath: String) throws -> AuditLog? {
    guard let settings = configuration.audit else { return nil }
    let path = resolvePath(settings.path, configuration: configuration, configurationPath: configurationPath)
    try FileManager.default.createDirectory(
        atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
    var auditConfiguration = AuditLogConfiguration(path: path)
    switch settings.durability {
    case .acknowledged: auditConfiguration.durability = .acknowledged
    case .async: auditConfiguration.durability = .async
    case .failClosed: auditConfiguration.durability = .failClosed
    }
    if let keyFile = settings.signingKeyFile {
        let key = try readSigningKey(
            resolvePath(keyFile, configuration: configuration, configurationPath: configurationPath))
        auditConfiguration.signer = AuditSigner(keyID: AuditSigner.keyID(of: key.publicKey.rawRepresentation), key: key)
    }
    for sink in settings.sinks {
        switch sink {
        case .file(let file):
            auditConfiguration.sinks.append(
                try AuditFileSink(
                    path: resolvePath(file, configuration: configuration, configurationPath: configurationPath)))
        case .syslog(let host, let port, let tcp):
            auditConfiguration.sinks.append(
                try AuditSyslogSink(
                    host: host, port: port, transport: tcp ? .tcp : .udp,
                    format: SyslogMessageFormat(hostname: ProcessInfo.processInfo.hostName, processID: String(getpid()))
                ))
        }
    }
    return try AuditLog(configuration: auditConfiguration)
}

/// The retention a configuration asks for, if any.
func auditRetention(_ settings: GatewayConfiguration.AuditSettings) -> AuditRetentionPolicy? {
    guard settings.retentionDays != nil || !settings.organizationRetentionDays.isEmpty else { return nil }
    return AuditRetentionPolicy(
        maxAge: settings.retentionDays.map { .seconds(Int64($0) * 86_400) },
        organizationMaxAge: settings.organizationRetentionDays.mapValues { .seconds(Int64($0) * 86_400) })
}

/// `gatewayd audit verify --db FILE [--key KEYFILE]` and
/// `gatewayd audit query --db FILE [filters] [--format jsonl|csv]`.
func runAudit(_ arguments: [String]) -> Int32 {
    guard let command = arguments.first else { fail(usage) }
    let options = namedOptions(arguments.dropFirst(), usage: usage)
    guard let database = options["db"] else { fail("gatewayd: audit \(command) needs --db FILE") }
    do {
        switch command {
        case "verify":
            var keys: [String: any VerifyingKey] = [:]
            if let keyFile = options["key"] {
                let publicKey = try readSigningKey(keyFile).publicKey
                keys[AuditSigner.keyID(of: publicKey.rawRepresentation)] = publicKey
            }
            let report = try AuditVerifier(keys: keys).verify(path: database)
            if let problem = report.problems.first {
                print("FAILED: \(problem)")
                return 1
            }
            print(
                "ok: \(report.recordCount) records (\(report.firstSequence)...\(report.lastSequence)), \(report.checkpointCount) checkpoints, signatures \(report.signaturesChecked ? "checked" : "not checked")"
            )
            return 0
        case "query":
            var query = AuditQuery(limit: Int(options["limit"] ?? "") ?? 10_000)
            query.subject = options["subject"]
            query.team = options["team"]
            query.organization = options["organization"]
            query.upstream = options["upstream"]
            query.target = options["tool"]
            query.method = options["method"]
            query.status = options["outcome"]
            if let from = options["from"].flatMap(Int64.init) { query.from = .seconds(from) }
            if let until = options["until"].flatMap(Int64.init) { query.until = .seconds(until) }
            let format: AuditExportFormat = options["format"] == "csv" ? .csv : .jsonLines
            let records = try AuditReader(path: database).records(matching: query)
            FileHandle.standardOutput.write(Data(format.render(records)))
            return 0
        default:
            fail(usage)
        }
    } catch {
        fail("gatewayd: audit \(command): \(error)", status: 1)
    }
}

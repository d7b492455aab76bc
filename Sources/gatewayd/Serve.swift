import Dispatch
import Foundation
import MCPAudit
import MCPCore
import MCPAuth
import MCPGateway
import MCPInspect
import MCPPolicy
import MCPTransport

/// `gatewayd serve --config FILE`: runs the gateway until SIGTERM or SIGINT (which drain
/// in-flight calls for up to 10 seconds); SIGHUP reads the file again.
func serve(configurationPath path: String) async {
    let configuration = loadConfiguration(path)
    // One JSON line per event on standard error; GATEWAYD_LOG_LEVEL=debug|info|warning|error.
    let level =
        GatewayLogLevel.allCases.first { $0.name == ProcessInfo.processInfo.environment["GATEWAYD_LOG_LEVEL"] } ?? .info
    let logSink = JSONLinesLogSink(minimumLevel: level)
    let policy: PolicyInterceptor?
    do {
        policy = try makePolicyInterceptor(configuration, configurationPath: path, logSink: logSink)
    } catch {
        fail("gatewayd: \(path): policy: \(error)")
    }
    let audit: AuditLog?
    do {
        audit = try openAuditLog(configuration, configurationPath: path)
    } catch {
        fail("gatewayd: \(path): audit: \(error)")
    }
    // The audit record wraps everything, so refused calls are recorded too; inspection
    // runs before the policy, which can then use the session's flow facts.
    var interceptors: [any GatewayInterceptor] = []
    var inspectionInterceptor: InspectionInterceptor?
    if let audit {
        interceptors.append(
            AuditInterceptor(log: audit, recordArguments: configuration.audit?.recordArguments ?? false))
    }
    if let settings = configuration.inspection {
        do {
            // Pins are kept in the data directory, so a tool changed while the gateway was
            // down is still caught after a restart.
            let pinPath = resolvePath("inspection-pins.sqlite", configuration: configuration, configurationPath: path)
            try FileManager.default.createDirectory(
                atPath: URL(fileURLWithPath: pinPath).deletingLastPathComponent().path,
                withIntermediateDirectories: true)
            let inspection = try InspectionInterceptor(
                configuration: settings, pinStore: try SQLiteToolPinStore(path: pinPath), logSink: logSink)
            // Credentials the gateway holds for its upstreams never leave through a result.
            for upstream in configuration.upstreams {
                for value in upstream.headers.values {
                    try? inspection.inspector.addHeldToken(Array(value.utf8))
                    if value.hasPrefix("Bearer ") {
                        try? inspection.inspector.addHeldToken(Array(value.utf8.dropFirst(7)))
                    }
                }
            }
            interceptors.append(inspection)
            inspectionInterceptor = inspection
        } catch {
            fail("gatewayd: \(path): inspection: \(error)")
        }
    }
    if let policy { interceptors.append(policy) }
    var routes: [String: any HTTPResponder] = [:]
    if let admin = configuration.admin {
        let tokenPath = resolvePath(admin.tokenFile, configuration: configuration, configurationPath: path)
        guard let data = FileManager.default.contents(atPath: tokenPath),
            let token = String(data: data, encoding: .utf8)?.trimmingCharacters(in: .whitespacesAndNewlines),
            token.utf8.count >= 16
        else { fail("gatewayd: \(path): admin.tokenFile: \(tokenPath) must hold a token of at least 16 characters") }
        if let policy { routes[ApprovalEndpoint.pathPrefix] = ApprovalEndpoint(policy: policy, adminToken: token) }
        if let inspectionInterceptor {
            routes[ToolPinEndpoint.pathPrefix] = ToolPinEndpoint(inspection: inspectionInterceptor, adminToken: token)
        }
    }
    // The gateway as OAuth authorization server and protected resource: every MCP request
    // then needs a bearer token, and calls are attributed to its principal.
    let authenticator: OAuthAuthenticator?
    let credentials: UpstreamCredentialBroker?
    let metadataClient: HTTPClient?
    do {
        if let (store, masterKey) = try openAuthorizationStore(configuration, configurationPath: path) {
            let client = try HTTPClient()
            metadataClient = client
            let made = try makeAuthenticator(
                configuration, configurationPath: path, http: client, store: store, masterKey: masterKey)
            authenticator = made
            // Per-user upstream credentials: the vault, and the connect pages at /connect/.
            credentials = try makeCredentialBroker(
                configuration, configurationPath: path, http: client, masterKey: masterKey,
                baseURL: made?.server.configuration.issuer ?? "")
            if let credentials, let made {
                let resource = made.server.protectedResource(
                    OAuthAuthenticator.serverConfiguration(for: configuration).resources[configuration.listen.path]
                        ?? "")
                let endpoint = UpstreamConnectEndpoint(broker: credentials, identities: made.server.identities) {
                    header in
                    try? resource.authenticate(authorization: header).subject
                }
                routes["/connect/"] = endpoint
                routes["/connections"] = endpoint
            }
        } else {
            metadataClient = nil
            authenticator = nil
            credentials = nil
        }
    } catch {
        fail("gatewayd: \(path): authorization: \(error)")
    }
    defer { metadataClient?.shutdown() }
    let gateway = Gateway(
        configuration: configuration, interceptors: interceptors, logSink: logSink, routes: routes,
        authenticator: authenticator, credentials: credentials)
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    signal(SIGPIPE, SIG_IGN)
    signal(SIGHUP, SIG_IGN)
    let drain: @Sendable () -> Void = { gateway.shutdown(gracePeriod: .seconds(10)) }
    var sources: [any DispatchSourceSignal] = []
    for number in [SIGTERM, SIGINT] {
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler(handler: drain)
        source.resume()
        sources.append(source)
    }
    // SIGHUP reads the configuration file (and its policy files) again; unchanged upstreams
    // keep their sessions. A file with an error is reported and what runs stays in force.
    let reloads = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
    let requestReload: @Sendable () -> Void = { reloads.continuation.yield() }
    hangUp.setEventHandler(handler: requestReload)
    hangUp.resume()
    sources.append(hangUp)
    let reloader = Task {
        for await _ in reloads.stream {
            await reload(gateway, policy: policy, from: path)
        }
    }
    let printer = Task {
        if let address = try? await gateway.listeningAddress() {
            print("gatewayd \(GatewayVersion.current): MCP endpoint at http://\(address)\(configuration.listen.path)")
            for upstream in configuration.upstreams {
                let prefix = configuration.prefix(of: upstream)
                print(
                    "upstream \(upstream.name): \(upstream.location)\(prefix.isEmpty ? "" : " (names as \(prefix)\(configuration.namespacing.separator)...)")"
                )
            }
            for server in configuration.servers {
                print("virtual server \(server.name): http://\(address)\(server.path)")
            }
            if let files = configuration.policy?.files { print("policy: \(files.joined(separator: ", "))") }
            if let audit = configuration.audit {
                print(
                    "audit: \(resolvePath(audit.path, configuration: configuration, configurationPath: path)) (\(audit.durability.rawValue))"
                )
            }
            print("metrics: http://\(address)/metrics  health: http://\(address)/readyz")
            fflush(nil)
        }
    }
    do {
        try await withThrowingTaskGroup(of: Void.self) { group in
            if let audit { group.addTask { try await audit.run() } }
            do {
                try await withThrowingTaskGroup(of: Void.self) { serving in
                    if let audit, let retention = configuration.audit.flatMap(auditRetention) {
                        serving.addTask { await retain(audit, retention, logSink: logSink) }
                    }
                    defer { serving.cancelAll() }
                    try await gateway.run()
                }
            } catch {
                audit?.shutdown()
                throw error
            }
            // In-flight calls have finished: their records are written, then the log closes.
            audit?.shutdown()
            try await group.waitForAll()
        }
    } catch {
        fail("gatewayd: \(error)", status: 1)
    }
    printer.cancel()
    reloader.cancel()
    withExtendedLifetime(sources) {}
}

/// One SIGHUP: the configuration first, then the policy; either one that fails leaves what
/// runs in force and says why on standard error.
private func reload(_ gateway: Gateway, policy: PolicyInterceptor?, from path: String) async {
    func report(_ message: String) {
        FileHandle.standardError.write(
            Data("gatewayd: reload: \(path): \(message); the running configuration stays in force\n".utf8))
    }
    guard let data = FileManager.default.contents(atPath: path) else {
        report("cannot read the file")
        return
    }
    let configuration: GatewayConfiguration
    do {
        configuration = try GatewayConfiguration(parsing: Array(data))
    } catch {
        report("\(error)")
        return
    }
    var engine: PolicyEngine?
    if let settings = configuration.policy {
        guard let policy else {
            report("a policy cannot be turned on while the gateway runs; restart it instead")
            return
        }
        do {
            engine = try policy.currentEngine.reloading(try loadPolicyDocuments(settings.files, relativeTo: path))
        } catch {
            report("policy: \(error)")
            return
        }
    } else if policy != nil {
        report("the policy cannot be turned off while the gateway runs; restart it instead")
        return
    }
    do {
        try await gateway.reload(configuration: configuration)
    } catch {
        report("\(error)")
        return
    }
    if let engine { policy?.replace(engine: engine) }
}

/// At start, then hourly until cancelled: what the retention says is too old goes, and the
/// removal is itself recorded in the chain.
private func retain(_ audit: AuditLog, _ retention: AuditRetentionPolicy, logSink: any GatewayLogSink) async {
    while !Task.isCancelled {
        do {
            let result = try audit.applyRetention(retention)
            if result.deletedCount + result.tombstonedCount > 0 {
                logSink.write(
                    level: .info, event: "audit.retention",
                    fields: [
                        "deleted": .number(JSONNumber(result.deletedCount)),
                        "tombstoned": .number(JSONNumber(result.tombstonedCount)),
                    ])
            }
        } catch {
            logSink.write(level: .error, event: "audit.retention_failed", fields: ["error": .string("\(error)")])
        }
        try? await Task.sleep(for: .seconds(3600))
    }
}

import Foundation
import MCPCore
import MCPGateway
import MCPPolicy

/// A policy file that could not be read or does not parse, named in the message.
struct PolicyFileError: Error, CustomStringConvertible {
    let description: String
}

/// Reads policy documents from files; each error names its file and key path.
func loadPolicyDocuments(_ paths: [String], relativeTo configurationPath: String?) throws -> [PolicyDocument] {
    let base = configurationPath.map { URL(fileURLWithPath: $0).deletingLastPathComponent() }
    var documents: [PolicyDocument] = []
    for path in paths {
        let resolved = path.hasPrefix("/") || base == nil ? path : base!.appendingPathComponent(path).path
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw PolicyFileError(description: "cannot read policy file \(resolved)")
        }
        do {
            documents.append(try PolicyDocument(parsing: Array(data)))
        } catch {
            throw PolicyFileError(description: "\(resolved): \(error)")
        }
    }
    return documents
}

/// The policy interceptor a configuration asks for, if any.
func makePolicyInterceptor(
    _ configuration: GatewayConfiguration, configurationPath: String, logSink: any GatewayLogSink
) throws -> PolicyInterceptor? {
    guard let settings = configuration.policy else { return nil }
    let engine = try PolicyEngine(documents: try loadPolicyDocuments(settings.files, relativeTo: configurationPath))
    return PolicyInterceptor(
        engine: engine, anonymousPrincipal: anonymousPrincipal(settings), logSink: logSink,
        approvalLinkBase: configuration.admin == nil
            ? nil : configuration.admin?.publicURL ?? "http://\(configuration.listen.host):\(configuration.listen.port)"
    )
}

func anonymousPrincipal(_ settings: GatewayConfiguration.PolicySettings) -> PolicyPrincipal? {
    guard let subject = settings.anonymousSubject, let organization = settings.anonymousOrganization else { return nil }
    return PolicyPrincipal(subject: subject, organization: organization, teams: settings.anonymousTeams)
}

/// `gatewayd policy test --policy FILE [--policy FILE ...] --request FILE [--json]`: the
/// decision for one request, explained, without a running gateway. Exits 0 when the
/// request is allowed, 1 when it is not.
func runPolicyTest(_ arguments: [String]) -> Int32 {
    var policies: [String] = []
    var requestPath: String?
    var json = false
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--policy" where index + 1 < arguments.count:
            policies.append(arguments[index + 1])
            index += 2
        case "--request" where index + 1 < arguments.count:
            requestPath = arguments[index + 1]
            index += 2
        case "--json":
            json = true
            index += 1
        default:
            fail(usage)
        }
    }
    guard !policies.isEmpty, let requestPath else { fail(usage) }
    let engine: PolicyEngine
    do {
        engine = try PolicyEngine(documents: try loadPolicyDocuments(policies, relativeTo: nil))
    } catch {
        fail("gatewayd: \(error)")
    }
    guard let data = FileManager.default.contents(atPath: requestPath) else {
        fail("gatewayd: cannot read \(requestPath)")
    }
    let request: PolicyTestRequest
    do {
        request = try PolicyTestRequest(parsing: Array(data))
    } catch {
        fail("gatewayd: \(requestPath): \(error)")
    }
    let explanation = engine.explain(request.request, now: request.time ?? .now)
    if json {
        print(String(decoding: explanation.json.serialized, as: UTF8.self))
    } else {
        print(explanation.text)
    }
    return explanation.json["outcome"]?.stringValue == "allow" ? 0 : 1
}

/// `gatewayd access-review --config FILE --principals FILE [--format json|csv]`: who can
/// call what, from the upstreams' offer and the policy, for periodic reviews. The
/// principals file is a JSON array of `{"subject", "organization", "teams"?, "agent"?,
/// "scopes"?}`.
func runAccessReview(_ arguments: [String]) async -> Int32 {
    let options = namedOptions(arguments, usage: usage)
    guard let configurationPath = options["config"], let principalsPath = options["principals"] else { fail(usage) }
    var configuration = loadConfiguration(configurationPath)
    configuration.listen.port = 0
    guard let data = FileManager.default.contents(atPath: principalsPath),
        let list = (try? JSONValue(parsing: Array(data)))?.arrayValue
    else { fail("gatewayd: \(principalsPath): not a JSON array of principals") }
    var principals: [PolicyPrincipal] = []
    for (position, element) in list.enumerated() {
        guard let subject = element["subject"]?.stringValue, let organization = element["organization"]?.stringValue
        else {
            fail("gatewayd: \(principalsPath): [\(position)]: needs subject and organization")
        }
        principals.append(
            PolicyPrincipal(
                subject: subject, organization: organization,
                teams: element["teams"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                agent: element["agent"]?.stringValue,
                scopes: element["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? []))
    }
    do {
        var engine: PolicyEngine?
        if let settings = configuration.policy {
            engine = try PolicyEngine(documents: try loadPolicyDocuments(settings.files, relativeTo: configurationPath))
        }
        let entries = try await AccessReview.run(configuration: configuration, engine: engine, principals: principals)
        if options["format"] == "csv" {
            print(AccessReview.csv(entries), terminator: "")
        } else {
            print(String(decoding: AccessReview.json(entries).serialized, as: UTF8.self))
        }
        return 0
    } catch {
        fail("gatewayd: access-review: \(error)", status: 1)
    }
}

import Foundation
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
    return PolicyInterceptor(engine: engine, anonymousPrincipal: anonymousPrincipal(settings), logSink: logSink)
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
    guard let data = FileManager.default.contents(atPath: requestPath) else { fail("gatewayd: cannot read \(requestPath)") }
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

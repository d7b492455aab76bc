// gatewayd: the MCP gateway as a program. Argument parsing, the configuration file,
// signals and wiring only; everything else is in MCPGateway.

import Dispatch
import Foundation
import MCPGateway
import MCPPolicy

let usage = """
    usage: gatewayd serve --config FILE    serve MCP clients as the configuration says
                                           (SIGHUP reloads FILE, SIGTERM drains and stops)
           gatewayd check-config FILE      check a configuration file (and its policy files) and exit
           gatewayd policy test --policy FILE [--policy FILE ...] --request FILE [--json]
                                           explain the policy's decision for one request
                                           (exit 0 when allowed, 1 when not)
           gatewayd audit verify --db FILE [--key KEYFILE]
                                           check the audit chain and checkpoint signatures;
                                           names the first bad record (exit 1)
           gatewayd audit query --db FILE [--subject S] [--organization O] [--team T]
                                [--upstream U] [--tool T] [--method M] [--outcome ok|error|tool_error]
                                [--from UNIX-SECONDS] [--until UNIX-SECONDS] [--format jsonl|csv]
           gatewayd access-review --config FILE --principals FILE [--format json|csv]
                                           who can call what: every tool, prompt and resource
                                           of the upstreams with the policy's decision
           gatewayd orgs|teams|users ...   manage the identity graph (see `gatewayd users --help`)
           gatewayd upstream doctor NAME --config FILE [--user USER]
                                           discovery and a token cycle against an upstream, with
                                           the provider quirks observed
           gatewayd connections list|revoke|set-secret ...
                                           users' upstream connections (see `gatewayd connections --help`)
           gatewayd keys rotate|reseal ... rotate the signing key, or seal the keys with a new
                                           master key (see `gatewayd keys --help`)
           gatewayd version                print the version
           gatewayd --help                 this text

    example:
      gatewayd serve --config Examples/quickstart.json
      curl -s http://127.0.0.1:8080/mcp -H 'Content-Type: application/json' \\
        -H 'Accept: application/json, text/event-stream' \\
        -d '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}'
    """

func fail(_ message: String, status: Int32 = 2) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(status)
}

/// Reads `--name value` pairs into a table keyed by name; anything else fails with `usage`.
func namedOptions(_ arguments: some Collection<String>, usage: String) -> [String: String] {
    var options: [String: String] = [:]
    var index = arguments.startIndex
    while index != arguments.endIndex {
        let value = arguments.index(after: index)
        guard arguments[index].hasPrefix("--"), value != arguments.endIndex else { fail(usage) }
        options[String(arguments[index].dropFirst(2))] = arguments[value]
        index = arguments.index(after: value)
    }
    return options
}

func loadConfiguration(_ path: String) -> GatewayConfiguration {
    guard let data = FileManager.default.contents(atPath: path) else { fail("gatewayd: cannot read \(path)") }
    var configuration: GatewayConfiguration
    do {
        configuration = try GatewayConfiguration(parsing: Array(data))
    } catch {
        fail("gatewayd: \(path): \(error)")
    }
    // The listener's certificate and key, relative to the data directory like every file.
    if var tls = configuration.listen.tls {
        tls.certificateChainFile = resolvePath(
            tls.certificateChainFile, configuration: configuration, configurationPath: path)
        tls.privateKeyFile = resolvePath(tls.privateKeyFile, configuration: configuration, configurationPath: path)
        configuration.listen.tls = tls
    }
    return configuration
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "version":
    print("gatewayd \(GatewayVersion.current)")
case "check-config":
    guard arguments.count == 2 else { fail(usage) }
    let configuration = loadConfiguration(arguments[1])
    if let policy = configuration.policy {
        do {
            _ = try PolicyEngine(documents: try loadPolicyDocuments(policy.files, relativeTo: arguments[1]))
        } catch {
            fail("gatewayd: \(arguments[1]): policy: \(error)")
        }
    }
    print("\(arguments[1]): configuration is valid")
case "serve":
    guard arguments.count == 3, arguments[1] == "--config" else { fail(usage) }
    await serve(configurationPath: arguments[2])
case "audit":
    exit(runAudit(Array(arguments.dropFirst())))
case "access-review":
    exit(await runAccessReview(Array(arguments.dropFirst())))
case "upstream", "connections":
    exit(await runUpstream(arguments[0], Array(arguments.dropFirst())))
case "keys":
    exit(runKeys(Array(arguments.dropFirst())))
case "orgs", "teams", "users":
    exit(runIdentity(arguments[0], Array(arguments.dropFirst())))
case "policy":
    guard arguments.count >= 2, arguments[1] == "test" else { fail(usage) }
    exit(runPolicyTest(Array(arguments.dropFirst(2))))
case "--help", "-h", "help":
    print(usage)
default:
    fail(usage)
}

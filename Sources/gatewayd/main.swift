// gatewayd: the MCP gateway as a program. Argument parsing, the configuration file,
// signals and wiring only; everything else is in MCPGateway.

import Dispatch
import Foundation
import MCPGateway

let usage = """
    usage: gatewayd serve --config FILE    serve MCP clients as the configuration says
                                           (SIGHUP reloads FILE, SIGTERM drains and stops)
           gatewayd check-config FILE      check a configuration file and exit
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

func loadConfiguration(_ path: String) -> GatewayConfiguration {
    guard let data = FileManager.default.contents(atPath: path) else { fail("gatewayd: cannot read \(path)") }
    do {
        return try GatewayConfiguration(parsing: Array(data))
    } catch {
        fail("gatewayd: \(path): \(error)")
    }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "version":
    print("gatewayd \(GatewayVersion.current)")
case "check-config":
    guard arguments.count == 2 else { fail(usage) }
    _ = loadConfiguration(arguments[1])
    print("\(arguments[1]): configuration is valid")
case "serve":
    guard arguments.count == 3, arguments[1] == "--config" else { fail(usage) }
    let configuration = loadConfiguration(arguments[2])
    // One JSON line per event on standard error; GATEWAYD_LOG_LEVEL=debug|info|warning|error.
    let level = GatewayLogLevel.allCases.first { $0.name == ProcessInfo.processInfo.environment["GATEWAYD_LOG_LEVEL"] } ?? .info
    let gateway = Gateway(configuration: configuration, logSink: JSONLinesLogSink(minimumLevel: level))
    signal(SIGTERM, SIG_IGN)
    signal(SIGINT, SIG_IGN)
    signal(SIGPIPE, SIG_IGN)
    // SIGTERM and SIGINT drain: in-flight calls get up to 10 seconds, then the upstream stops.
    let drain: @Sendable () -> Void = { gateway.shutdown(gracePeriod: .seconds(10)) }
    var sources: [any DispatchSourceSignal] = []
    for number in [SIGTERM, SIGINT] {
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler(handler: drain)
        source.resume()
        sources.append(source)
    }
    // SIGHUP reads the configuration file again; unchanged upstreams keep their sessions.
    // A file with an error is reported and the running configuration stays in force.
    signal(SIGHUP, SIG_IGN)
    let path = arguments[2]
    let reloads = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
    let hangUp = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
    let requestReload: @Sendable () -> Void = { reloads.continuation.yield() }
    hangUp.setEventHandler(handler: requestReload)
    hangUp.resume()
    sources.append(hangUp)
    let reloader = Task {
        for await _ in reloads.stream {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("gatewayd: reload: cannot read \(path)\n".utf8))
                continue
            }
            do {
                try await gateway.reload(configuration: try GatewayConfiguration(parsing: Array(data)))
            } catch {
                FileHandle.standardError.write(Data("gatewayd: reload: \(path): \(error); the running configuration stays in force\n".utf8))
            }
        }
    }
    let printer = Task {
        if let address = try? await gateway.listeningAddress() {
            print("gatewayd \(GatewayVersion.current): MCP endpoint at http://\(address)\(configuration.listen.path)")
            for upstream in configuration.upstreams {
                let prefix = configuration.prefix(of: upstream)
                print("upstream \(upstream.name): \(upstream.location)\(prefix.isEmpty ? "" : " (names as \(prefix)\(configuration.namespacing.separator)...)")")
            }
            print("metrics: http://\(address)/metrics  health: http://\(address)/readyz")
            fflush(nil)
        }
    }
    do {
        try await gateway.run()
    } catch {
        fail("gatewayd: \(error)", status: 1)
    }
    printer.cancel()
    reloader.cancel()
    withExtendedLifetime(sources) {}
case "--help", "-h", "help":
    print(usage)
default:
    fail(usage)
}

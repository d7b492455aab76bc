import Foundation

/// tools/call `echo` through gatewayd against the same example server called directly, in
/// one run: sequentially (one connection) for the added latency, and at 16 concurrent
/// connections for the throughput ratio. Load comes from wrk with one stateless 2026-07-28
/// request per call. Needs the release builds of gatewayd and mcp-example-server in
/// `.build/release` (make bench builds them).
enum GatewayBenchmark {
    static let seconds = 5

    static func run() {
        print("Gateway: tools/call echo through gatewayd vs the example server directly, \(seconds) s per run, wrk")
        guard let wrk = HTTPServerBenchmark.which("wrk") else {
            print("  skipped: wrk is needed (make bench installs it)\n")
            return
        }
        let root = FileManager.default.currentDirectoryPath
        let exampleServer = root + "/.build/release/mcp-example-server"
        let gatewayd = root + "/.build/release/gatewayd"
        guard FileManager.default.isExecutableFile(atPath: exampleServer), FileManager.default.isExecutableFile(atPath: gatewayd) else {
            print("  skipped: build gatewayd and mcp-example-server in release mode first (make bench does)\n")
            return
        }
        let directory = NSTemporaryDirectory() + "mcp-bench-gateway-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/call.lua"
        try? """
            wrk.method = "POST"
            wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"hello"}}}'
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Accept"] = "application/json, text/event-stream"
            wrk.headers["MCP-Protocol-Version"] = "2026-07-28"
            wrk.headers["Mcp-Method"] = "tools/call"
            wrk.headers["Mcp-Name"] = "echo"
            """.write(toFile: script, atomically: true, encoding: .utf8)

        let basePort = UInt16(20000 + Int(getpid()) % 20000)
        let direct = spawn(exampleServer, ["--http", String(basePort)])
        defer { stop(direct) }
        let directURL = "http://127.0.0.1:\(basePort)/mcp"

        // gatewayd in front of the example server over stdio, as the quick start runs it,
        // and in front of the very process measured directly, over Streamable HTTP.
        let stdioPort = basePort + 1
        let httpPort = basePort + 2
        let stdioConfiguration = directory + "/stdio.json"
        let httpConfiguration = directory + "/http.json"
        try? """
            {"listen":{"port":\(stdioPort)},"upstreams":[{"name":"example","command":"\(exampleServer)"}]}
            """.write(toFile: stdioConfiguration, atomically: true, encoding: .utf8)
        try? """
            {"listen":{"port":\(httpPort)},"upstreams":[{"name":"example","url":"\(directURL)"}]}
            """.write(toFile: httpConfiguration, atomically: true, encoding: .utf8)
        guard waitUntilListening(directURL) else {
            print("  skipped: the example server did not start\n")
            return
        }
        let overStdio = spawn(gatewayd, ["serve", "--config", stdioConfiguration], environment: ["GATEWAYD_LOG_LEVEL": "error"])
        defer { stop(overStdio) }
        let overHTTP = spawn(gatewayd, ["serve", "--config", httpConfiguration], environment: ["GATEWAYD_LOG_LEVEL": "error"])
        defer { stop(overHTTP) }
        let stdioURL = "http://127.0.0.1:\(stdioPort)/mcp"
        let httpURL = "http://127.0.0.1:\(httpPort)/mcp"
        guard waitUntilListening(stdioURL), waitUntilListening(httpURL) else {
            print("  skipped: gatewayd did not start\n")
            return
        }

        var rows: [(String, Load, Load)] = []
        for (name, url) in [("direct", directURL), ("gateway, stdio upstream", stdioURL), ("gateway, HTTP upstream", httpURL)] {
            let sequential = load(wrk: wrk, script: script, url: url, connections: 1)
            let concurrent = load(wrk: wrk, script: script, url: url, connections: 16)
            rows.append((name, sequential, concurrent))
        }
        print("  path                       1 conn: req/s      p50      p99   16 conns: req/s      p50      p99")
        for (name, sequential, concurrent) in rows {
            print(
                "  " + name.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: "%16.0f %8.0f %8.0f %18.0f %8.0f %8.0f", sequential.requestsPerSecond, sequential.p50, sequential.p99,
                        concurrent.requestsPerSecond, concurrent.p50, concurrent.p99) + "   (latencies in µs)")
        }
        let base = rows[0]
        for row in rows.dropFirst() {
            print(
                String(
                    format: "  %@: added p50 %.0f µs, p99 %.0f µs sequential; throughput at 16 connections %.2fx direct",
                    row.0, row.1.p50 - base.1.p50, row.1.p99 - base.1.p99,
                    base.2.requestsPerSecond > 0 ? row.2.requestsPerSecond / base.2.requestsPerSecond : 0))
        }
        print("  (targets: added p50 under 100 µs, throughput at least 0.7x direct)\n")
    }

    struct Load {
        var requestsPerSecond: Double = 0
        /// Microseconds.
        var p50: Double = .nan
        var p99: Double = .nan
    }

    static func load(wrk: String, script: String, url: String, connections: Int) -> Load {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: wrk)
        process.arguments = ["-t1", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script, url]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return Load() }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var result = Load()
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.first == "Requests/sec:", fields.count > 1 { result.requestsPerSecond = Double(fields[1]) ?? 0 }
            if fields.first == "50%", fields.count > 1 { result.p50 = microseconds(fields[1]) }
            if fields.first == "99%", fields.count > 1 { result.p99 = microseconds(fields[1]) }
            if fields.first == "Non-2xx" { print("  warning: \(line)") }
        }
        return result
    }

    /// wrk's `123.45us`, `1.20ms` or `2.00s` in microseconds.
    static func microseconds(_ text: Substring) -> Double {
        for (suffix, factor) in [("us", 1.0), ("ms", 1000.0), ("s", 1_000_000.0)] where text.hasSuffix(suffix) {
            return (Double(text.dropLast(suffix.count)) ?? .nan) * factor
        }
        return .nan
    }

    static func spawn(_ path: String, _ arguments: [String], environment: [String: String] = [:]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
        return process
    }

    static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Polls with curl until the URL answers anything, for up to 10 seconds.
    static func waitUntilListening(_ url: String) -> Bool {
        for _ in 0..<100 {
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-s", "-o", "/dev/null", "--max-time", "1", url]
            try? curl.run()
            curl.waitUntilExit()
            if curl.terminationStatus == 0 { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return false
    }
}

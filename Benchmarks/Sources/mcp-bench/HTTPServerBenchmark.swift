import Foundation
import MCPTransport

/// The HTTP server under load from wrk: a small POST answered with a small JSON body over
/// keep-alive connections, against nginx serving a fixed answer on the same machine in the
/// same run.
enum HTTPServerBenchmark {
    static let connections = 64
    static let seconds = 5
    static let answer = #"{"jsonrpc":"2.0","id":1,"result":{"content":[{"type":"text","text":"ok"}]}}"#

    /// How the two cores are shared between the server under test and wrk.
    struct Layout {
        var name: String
        /// Event loops of ours, nginx workers.
        var serverThreads: Int
        var wrkThreads: Int
        /// The server on CPU 0 and wrk on CPU 1, so that neither preempts the other.
        var pinned: Bool
    }

    static func run() {
        print("HTTP server: POST with a small JSON body, \(connections) keep-alive connections, \(seconds) s, wrk")
        guard let wrk = which("wrk"), let nginx = which("nginx") else {
            print("  skipped: wrk and nginx are needed (make bench installs them)\n")
            return
        }
        let directory = NSTemporaryDirectory() + "mcp-bench-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let script = directory + "/post.lua"
        try? """
        wrk.method = "POST"
        wrk.body = '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"echo","arguments":{"text":"ok"}}}'
        wrk.headers["Content-Type"] = "application/json"
        """.write(toFile: script, atomically: true, encoding: .utf8)

        var layouts = [Layout(name: "cores shared", serverThreads: 2, wrkThreads: 2, pinned: false)]
        if which("taskset") != nil, ProcessInfo.processInfo.activeProcessorCount >= 2 {
            layouts.append(Layout(name: "server on CPU 0, wrk on CPU 1", serverThreads: 1, wrkThreads: 1, pinned: true))
        } else {
            print("  (one core or no taskset: the pinned layout is skipped)")
        }
        for layout in layouts {
            compare(layout, wrk: wrk, nginx: nginx, script: script, directory: directory)
        }
        print()
    }

    static func compare(_ layout: Layout, wrk: String, nginx: String, script: String, directory: String) {
        // In the pinned layout every thread of ours, the event loops started below and
        // nginx (a child) run on CPU 0; wrk is started on CPU 1.
        if layout.pinned {
            pinProcess(to: "0")
        }
        defer { if layout.pinned { pinProcess(to: "0-\(ProcessInfo.processInfo.activeProcessorCount - 1)") } }

        let body = Array(answer.utf8)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(eventLoopCount: layout.serverThreads),
            responder: HTTPResponderClosure { request, response in
                _ = try await request.collectBody(upTo: 1 << 20)
                try await response.send(
                    status: HTTPStatus(code: 200), fields: ["Content-Type": "application/json"], body: body)
            })
        let runner = Thread {
            let semaphore = DispatchSemaphore(value: 0)
            Task {
                try? await server.run()
                semaphore.signal()
            }
            semaphore.wait()
        }
        runner.start()
        let port = waitForPort(server)
        let ours = load(wrk: wrk, layout: layout, script: script, url: "http://127.0.0.1:\(port)/mcp")
        server.shutdown(gracePeriod: .seconds(1))

        // nginx, with as many workers as we have event loops.
        let nginxPort = port &+ 1
        let configuration = directory + "/nginx.conf"
        try? """
        worker_processes \(layout.serverThreads);
        daemon off;
        pid \(directory)/nginx.pid;
        error_log \(directory)/error.log;
        events { worker_connections 1024; }
        http {
            access_log off;
            client_body_temp_path \(directory)/body;
            keepalive_requests 1000000;
            server {
                listen 127.0.0.1:\(nginxPort);
                location / { default_type application/json; return 200 '\(answer)'; }
            }
        }
        """.write(toFile: configuration, atomically: true, encoding: .utf8)
        let nginxProcess = Process()
        nginxProcess.executableURL = URL(fileURLWithPath: nginx)
        nginxProcess.arguments = ["-c", configuration, "-p", directory]
        nginxProcess.standardError = FileHandle.nullDevice
        try? nginxProcess.run()
        Thread.sleep(forTimeInterval: 0.5)
        let theirs = load(wrk: wrk, layout: layout, script: script, url: "http://127.0.0.1:\(nginxPort)/mcp")
        nginxProcess.terminate()
        nginxProcess.waitUntilExit()

        print(
            "  \(layout.name): \(layout.serverThreads) event loop(s) / nginx worker(s), wrk with \(layout.wrkThreads) thread(s)"
        )
        print("    server        requests/s       p50        p99")
        for (name, result) in [("gateway HTTP", ours), ("nginx", theirs)] {
            print(
                "    " + name.padding(toLength: 12, withPad: " ", startingAt: 0)
                    + String(format: "%12.0f", result.requestsPerSecond)
                    + "  " + result.p50.padding(toLength: 9, withPad: " ", startingAt: 0) + "  " + result.p99)
        }
        if theirs.requestsPerSecond > 0 {
            print(
                String(
                    format: "    ratio gateway / nginx: %.2fx   (target: >= 0.5x, p99 under 1 ms at %d connections)",
                    ours.requestsPerSecond / theirs.requestsPerSecond, connections))
        }
    }

    /// Sets the CPUs of every thread of this process (threads started later inherit
    /// them, and so do child processes).
    static func pinProcess(to cpus: String) {
        guard let taskset = which("taskset") else { return }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: taskset)
        process.arguments = ["-a", "-p", "-c", cpus, "\(getpid())"]
        process.standardOutput = FileHandle.nullDevice
        try? process.run()
        process.waitUntilExit()
    }

    final class ResultBox: @unchecked Sendable {}

    struct LoadResult {
        var requestsPerSecond: Double = 0
        var p50 = "?"
        var p99 = "?"
    }

    static func waitForPort(_ server: HTTPServer) -> UInt16 {
        let semaphore = DispatchSemaphore(value: 0)
        let port = PortBox()
        Task {
            port.value = (try? await server.listeningAddress().port) ?? 0
            semaphore.signal()
        }
        semaphore.wait()
        return port.value
    }

    final class PortBox: @unchecked Sendable {
        var value: UInt16 = 0
    }

    static func load(wrk: String, layout: Layout, script: String, url: String) -> LoadResult {
        let process = Process()
        let arguments = ["-t\(layout.wrkThreads)", "-c\(connections)", "-d\(seconds)s", "--latency", "-s", script, url]
        if layout.pinned, let taskset = which("taskset") {
            process.executableURL = URL(fileURLWithPath: taskset)
            process.arguments = ["-c", "1", wrk] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: wrk)
            process.arguments = arguments
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return LoadResult() }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        var result = LoadResult()
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.first == "Requests/sec:", fields.count > 1 { result.requestsPerSecond = Double(fields[1]) ?? 0 }
            if fields.first == "50%", fields.count > 1 { result.p50 = String(fields[1]) }
            if fields.first == "99%", fields.count > 1 { result.p99 = String(fields[1]) }
        }
        return result
    }

    static func which(_ name: String) -> String? {
        for directory in ["/usr/sbin", "/usr/bin", "/usr/local/bin", "/usr/local/sbin"] {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}

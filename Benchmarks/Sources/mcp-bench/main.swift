// mcp-bench [filter]: runs the benchmarks whose name contains the filter (all by default)
// and prints their figures next to the baselines measured in the same run.

let benchmarks: [(name: String, run: () -> Void)] = [
    ("envelope", EnvelopeBenchmark.run),
    ("http", HTTPServerBenchmark.run),
    ("gateway", GatewayBenchmark.run),
    ("policy", PolicyBenchmark.run),
    ("audit", AuditBenchmark.run),
    ("inspect", InspectBenchmark.run),
    ("auth", AuthBenchmark.run),
]

let filter = CommandLine.arguments.dropFirst().first
print("mcp-bench: release build, \(benchmarks.count) benchmark(s)\n")
for benchmark in benchmarks where filter == nil || benchmark.name.contains(filter!) {
    benchmark.run()
}

import Synchronization

/// The gateway's metrics, rendered in the Prometheus text format at `/metrics`.
///
/// Counters and latency histograms keyed by labels (upstream, method, tool, outcome). The
/// number of label sets is bounded: past the bound new ones are counted under the label
/// value `other`, so a client inventing tool names cannot grow memory.
public final class GatewayMetrics: Sendable {
    /// The upper bounds of the latency histogram's buckets, in seconds.
    static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
    ]

    struct CallKey: Hashable {
        var upstream: String
        var method: String
        var tool: String
        var outcome: String
    }

    struct LatencyKey: Hashable {
        var upstream: String
        var method: String
    }

    struct Histogram {
        var buckets = [UInt64](repeating: 0, count: GatewayMetrics.latencyBuckets.count)
        var count: UInt64 = 0
        var sum: Double = 0
    }

    private struct State {
        var calls: [CallKey: UInt64] = [:]
        var latency: [LatencyKey: Histogram] = [:]
        var sessionsStarted: UInt64 = 0
        var decisions: [String: UInt64] = [:]
        var findings: [String: UInt64] = [:]
    }

    private let state = Mutex(State())
    private let maxSeries: Int

    /// Creates an empty set of metrics.
    ///
    /// - Parameter maxSeries: the most label sets kept per metric.
    public init(maxSeries: Int = 10_000) {
        self.maxSeries = maxSeries
    }

    /// Counts one client request and its latency.
    func recordCall(upstream: String, method: String, tool: String, outcome: String, seconds: Double) {
        state.withLock { state in
            var key = CallKey(upstream: upstream, method: method, tool: tool, outcome: outcome)
            if state.calls[key] == nil, state.calls.count >= maxSeries {
                key = CallKey(upstream: "other", method: "other", tool: "other", outcome: outcome)
            }
            state.calls[key, default: 0] += 1
            var latencyKey = LatencyKey(upstream: upstream, method: method)
            if state.latency[latencyKey] == nil, state.latency.count >= maxSeries {
                latencyKey = LatencyKey(upstream: "other", method: "other")
            }
            var histogram = state.latency[latencyKey] ?? Histogram()
            for (index, bound) in Self.latencyBuckets.enumerated() where seconds <= bound {
                histogram.buckets[index] += 1
            }
            histogram.count += 1
            histogram.sum += seconds
            state.latency[latencyKey] = histogram
        }
    }

    /// Counts a policy decision by outcome, and inspection findings by detector and action
    /// (both label sets are small and closed).
    func recordGovernance(decision: String?, findings: [(detector: String, action: String)]) {
        state.withLock { state in
            if let decision, state.decisions.count < 16 || state.decisions[decision] != nil {
                state.decisions[decision, default: 0] += 1
            }
            for finding in findings {
                let key = "detector=\"\(Self.escape(finding.detector))\",action=\"\(Self.escape(finding.action))\""
                if state.findings[key] == nil, state.findings.count >= maxSeries { continue }
                state.findings[key, default: 0] += 1
            }
        }
    }

    /// Counts a client session started with `initialize`.
    func recordSessionStarted() {
        state.withLock { $0.sessionsStarted += 1 }
    }

    /// The number of calls recorded with these labels, for tests and health checks.
    func callCount(upstream: String, method: String, tool: String, outcome: String) -> UInt64 {
        state.withLock { $0.calls[CallKey(upstream: upstream, method: method, tool: tool, outcome: outcome)] ?? 0 }
    }

    /// The Prometheus text exposition of every metric, with the upstreams' state.
    func render(upstreams: [(name: String, health: String, restarts: Int, sessionLosses: Int, breaker: String)])
        -> String
    {
        let snapshot = state.withLock { $0 }
        var text = ""
        text += "# HELP mcp_gateway_calls_total Client requests by upstream, method, tool and outcome.\n"
        text += "# TYPE mcp_gateway_calls_total counter\n"
        for (key, count) in snapshot.calls.sorted(by: {
            Self.order($0.key).lexicographicallyPrecedes(Self.order($1.key))
        }) {
            text +=
                "mcp_gateway_calls_total{upstream=\"\(Self.escape(key.upstream))\",method=\"\(Self.escape(key.method))\","
            text += "tool=\"\(Self.escape(key.tool))\",outcome=\"\(Self.escape(key.outcome))\"} \(count)\n"
        }
        text += "# HELP mcp_gateway_call_duration_seconds Time from a client request to its answer.\n"
        text += "# TYPE mcp_gateway_call_duration_seconds histogram\n"
        for (key, histogram) in snapshot.latency.sorted(by: {
            [$0.key.upstream, $0.key.method].lexicographicallyPrecedes([$1.key.upstream, $1.key.method])
        }) {
            let labels = "upstream=\"\(Self.escape(key.upstream))\",method=\"\(Self.escape(key.method))\""
            for (index, bound) in Self.latencyBuckets.enumerated() {
                text +=
                    "mcp_gateway_call_duration_seconds_bucket{\(labels),le=\"\(bound)\"} \(histogram.buckets[index])\n"
            }
            text += "mcp_gateway_call_duration_seconds_bucket{\(labels),le=\"+Inf\"} \(histogram.count)\n"
            text += "mcp_gateway_call_duration_seconds_sum{\(labels)} \(histogram.sum)\n"
            text += "mcp_gateway_call_duration_seconds_count{\(labels)} \(histogram.count)\n"
        }
        text += "# HELP mcp_gateway_sessions_started_total Client sessions started with initialize.\n"
        text += "# TYPE mcp_gateway_sessions_started_total counter\n"
        text += "mcp_gateway_sessions_started_total \(snapshot.sessionsStarted)\n"
        text += "# HELP mcp_gateway_policy_decisions_total Policy decisions by outcome.\n"
        text += "# TYPE mcp_gateway_policy_decisions_total counter\n"
        for (outcome, count) in snapshot.decisions.sorted(by: { $0.key < $1.key }) {
            text += "mcp_gateway_policy_decisions_total{outcome=\"\(Self.escape(outcome))\"} \(count)\n"
        }
        text += "# HELP mcp_gateway_inspection_findings_total Inspection findings by detector and action.\n"
        text += "# TYPE mcp_gateway_inspection_findings_total counter\n"
        for (labels, count) in snapshot.findings.sorted(by: { $0.key < $1.key }) {
            text += "mcp_gateway_inspection_findings_total{\(labels)} \(count)\n"
        }
        text += "# HELP mcp_gateway_upstream_up Whether the upstream is connected (1) or not (0).\n"
        text += "# TYPE mcp_gateway_upstream_up gauge\n"
        for upstream in upstreams {
            text +=
                "mcp_gateway_upstream_up{upstream=\"\(Self.escape(upstream.name))\",state=\"\(upstream.health)\"} \(upstream.health == "up" ? 1 : 0)\n"
        }
        text += "# HELP mcp_gateway_upstream_restarts_total Times the upstream was started again.\n"
        text += "# TYPE mcp_gateway_upstream_restarts_total counter\n"
        for upstream in upstreams {
            text +=
                "mcp_gateway_upstream_restarts_total{upstream=\"\(Self.escape(upstream.name))\"} \(upstream.restarts)\n"
        }
        text += "# HELP mcp_gateway_upstream_session_losses_total Times the upstream lost the gateway's session.\n"
        text += "# TYPE mcp_gateway_upstream_session_losses_total counter\n"
        for upstream in upstreams {
            text +=
                "mcp_gateway_upstream_session_losses_total{upstream=\"\(Self.escape(upstream.name))\"} \(upstream.sessionLosses)\n"
        }
        text +=
            "# HELP mcp_gateway_upstream_breaker_open Whether the upstream's circuit breaker refuses calls (1) or not (0).\n"
        text += "# TYPE mcp_gateway_upstream_breaker_open gauge\n"
        for upstream in upstreams {
            text +=
                "mcp_gateway_upstream_breaker_open{upstream=\"\(Self.escape(upstream.name))\",state=\"\(upstream.breaker)\"} \(upstream.breaker == "closed" ? 0 : 1)\n"
        }
        return text
    }

    private static func order(_ key: CallKey) -> [String] { [key.upstream, key.method, key.tool, key.outcome] }

    /// Escapes a label value as the text format requires.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for character in value {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

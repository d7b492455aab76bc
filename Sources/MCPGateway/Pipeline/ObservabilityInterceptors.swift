public import MCPCore

/// Counts every request by upstream, method, tool and outcome, with its latency, for
/// `/metrics`.
public struct MetricsInterceptor: GatewayInterceptor {
    let metrics: GatewayMetrics

    /// Creates the interceptor.
    ///
    /// - Parameter metrics: where the counts go.
    public init(metrics: GatewayMetrics) {
        self.metrics = metrics
    }

    public func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
        let start = ContinuousClock.now
        let response: MessageEnvelope
        do {
            response = try await next(request)
        } catch {
            record(request, outcome: "error", since: start)
            throw error
        }
        record(request, outcome: Self.outcome(of: response), since: start)
        return response
    }

    private func record(_ request: GatewayRequest, outcome: String, since start: ContinuousClock.Instant) {
        let notes = request.context.notes
        let decision = notes["policy"]?["outcome"]?.stringValue
        let findings = (notes["findings"]?.arrayValue ?? []).compactMap {
            finding -> (detector: String, action: String)? in
            guard let detector = finding["detector"]?.stringValue, let action = finding["action"]?.stringValue else {
                return nil
            }
            return (detector, action)
        }
        if decision != nil || !findings.isEmpty { metrics.recordGovernance(decision: decision, findings: findings) }
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        metrics.recordCall(
            upstream: request.target?.upstream ?? "gateway", method: request.method,
            tool: request.target?.kind == .tool ? request.target?.exposedName ?? "" : "", outcome: outcome,
            seconds: Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// `ok`, `tool_error` (a result with `isError`), or `error` (a JSON-RPC error).
    static func outcome(of response: MessageEnvelope) -> String {
        switch response.kind {
        case .errorResponse: return "error"
        case .response:
            // Only a tools/call result can carry isError: decode the result only when the
            // member name appears in it followed by `true` (most results say false or
            // nothing, and are not parsed again).
            guard let range = response.resultRange, Self.mayBeToolError(response.bytes[range]),
                response.decodeResult()?["isError"]?.boolValue == true
            else { return "ok" }
            return "tool_error"
        default: return "ok"
        }
    }

    private static let isErrorKey = Array(#""isError""#.utf8)

    /// Whether `"isError"` occurs followed (after blanks and a colon) by `t`.
    static func mayBeToolError(_ bytes: ArraySlice<UInt8>) -> Bool {
        let key = isErrorKey
        guard bytes.count > key.count else { return false }
        var index = bytes.startIndex
        let last = bytes.endIndex - key.count
        while index <= last {
            // `"isError"` starts with a quote and an `i`: test those two first.
            guard bytes[index] == 0x22, bytes[index + 1] == 0x69, bytes[index..<(index + key.count)].elementsEqual(key)
            else {
                index += 1
                continue
            }
            var next = index + key.count
            while next < bytes.endIndex,
                bytes[next] == 0x20 || bytes[next] == 0x09 || bytes[next] == 0x0A || bytes[next] == 0x0D
                    || bytes[next] == UInt8(ascii: ":")
            {
                next += 1
            }
            if next < bytes.endIndex, bytes[next] == UInt8(ascii: "t") { return true }
            index = next
        }
        return false
    }
}

/// Writes one JSON log line per request: its id, session, method, upstream, tool,
/// outcome, error code and duration. Never arguments, results or header values.
public struct LoggingInterceptor: GatewayInterceptor {
    let sink: any GatewayLogSink

    /// Creates the interceptor.
    ///
    /// - Parameter sink: where the lines go.
    public init(sink: any GatewayLogSink) {
        self.sink = sink
    }

    public func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
        // Requests are logged at info, failures at warning: skip the work when neither is kept.
        guard sink.isEnabled(.warning) else { return try await next(request) }
        let start = ContinuousClock.now
        var fields: JSONObject = ["requestId": .string(request.context.requestID), "method": .string(request.method)]
        if let session = request.context.sessionID { fields["session"] = .string(session) }
        if let target = request.target {
            fields["upstream"] = .string(target.upstream)
            if let name = target.exposedName, target.kind != .resource { fields["name"] = .string(name) }
        }
        if let principal = request.context.principal { fields["subject"] = .string(principal.subject) }
        do {
            let response = try await next(request)
            fields["outcome"] = .string(MetricsInterceptor.outcome(of: response))
            if response.kind == .errorResponse, let error = response.decodeError() {
                fields["errorCode"] = .number(JSONNumber(Int64(error.code.rawValue)))
            }
            let level: GatewayLogLevel = response.kind == .errorResponse ? .warning : .info
            guard sink.isEnabled(level) else { return response }
            fields["durationMs"] = Self.milliseconds(since: start)
            sink.write(level: level, event: "request", fields: fields)
            return response
        } catch {
            fields["outcome"] = "error"
            fields["errorCode"] = .number(JSONNumber(Int64(JSONRPCError.from(error).code.rawValue)))
            fields["durationMs"] = Self.milliseconds(since: start)
            sink.write(level: .warning, event: "request", fields: fields)
            throw error
        }
    }

    private static func milliseconds(since start: ContinuousClock.Instant) -> JSONValue {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        let value = ((Double(seconds) * 1000 + Double(attoseconds) / 1e15) * 1000).rounded() / 1000
        return JSONNumber(value).map { .number($0) } ?? .null
    }
}

extension ArraySlice<UInt8> {
    /// Whether `needle` occurs in these bytes.
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard let first = needle.first, count >= needle.count else { return false }
        var index = startIndex
        let last = endIndex - needle.count
        while index <= last {
            if self[index] == first, self[index..<(index + needle.count)].elementsEqual(needle) { return true }
            index += 1
        }
        return false
    }
}

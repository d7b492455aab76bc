public import MCPCore
public import MCPInspect
import Synchronization

/// Puts MCPInspect in the pipeline: tool arguments are scanned before they leave, results
/// before they reach the client, and tool definitions when they are listed.
///
/// - A finding whose action is `redact` replaces the match with a typed placeholder in the
///   bytes that go on; `block` refuses the call (arguments) or withholds the result (a
///   tool result with `isError`, or the error ``blockedCode``); `taint` labels the session.
/// - Listed tools are pinned by fingerprint: a tool that changed (a rug pull), shadows
///   another server's, or carries poisoning is flagged or dropped from the list, as the
///   rules say.
/// - Each legacy session's flow is tracked: once it has read private data and ingested
///   untrusted content, a tool that sends data out is refused until approved. The flow's
///   facts (`flow:...`, `taint:...`) are put in the request's facts for the policy layer,
///   so place this interceptor before the policy one.
///
/// Findings (detector, action, a fingerprint of the match, never the match) are left in
/// the request's notes under `findings`, for the audit trail.
public final class InspectionInterceptor: GatewayInterceptor {
    /// The JSON-RPC error code of a request or result that inspection blocked.
    public static let blockedCode = JSONRPCErrorCode(-32034)

    /// The inspector, to add tokens the gateway holds (`addHeldToken`), so that they never
    /// leave through a result.
    public let inspector: Inspector
    /// The tool pins, to approve a changed definition (`approve(server:tool:)`).
    public let pins: ToolPinRegistry
    private let blockingLimit: Int
    private let definitions: ToolDefinitionInspector
    private let labels: ToolLabels
    private let maxSessions: Int
    private let flows = Mutex<(trackers: [String: FlowTracker], order: [String])>(([:], []))
    private let log: GatewayLogger

    /// Creates the interceptor.
    ///
    /// - Parameters:
    ///   - configuration: the detectors' actions, options, pinning and tool labels.
    ///   - pinStore: where tool pins are kept.
    ///   - maxSessions: the most sessions whose flow is tracked; the oldest goes first.
    ///   - logSink: where findings about tool definitions are logged.
    /// - Throws: ``MCPInspect/InspectError`` for a configuration the inspector refuses.
    public init(
        configuration: InspectionConfiguration, pinStore: any ToolPinStore = InMemoryToolPinStore(),
        maxSessions: Int = 10_000,
        logSink: (any GatewayLogSink)? = nil
    ) throws(InspectError) {
        inspector = try configuration.makeInspector()
        pins = ToolPinRegistry(
            store: pinStore, rules: configuration.rules, pinOnFirstSight: configuration.pinOnFirstSight)
        blockingLimit = configuration.blockingLimit
        definitions = ToolDefinitionInspector(inspector: inspector)
        labels = configuration.toolLabels
        self.maxSessions = max(1, maxSessions)
        log = GatewayLogger(sink: logSink)
    }

    public func intercept(_ request: GatewayRequest, next: GatewayNext) async throws -> MessageEnvelope {
        var request = request
        let session = request.context.sessionID
        if let session {
            for fact in flowFacts(session) { request.context.facts[fact] = "inspection" }
        }
        switch request.method {
        case "tools/call":
            return try await inspectCall(request, session: session, next: next)
        case "resources/read", "prompts/get":
            return try inspectResult(request, try await next(request))
        case "tools/list":
            return inspectToolList(request, try await next(request))
        default:
            return try await next(request)
        }
    }

    // MARK: Calls

    private func inspectCall(_ request: GatewayRequest, session: String?, next: GatewayNext) async throws
        -> MessageEnvelope
    {
        var request = request
        if let session, let target = request.target, let tool = target.name {
            let decision = flows.withLock { $0.trackers[session]?.check(tool: tool, server: target.upstream) } ?? .allow
            if case .requireApproval = decision {
                request.context.notes.set("flow", ["outcome": "deny", "reason": "toxic-flow"])
                return refusal(
                    request,
                    "Blocked: this session has read private data and taken in untrusted content, so \(tool) may not send data out without an approval"
                )
            }
        }
        var findings: [Finding] = []
        if let range = request.message.paramsRange {
            if inspector.rules.blocks(in: .request), range.count > blockingLimit {
                return refusal(request, Self.tooLargeToBlock(range.count, limit: blockingLimit, what: "arguments"))
            }
            let output = inspector.scan(message: request.message.bytes[range], direction: .request, mode: .json)
            findings += output.findings
            if output.blocksMessage {
                note(findings, in: request)
                return refusal(request, "Blocked by inspection: the arguments carry \(Self.names(output.findings))")
            }
            if !output.findings.isEmpty, output.bytes != Array(request.message.bytes[range]) {
                request.message = try MessageEnvelope(parsing: Self.splice(request.message.bytes, range, output.bytes))
            }
        }
        let response = try await next(request)
        if let session, let target = request.target, let tool = target.name {
            withTracker(session) { $0.record(tool: tool, server: target.upstream) }
        }
        let inspected = try inspectResult(request, response, earlier: findings)
        return inspected
    }

    private func inspectResult(_ request: GatewayRequest, _ response: MessageEnvelope, earlier: [Finding] = []) throws
        -> MessageEnvelope
    {
        guard response.kind == .response, let range = response.resultRange else {
            note(earlier, in: request)
            return response
        }
        if inspector.rules.blocks(in: .result), range.count > blockingLimit {
            note(earlier, in: request)
            return refusal(request, Self.tooLargeToBlock(range.count, limit: blockingLimit, what: "result"))
        }
        let output = inspector.scan(message: response.bytes[range], direction: .result, mode: .json)
        let findings = earlier + output.findings
        note(findings, in: request)
        if let session = request.context.sessionID, !output.findings.isEmpty {
            withTracker(session) { $0.addTaints(of: output.findings) }
        }
        if output.blocksMessage {
            return refusal(request, "Blocked by inspection: the result carries \(Self.names(output.findings))")
        }
        guard !output.findings.isEmpty, output.bytes != Array(response.bytes[range]) else { return response }
        return try MessageEnvelope(parsing: Self.splice(response.bytes, range, output.bytes))
    }

    // MARK: Tool lists

    private func inspectToolList(_ request: GatewayRequest, _ response: MessageEnvelope) -> MessageEnvelope {
        guard response.kind == .response, var result = response.decodeResult()?.objectValue,
            let tools = result["tools"]?.arrayValue
        else { return response }
        var kept: [JSONValue] = []
        var findings: [Finding] = []
        for tool in tools {
            guard let exposed = tool["name"]?.stringValue, let target = request.resolve(.tool, exposed) else {
                kept.append(tool)
                continue
            }
            // Pinned under the upstream's own name, so the fingerprint follows the server.
            var definition = tool.objectValue ?? [:]
            definition["name"] = .string(target.name ?? exposed)
            var dropped = false
            if let check = try? pins.observe(
                tool: .object(definition), server: target.upstream, serverInstructions: nil)
            {
                findings += check.findings
                dropped = check.blocksTool
            }
            let poisoning = definitions.inspect(tool: .object(definition))
            findings += poisoning
            if poisoning.contains(where: { $0.action == .block }) { dropped = true }
            if dropped {
                log.log(
                    .warning, "inspection.tool_withheld",
                    [
                        "upstream": .string(target.upstream), "tool": .string(exposed),
                        "detectors": .string(Self.names(findings)),
                    ])
            } else {
                kept.append(tool)
            }
        }
        note(findings, in: request)
        guard kept.count != tools.count else { return response }
        result["tools"] = .array(kept)
        return request.resultResponse(result)
    }

    // MARK: Sessions

    private func flowFacts(_ session: String) -> [String] {
        flows.withLock { $0.trackers[session]?.facts } ?? []
    }

    private func withTracker(_ session: String, _ body: (inout FlowTracker) -> Void) {
        flows.withLock { state in
            if state.trackers[session] == nil {
                if state.order.count >= maxSessions { state.trackers[state.order.removeFirst()] = nil }
                state.trackers[session] = FlowTracker(labels: labels)
                state.order.append(session)
            }
            body(&state.trackers[session]!)
        }
    }

    /// Approves a tool for the rest of a session's flow (after a person agreed).
    public func approveFlow(session: String, tool: String, upstream: String) {
        withTracker(session) { $0.approve(tool: tool, server: upstream) }
    }

    // MARK: Helpers

    private func note(_ findings: [Finding], in request: GatewayRequest) {
        guard !findings.isEmpty else { return }
        request.context.notes.set(
            "findings",
            .array(
                findings.prefix(100).map { finding in
                    [
                        "detector": .string(finding.detector.description),
                        "action": .string(finding.action.description),
                        "fingerprint": .string(finding.fingerprint), "direction": .string(finding.direction.rawValue),
                    ]
                }))
    }

    private func refusal(_ request: GatewayRequest, _ message: String) -> MessageEnvelope {
        if request.method == "tools/call" {
            return request.resultResponse(["content": [["type": "text", "text": .string(message)]], "isError": true])
        }
        return request.errorResponse(JSONRPCError(code: Self.blockedCode, message: message))
    }

    /// A blocking rule needs the whole message before any of it goes on; past the limit
    /// the gateway says so instead of letting unchecked bytes through.
    private static func tooLargeToBlock(_ size: Int, limit: Int, what: String) -> String {
        "Blocked by inspection: the \(what) is \(size) bytes, more than the \(limit) bytes inspection may hold to decide whether to block it"
    }

    private static func names(_ findings: [Finding]) -> String {
        var seen: [String] = []
        for finding in findings where !seen.contains(finding.detector.description) {
            seen.append(finding.detector.description)
        }
        return seen.joined(separator: ", ")
    }

    private static func splice(_ bytes: [UInt8], _ range: Range<Int>, _ replacement: [UInt8]) -> [UInt8] {
        var spliced = Array(bytes[..<range.lowerBound])
        spliced += replacement
        spliced += bytes[range.upperBound...]
        return spliced
    }
}

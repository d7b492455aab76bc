import MCPCore
import MCPCrypto
import MCPTransport
import Synchronization

/// Answers clients on behalf of every upstream: `initialize` and `ping` locally, lists
/// merged across upstreams with one cursor, and calls routed by name or URI to the
/// upstream that offers them, through the interceptor pipeline.
final class GatewayRouter: MCPMessageHandler {
    let configuration: GatewayConfiguration
    let supervisors: [UpstreamSupervisor]
    let metrics: GatewayMetrics
    private let chain: InterceptorChain
    /// Interceptors that also judge what upstreams ask of clients.
    private let gates: [any GatewayServerRequestGate]
    private let log: GatewayLogger
    let negotiation = ProtocolNegotiation()
    private let table = Mutex<RouteTable?>(nil)
    private let breakers: Mutex<[CircuitBreaker]>
    private let origin = ContinuousClock.now
    private let requestCounter = Atomic<UInt64>(0)
    private let requestPrefix: String
    private let serverRequests: ServerRequestTable
    /// Upstream requests waiting for a 2026-07-28 client's retry.
    private let inputRequests: InputRequestTable
    static let requestStateKey = Array(#""requestState""#.utf8)
    /// Each upstream's credential identity (see ``credentialIdentity(_:)``), by index.
    private let credentialIdentities: [String?]

    /// `<header>:<first 12 hexadecimal digits of the SHA-256 of its value>` for the header
    /// fields of an upstream that carry a credential, so that an audit record says which
    /// credential was used without holding it.
    static func credentialIdentity(_ upstream: GatewayConfiguration.Upstream) -> String? {
        let names = ["authorization", "proxy-authorization", "x-api-key", "api-key", "cookie"]
        let credentials = upstream.headers.filter { names.contains($0.key.lowercased()) }.sorted { $0.key < $1.key }
        guard !credentials.isEmpty else { return nil }
        return credentials.map { name, value in
            "\(name):\(Hexadecimal.encode(SHA256.hash(Array(value.utf8)).prefix(6)))"
        }.joined(separator: ",")
    }
    let notifier: ClientNotifier
    /// Forwarded client requests by (session, the client's id as written), so that a
    /// client's `notifications/cancelled` reaches the right upstream request.
    private let inFlight = Mutex<[InFlightKey: (connection: UpstreamConnection, id: JSONRPCID)]>([:])

    struct InFlightKey: Hashable {
        var session: String
        var clientID: [UInt8]
    }

    /// The names this router exposes (all, unless it serves a virtual server).
    private let filter: ExposureFilter

    init(
        configuration: GatewayConfiguration, supervisors: [UpstreamSupervisor], interceptors: [any GatewayInterceptor],
        metrics: GatewayMetrics, log: GatewayLogger, serverRequests: ServerRequestTable = ServerRequestTable(),
        notifier: ClientNotifier = ClientNotifier(), filter: ExposureFilter = ExposureFilter()
    ) {
        self.serverRequests = serverRequests
        self.inputRequests = serverRequests.inputRequests
        self.credentialIdentities = configuration.upstreams.map(Self.credentialIdentity)
        self.notifier = notifier
        self.filter = filter
        self.configuration = configuration
        self.supervisors = supervisors
        self.metrics = metrics
        self.chain = InterceptorChain(interceptors: interceptors)
        self.gates = interceptors.compactMap { $0 as? any GatewayServerRequestGate }
        self.log = log
        self.breakers = Mutex(supervisors.map { _ in CircuitBreaker() })
        self.requestPrefix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
    }

    /// Forgets the merged view; the next request builds it from the upstreams' catalogs.
    func catalogsChanged() {
        table.withLock { $0 = nil }
    }

    /// The merged view of the upstreams' catalogs.
    func routeTable() -> RouteTable {
        if let built = table.withLock({ $0 }) { return built }
        let built = RouteTable(configuration: configuration, catalogs: supervisors.map(\.catalog), filter: filter)
        for collision in built.collisions {
            log.log(
                .warning, "routing.collision",
                [
                    "list": .string(collision.list.rawValue), "name": .string(collision.name),
                    "upstreams": .array(collision.upstreams.map { .string($0) }),
                    "rule": .string(configuration.namespacing.onCollision.rawValue),
                ])
        }
        table.withLock { $0 = built }
        return built
    }

    /// The state of each upstream's circuit breaker, for metrics.
    var breakerStates: [String] { breakers.withLock { $0.map(\.stateName) } }

    // MARK: MCPMessageHandler

    func respond(to message: MessageEnvelope, context: MCPRequestContext, send: MCPRelatedMessageSender) async
        -> [UInt8]
    {
        guard message.id != nil else { return [] }
        let number = requestCounter.add(1, ordering: .relaxed).newValue
        let requestContext = GatewayRequestContext(
            requestID: "\(requestPrefix)-\(String(number, radix: 16))", revision: context.revision,
            sessionID: context.sessionID, principal: AuthenticatedCaller.principal,
            headers: context.headers, clientCapabilities: clientCapabilities(of: message, context: context))
        let routes = routeTable()
        let request = GatewayRequest(
            message: message, context: requestContext, target: target(of: message, in: routes), related: send,
            resolve: { [configuration] kind, name in
                let list: UpstreamCatalog.List
                switch kind {
                case .tool: list = .tools
                case .prompt: list = .prompts
                case .resource:
                    guard let index = routes.upstream(forResource: name) else { return nil }
                    return GatewayTarget(
                        upstream: configuration.upstreams[index].name, kind: .resource, name: name, exposedName: name)
                case .completion, .other: return nil
                }
                guard let route = routes.route(list, named: name) else { return nil }
                return GatewayTarget(
                    upstream: configuration.upstreams[route.upstream].name, kind: kind, name: route.name,
                    exposedName: name,
                    definition: route.definition)
            },
            askClient: { [serverRequests] method, params, timeout in
                try await serverRequests.ask(method, params: params, send: send, timeout: timeout)
            })
        let response = await chain.run(request) { request in try await self.dispatch(request) }
        return RevisionBridge.response(response, for: message.method ?? "", clientRevision: context.revision).bytes
    }

    func receive(_ message: MessageEnvelope, context: MCPRequestContext) async {
        if message.kind == .response || message.kind == .errorResponse {
            // A client's answer to a request an upstream sent it.
            if serverRequests.answerLocal(message) { return }
            guard let id = message.id, let waiting = serverRequests.take(id) else { return }
            await waiting.connection.send(message.replacingID(withRawJSON: waiting.upstreamID))
            return
        }
        guard message.kind == .notification, let method = message.method else { return }
        switch method {
        case "notifications/initialized":
            return
        case "notifications/cancelled":
            // The request id is the client's, which no upstream knows: find the upstream
            // request it became.
            guard let requestID = message.decodeParams()?["requestId"],
                requestID.stringValue != nil || requestID.numberValue != nil
            else { return }
            let key = InFlightKey(session: context.sessionID ?? "", clientID: requestID.serialized)
            guard let forwarded = inFlight.withLock({ $0[key] }) else { return }
            let reason = message.decodeParams()?["reason"]?.stringValue ?? "cancelled by the client"
            await forwarded.connection.cancel(forwarded.id, reason: String(reason.prefix(200)))
        default:
            for supervisor in supervisors {
                guard let connection = try? supervisor.connection() else { continue }
                await connection.notify(message)
            }
        }
    }

    // MARK: Client capabilities

    /// What the client declared: in `_meta` of a 2026-07-28 request, else at `initialize`
    /// of its session (remembered here, boundedly).
    private func clientCapabilities(of message: MessageEnvelope, context: MCPRequestContext) -> JSONObject? {
        if context.revision == .v2026_07_28 {
            return message.decodeMeta()?["io.modelcontextprotocol/clientCapabilities"]?.objectValue
        }
        guard let session = context.sessionID else { return nil }
        if message.method == "initialize" {
            let capabilities = message.decodeParams()?["capabilities"]?.objectValue ?? [:]
            serverRequests.remember(capabilities, of: session)
            return capabilities
        }
        return serverRequests.capabilities(of: session)
    }

    // MARK: Server-to-client requests

    /// Sends a request an upstream made (sampling, elicitation, roots) to the client whose
    /// request caused it, under an id of the gateway's own.
    ///
    /// - Returns: `false` when no single client request is in flight on that connection,
    ///   so the request cannot be attributed (the upstream is then refused).
    func routeServerRequest(_ request: MessageEnvelope, from connection: UpstreamConnection) async -> Bool {
        guard let (client, origin, callID) = connection.soleClientRequest() else {
            log.log(
                .warning, "upstream.request_unattributed",
                ["upstream": .string(connection.configuration.name), "method": .string(request.method ?? "")])
            return false
        }
        // Governance below the model applies to what an upstream asks of the client too.
        for gate in gates {
            if let reason = gate.refusesServerRequest(
                request.method ?? "", upstream: connection.configuration.name, origin: origin)
            {
                if let id = request.id {
                    let refusal = JSONRPCMessage.errorResponse(
                        JSONRPCErrorResponse(id: id, error: JSONRPCError(code: .invalidRequest, message: reason))
                    ).serialized
                    await connection.send(
                        request.rawID.flatMap { raw in
                            (try? MessageEnvelope(parsing: refusal))?.replacingID(withRawJSON: raw)
                        } ?? refusal)
                }
                return true
            }
        }
        // A 2026-07-28 client is asked through input requests in a result: its call gets
        // an input-required result now, the upstream's request waits, and the client's
        // retry (with the answers and the request state) carries on with the same call.
        if origin?.revision == .v2026_07_28 {
            return parkForInput(request, call: callID, on: connection)
        }
        let (id, evicted) = serverRequests.register(request, from: connection)
        if let (waiting, upstreamID) = evicted {
            let refusal = JSONRPCMessage.errorResponse(
                JSONRPCErrorResponse(
                    id: .number(0), error: JSONRPCError(code: .internalError, message: "The client did not answer"))
            ).serialized
            if let envelope = try? MessageEnvelope(parsing: refusal) {
                await waiting.send(envelope.replacingID(withRawJSON: upstreamID))
            }
        }
        await client(request.replacingID(with: .string(id)))
        return true
    }

    // MARK: Input requests (2026-07-28)

    /// Turns an upstream's request into an input request of a 2026-07-28 result.
    private func parkForInput(_ request: MessageEnvelope, call: JSONRPCID, on connection: UpstreamConnection) -> Bool {
        guard let method = request.method, let rawID = request.rawID else { return false }
        let key = "input-1"
        guard let token = inputRequests.park(connection: connection, call: call, requests: [key: Array(rawID)]) else {
            return false
        }
        var inputRequest: JSONObject = ["method": .string(method)]
        if let params = request.decodeParams() { inputRequest["params"] = params }
        let answer = JSONRPCMessage.response(
            JSONRPCResponse(
                id: call,
                result: [
                    "resultType": "input_required", "inputRequests": [key: .object(inputRequest)],
                    "requestState": .string(token),
                ])
        ).serialized
        guard let envelope = try? MessageEnvelope(parsing: answer), connection.detach(call, answeringWith: envelope)
        else {
            _ = inputRequests.take(token)
            return false
        }
        return true
    }

    /// A 2026-07-28 retry that carries `requestState`: its answers go to the upstream's
    /// waiting requests, and the retry waits for the original call's answer.
    private func continueAfterInput(_ request: GatewayRequest, state token: String) async throws -> MessageEnvelope {
        guard let parked = inputRequests.take(token), parked.connection.configuration.name == request.target?.upstream
        else {
            throw JSONRPCError.invalidParams("Unknown or expired requestState")
        }
        let responses = request.message.decodeParams()?["inputResponses"]?.objectValue ?? [:]
        for (key, upstreamID) in parked.requests.sorted(by: { $0.key < $1.key }) {
            let message: [UInt8]
            if let response = responses[key]?.objectValue {
                message = JSONRPCMessage.response(JSONRPCResponse(id: .number(0), result: response)).serialized
            } else {
                message =
                    JSONRPCMessage.errorResponse(
                        JSONRPCErrorResponse(id: .number(0), error: .invalidParams("The client gave no answer"))
                    ).serialized
            }
            guard let envelope = try? MessageEnvelope(parsing: message) else { continue }
            await parked.connection.send(envelope.replacingID(withRawJSON: upstreamID))
        }
        let answer = try await parked.connection.resume(parked.call, related: request.related, origin: request.context)
        guard let rawID = request.message.rawID else { return answer }
        return try MessageEnvelope(parsing: answer.replacingID(withRawJSON: rawID))
    }

    // MARK: Routing

    /// Where a request goes, or `nil` for those the gateway answers itself.
    private func target(of message: MessageEnvelope, in routes: RouteTable) -> GatewayTarget? {
        switch message.method {
        case "tools/call":
            return namedTarget(.tools, kind: .tool, name: message.name, in: routes)
        case "prompts/get":
            return namedTarget(.prompts, kind: .prompt, name: message.name, in: routes)
        case "resources/read", "resources/subscribe", "resources/unsubscribe":
            guard let uri = message.uri, let index = resourceUpstream(uri, in: routes) else { return nil }
            return GatewayTarget(
                upstream: configuration.upstreams[index].name, kind: .resource, name: uri, exposedName: uri)
        case "completion/complete":
            let reference = message.decodeParams()?["ref"]
            if reference?["type"]?.stringValue == "ref/prompt", let name = reference?["name"]?.stringValue {
                guard let prompt = namedTarget(.prompts, kind: .prompt, name: name, in: routes) else { return nil }
                return GatewayTarget(upstream: prompt.upstream, kind: .completion, name: prompt.name, exposedName: name)
            }
            if let uri = reference?["uri"]?.stringValue, let index = resourceUpstream(uri, in: routes) {
                return GatewayTarget(
                    upstream: configuration.upstreams[index].name, kind: .completion, name: uri, exposedName: uri)
            }
            return nil
        case "initialize", "server/discover", "ping", "tools/list", "prompts/list", "resources/list",
            "resources/templates/list",
            "logging/setLevel", "subscriptions/listen":
            return nil
        default:
            // Anything else goes to the only upstream, when there is one.
            guard supervisors.count == 1 else { return nil }
            return GatewayTarget(upstream: configuration.upstreams[0].name, kind: .other, name: nil, exposedName: nil)
        }
    }

    private func namedTarget(
        _ list: UpstreamCatalog.List, kind: GatewayTarget.Kind, name: String?, in routes: RouteTable
    ) -> GatewayTarget? {
        guard let name else { return nil }
        if let route = routes.route(list, named: name) {
            return GatewayTarget(
                upstream: configuration.upstreams[route.upstream].name, kind: kind, name: route.name, exposedName: name,
                definition: route.definition)
        }
        // In pass-through mode (one upstream, no prefix) a name the gateway has not seen
        // listed still goes to the upstream, which answers for it.
        if supervisors.count == 1, configuration.prefix(of: configuration.upstreams[0]).isEmpty,
            filter.exposes(list, name)
        {
            return GatewayTarget(upstream: configuration.upstreams[0].name, kind: kind, name: name, exposedName: name)
        }
        return nil
    }

    private func resourceUpstream(_ uri: String, in routes: RouteTable) -> Int? {
        guard filter.exposes(.resources, uri) else { return nil }
        if let index = routes.upstream(forResource: uri) { return index }
        let offering = supervisors.indices.filter { supervisors[$0].catalog?.offers(.resources) == true }
        return offering.count == 1 ? offering[0] : (supervisors.count == 1 ? 0 : nil)
    }

    // MARK: Dispatch

    /// The end of the pipeline: the gateway's own answer, or the upstream's.
    private func dispatch(_ request: GatewayRequest) async throws -> MessageEnvelope {
        switch request.method {
        case "initialize":
            return initializeResult(request)
        case "server/discover":
            return discoverResult(request)
        case "ping":
            return request.resultResponse([:])
        case "tools/list":
            return try mergedList(.tools, request)
        case "prompts/list":
            return try mergedList(.prompts, request)
        case "resources/list":
            return try mergedList(.resources, request)
        case "resources/templates/list":
            return try mergedList(.resourceTemplates, request)
        case "logging/setLevel":
            return await setLevel(request)
        case "subscriptions/listen":
            return await listen(request)
        default:
            break
        }
        guard let target = request.target,
            let index = configuration.upstreams.firstIndex(where: { $0.name == target.upstream })
        else {
            return request.errorResponse(unroutable(request))
        }
        var outgoing = request.message
        if let name = target.name, name != target.exposedName {
            switch target.kind {
            case .tool, .prompt: outgoing = try MessageEnvelope(parsing: request.message.replacingName(with: name))
            case .completion: outgoing = try MessageEnvelope(parsing: renamedReference(request.message, to: name))
            case .resource, .other: break
            }
        }
        if request.context.revision == .v2026_07_28,
            request.message.paramsBytes?.containsBytes(Self.requestStateKey) == true,
            let token = request.message.decodeParams()?["requestState"]?.stringValue
        {
            if inputRequests.contains(token) { return try await continueAfterInput(request, state: token) }
            // A legacy-era upstream cannot have issued it: it is unknown, expired or used.
            // (A 2026-07-28 upstream's own request state goes through to it.)
            guard isModernUpstream(index) else {
                throw JSONRPCError.invalidParams("Unknown or expired requestState")
            }
        }
        if request.context.revision == .v2026_07_28, !(isModernUpstream(index)) {
            // A legacy-era upstream gets no 2026-07-28 _meta.
            outgoing = RevisionBridge.requestForLegacyUpstream(outgoing)
        }
        if let credential = credentialIdentities[index] {
            // Which of the gateway's credentials the call used, for the audit trail (never
            // the credential itself).
            request.context.notes.set("upstreamCredential", .string(credential))
        }
        let answer = try await forward(outgoing, of: request, to: index)
        if let session = request.context.sessionID, let uri = request.message.uri, answer.kind == .response {
            // The upstream took the subscription: its updates go to this session.
            if request.method == "resources/subscribe" { notifier.subscribe(session: session, to: uri) }
            if request.method == "resources/unsubscribe" { notifier.unsubscribe(session: session, from: uri) }
        }
        if request.context.revision.isLegacyEra, isModernUpstream(index) {
            return try await answerInputRequests(answer, of: outgoing, for: request, to: index)
        }
        return answer
    }

    /// A 2026-07-28 upstream that answers `input_required` to a legacy-era client: the
    /// gateway asks the client each input request as a request of its own (elicitation,
    /// sampling, roots on the call's stream), then retries the call upstream with the
    /// answers and the upstream's request state, for a bounded number of rounds.
    private func answerInputRequests(
        _ first: MessageEnvelope, of outgoing: MessageEnvelope, for request: GatewayRequest, to index: Int
    ) async throws -> MessageEnvelope {
        var answer = first
        let timeout = Duration.milliseconds(Int(configuration.upstreams[index].timeoutSeconds * 1000))
        for _ in 0..<8 {
            guard answer.kind == .response, let result = answer.decodeResult(), result["resultType"] == "input_required"
            else {
                return answer
            }
            var responses: JSONObject = [:]
            for (key, input) in result["inputRequests"]?.objectValue ?? [:] {
                guard let method = input["method"]?.stringValue else { continue }
                let capability =
                    method.hasPrefix("sampling/") ? "sampling" : method.hasPrefix("roots/") ? "roots" : "elicitation"
                guard request.context.clientCapabilities?[capability] != nil else {
                    throw JSONRPCError(
                        code: .internalError,
                        message: "Upstream needs \(method) from the client, which did not declare \(capability)")
                }
                let reply = try await request.askClient(method, input["params"]?.objectValue ?? [:], timeout)
                guard reply.kind == .response, let value = reply.decodeResult() else {
                    throw JSONRPCError(code: .internalError, message: "The client did not answer \(method)")
                }
                responses[key] = value
            }
            guard var whole = outgoing.decodeParams()?.objectValue else { return answer }
            whole["inputResponses"] = .object(responses)
            if let state = result["requestState"] { whole["requestState"] = state } else { whole["requestState"] = nil }
            var message: JSONObject = ["jsonrpc": "2.0", "id": .number(0), "method": .string(outgoing.method ?? "")]
            message["params"] = .object(whole)
            var retry = try MessageEnvelope(parsing: JSONValue.object(message).serialized)
            if let rawID = outgoing.rawID {
                retry = try MessageEnvelope(parsing: retry.replacingID(withRawJSON: rawID))
            }
            answer = try await forward(retry, of: request, to: index)
        }
        throw JSONRPCError(code: .internalError, message: "Upstream asked for input too many times")
    }

    private func unroutable(_ request: GatewayRequest) -> JSONRPCError {
        switch request.method {
        case "tools/call":
            return .invalidParams("Unknown tool: \(request.message.name ?? "")")
        case "prompts/get":
            return .invalidParams("Unknown prompt: \(request.message.name ?? "")")
        case "resources/read", "resources/subscribe", "resources/unsubscribe":
            let code: JSONRPCErrorCode = request.context.revision >= .v2025_11_25 ? .invalidParams : .resourceNotFound
            return JSONRPCError(code: code, message: "Resource not found: \(request.message.uri ?? "")")
        case "completion/complete":
            return .invalidParams("Unknown completion reference")
        default:
            return .methodNotFound(request.method)
        }
    }

    /// `completion/complete` with `params.ref.name` set to the upstream's prompt name.
    private func renamedReference(_ message: MessageEnvelope, to name: String) -> [UInt8] {
        guard var params = message.decodeParams()?.objectValue, var reference = params["ref"]?.objectValue,
            reference["name"] != nil, var whole = (try? JSONValue(parsing: message.bytes))?.objectValue
        else { return message.bytes }
        reference["name"] = .string(name)
        params["ref"] = .object(reference)
        whole["params"] = .object(params)
        let bytes = JSONValue.object(whole).serialized
        guard let rawID = message.rawID, let envelope = try? MessageEnvelope(parsing: bytes) else { return bytes }
        return envelope.replacingID(withRawJSON: rawID)
    }

    /// Sends a request to an upstream through its circuit breaker; a request that met a
    /// lost session is sent once more on the next session when that is safe.
    private func forward(_ outgoing: MessageEnvelope, of request: GatewayRequest, to index: Int) async throws
        -> MessageEnvelope
    {
        let supervisor = supervisors[index]
        let name = configuration.upstreams[index].name
        let now = ContinuousClock.now - origin
        let admission = breakers.withLock { $0[index].admit(at: now) }
        if case .refused(let retryAfter) = admission {
            let seconds = max(1, Int(retryAfter.components.seconds))
            throw JSONRPCError(
                code: .internalError, message: "Upstream \(name) is failing; calls are refused for \(seconds) s")
        }
        do {
            let answer: MessageEnvelope
            let timeout = Duration.milliseconds(Int(configuration.upstreams[index].timeoutSeconds * 1000))
            do {
                // A user with a session of their own (per-user credentials) uses it. While a
                // lost shared session is being set up again, wait for it; an upstream that is
                // down otherwise fails the call at once.
                let connection: UpstreamConnection
                if let subject = request.context.principal?.subject,
                    let own = try await supervisor.userConnection(for: subject, revision: request.context.revision)
                {
                    connection = own
                } else if supervisor.isReconnecting, let next = await supervisor.awaitConnection(timeout: timeout) {
                    connection = next
                } else {
                    connection = try supervisor.connection()
                }
                answer = try await forwardTracked(outgoing, of: request, on: connection)
            } catch is UpstreamSessionLost {
                guard isSafeToRetry(request) else {
                    throw JSONRPCError(
                        code: .internalError,
                        message:
                            "Upstream \(name) lost its session during the call, which may have run; it was not retried")
                }
                if let subject = request.context.principal?.subject,
                    let own = try await supervisor.userConnection(for: subject, revision: request.context.revision)
                {
                    // The user's own session ended: a new one.
                    answer = try await forwardTracked(outgoing, of: request, on: own)
                } else {
                    guard let next = await supervisor.awaitConnection(timeout: timeout) else {
                        throw UpstreamConnection.Failure(
                            jsonRPCError: JSONRPCError(
                                code: .internalError, message: "Upstream \(name) is unavailable"),
                            countsAgainstUpstream: true)
                    }
                    answer = try await forwardTracked(outgoing, of: request, on: next)
                }
            }
            breakers.withLock { $0[index].succeeded() }
            return answer
        } catch let failure as UpstreamConnection.Failure where failure.countsAgainstUpstream {
            let now = ContinuousClock.now - origin
            let opened = breakers.withLock { breakers -> Bool in
                let before = breakers[index].stateName
                breakers[index].failed(at: now)
                return before != "open" && breakers[index].stateName == "open"
            }
            if opened { log.log(.warning, "upstream.breaker_open", ["upstream": .string(name)]) }
            throw failure
        } catch {
            if admission == .probe { breakers.withLock { $0[index].probeAbandoned() } }
            throw error
        }
    }

    /// Forwards a request, keeping it findable by the client's id while it is in flight.
    private func forwardTracked(
        _ outgoing: MessageEnvelope, of request: GatewayRequest, on connection: UpstreamConnection
    ) async throws -> MessageEnvelope {
        guard let clientID = request.message.id else {
            return try await connection.forward(outgoing, related: request.related, origin: request.context)
        }
        // The key uses the id's value as JSON, so "\u0041" and "A" are the same request.
        let key = InFlightKey(session: request.context.sessionID ?? "", clientID: clientID.jsonValue.serialized)
        defer { inFlight.withLock { _ = $0.removeValue(forKey: key) } }
        return try await connection.forward(outgoing, related: request.related, origin: request.context) { id in
            inFlight.withLock { $0[key] = (connection, id) }
        }
    }

    /// Whether an upstream speaks 2026-07-28, as configured or as its probe found.
    private func isModernUpstream(_ index: Int) -> Bool {
        configuration.upstreams[index].revision == .v2026_07_28
            || (try? supervisors[index].connection())?.isModern == true
    }

    /// Whether a request may be sent again after its session was lost: reads, and tool
    /// calls whose tool is annotated idempotent.
    private func isSafeToRetry(_ request: GatewayRequest) -> Bool {
        switch request.method {
        case "resources/read", "prompts/get", "completion/complete", "resources/subscribe", "resources/unsubscribe",
            "ping":
            return true
        case "tools/call":
            return request.target?.definition?["annotations"]?["idempotentHint"]?.boolValue == true
        default:
            return false
        }
    }

}

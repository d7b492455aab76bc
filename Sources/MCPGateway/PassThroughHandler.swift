import MCPCore
import MCPTransport

/// Answers clients on behalf of one upstream, exposing its tools, resources and prompts
/// under their own names (pass-through mode).
///
/// `initialize` and `ping` are answered by the gateway itself (the upstream session is the
/// gateway's, shared by all clients); every other request is forwarded with a gateway id
/// and answered with the client's id restored byte for byte.
struct PassThroughHandler: MCPMessageHandler {
    let supervisor: UpstreamSupervisor
    let negotiation = ProtocolNegotiation()

    func respond(to request: MessageEnvelope, context: MCPRequestContext, send: MCPRelatedMessageSender) async -> [UInt8] {
        guard let id = request.id else { return [] }
        let upstream: UpstreamConnection
        do {
            upstream = try supervisor.connection()
        } catch {
            return self.error(id, JSONRPCError.from(error))
        }
        switch request.method {
        case "initialize":
            let requested = request.decodeParams()?["protocolVersion"]?.stringValue ?? ""
            guard let chosen = negotiation.answerInitialize(requested: requested), var result = upstream.initializeResult?.objectValue
            else {
                return self.error(id, JSONRPCError(code: .internalError, message: "Upstream \(upstream.configuration.name) is not initialized"))
            }
            result["protocolVersion"] = .string(chosen.rawValue)
            return JSONRPCMessage.response(JSONRPCResponse(id: id, result: result)).serialized
        case "ping":
            return JSONRPCMessage.response(JSONRPCResponse(id: id, result: [:])).serialized
        default:
            do {
                return try await upstream.forward(request, related: send).bytes
            } catch {
                return self.error(id, JSONRPCError.from(error))
            }
        }
    }

    func receive(_ message: MessageEnvelope, context: MCPRequestContext) async {
        guard message.kind == .notification, message.method != "notifications/initialized",
            let upstream = try? supervisor.connection()
        else { return }
        await upstream.notify(message)
    }

    private func error(_ id: JSONRPCID, _ error: JSONRPCError) -> [UInt8] {
        JSONRPCMessage.errorResponse(JSONRPCErrorResponse(id: id, error: error)).serialized
    }
}

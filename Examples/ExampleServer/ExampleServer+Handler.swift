import MCPCore
import MCPTransport

extension ExampleServer: MCPMessageHandler {
    func respond(to request: MessageEnvelope, context: MCPRequestContext, send: MCPRelatedMessageSender) async -> [UInt8] {
        await handle(request, revision: context.revision) { message in await send(message) } ?? []
    }

    func receive(_ message: MessageEnvelope, context: MCPRequestContext) async {}
}

import MCPAuth
import MCPCore
import MCPTransport
import Synchronization

/// The parts of a running gateway that outlive one configuration.
struct Runtime: Sendable {
    let loop: EventLoop
    let httpClient: HTTPClient
    /// The main endpoint's router.
    let handle: RouterHandle
    /// Each virtual server's router, by path.
    let virtualHandles: [String: RouterHandle]
    /// Upstream requests waiting for a client's answer, shared by every router.
    let serverRequests: ServerRequestTable
    /// Tells clients when a list changed.
    let notifier: ClientNotifier
    /// Where per-user upstream credentials come from.
    let credentials: UpstreamCredentialBroker?
    /// Supervisors to run, with what to tell about their first start.
    let starts: AsyncStream<(UpstreamSupervisor, @Sendable (Result<Void, any Error>) -> Void)>.Continuation

    func makeSupervisor(_ upstream: GatewayConfiguration.Upstream, settings: GatewayConfiguration, log: GatewayLogger)
        -> UpstreamSupervisor
    {
        let handle = self.handle
        return UpstreamSupervisor(
            configuration: upstream, settings: settings, loop: loop, httpClient: httpClient, credentials: credentials,
            log: log,
            catalogChanged: { [virtualHandles] in
                handle.catalogsChanged()
                for virtual in virtualHandles.values { virtual.catalogsChanged() }
            },
            serverRequest: { request, connection in await handle.current.routeServerRequest(request, from: connection)
            },
            listChanged: { [notifier] list in await notifier.listChanged(list) },
            resourceUpdated: { [notifier] uri in await notifier.resourceUpdated(uri) })
    }
}

/// The router in force, swapped whole by a reload; the transports keep talking to this
/// handle, so client sessions survive a reload.
final class RouterHandle: MCPMessageHandler {
    private let router = Mutex<GatewayRouter?>(nil)
    /// Who each session belongs to, shared with the HTTP endpoints that check it.
    let owners: SessionOwners

    init(owners: SessionOwners) {
        self.owners = owners
    }

    /// The router in force.
    var current: GatewayRouter {
        // Installed before the handle is given to any transport.
        router.withLock { $0 }!
    }

    func install(_ next: GatewayRouter) {
        router.withLock { $0 = next }
    }

    func catalogsChanged() {
        router.withLock { $0 }?.catalogsChanged()
    }

    func respond(to request: MessageEnvelope, context: MCPRequestContext, send: MCPRelatedMessageSender) async
        -> [UInt8]
    {
        // A session belongs to the principal that initialized it.
        if request.method == "initialize", let session = context.sessionID,
            let subject = AuthenticatedCaller.principal?.subject
        {
            owners.record(session: session, owner: subject)
        }
        return await current.respond(to: request, context: context, send: send)
    }

    func receive(_ message: MessageEnvelope, context: MCPRequestContext) async {
        // A client's answer to an upstream's request may arrive after a reload: every
        // router shares the table of those requests.
        await current.receive(message, context: context)
    }
}

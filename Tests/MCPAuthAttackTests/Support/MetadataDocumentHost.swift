import MCPCore
import MCPTransport
import Synchronization

/// A web server on loopback that serves Client ID Metadata Documents and records every
/// request it receives, so a test can tell whether the authorization server fetched one.
final class MetadataDocumentHost: Sendable {
    private struct State {
        var origin = ""
        var documents: [String: [UInt8]] = [:]
        var requestedPaths: [String] = []
    }

    private let state = Mutex(State())

    private init() {}

    /// `http://127.0.0.1:<port>`.
    var origin: String { state.withLock { $0.origin } }

    /// The paths requested so far, in order.
    var requestedPaths: [String] { state.withLock { $0.requestedPaths } }

    /// The URL of `path` on this host.
    func url(_ path: String) -> String { origin + path }

    /// Serves `document` at `path` from now on.
    func publish(_ document: JSONValue, at path: String) {
        let bytes = JSONSerializer().serialize(document)
        state.withLock { $0.documents[path] = bytes }
    }

    /// Runs `body` with a host listening on a free loopback port.
    static func withHost<Result: Sendable>(_ body: (MetadataDocumentHost) async throws -> Result) async throws
        -> Result
    {
        let host = MetadataDocumentHost()
        let listener = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1),
            responder: HTTPResponderClosure { request, response in
                try await host.respond(to: request, with: response)
            })
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { try await listener.run() }
            do {
                let port = try await listener.listeningAddress().port
                host.state.withLock { $0.origin = "http://127.0.0.1:\(port)" }
                let result = try await body(host)
                listener.shutdown(gracePeriod: .zero)
                try await group.waitForAll()
                return result
            } catch {
                listener.shutdown(gracePeriod: .zero)
                try? await group.waitForAll()
                throw error
            }
        }
    }

    private func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        let path = String(request.head.path)
        let document = state.withLock { state in
            state.requestedPaths.append(path)
            return state.documents[path]
        }
        guard let document else {
            try await response.send(status: HTTPStatus(code: 404))
            return
        }
        try await response.send(
            status: HTTPStatus(code: 200), fields: ["Content-Type": "application/json"], body: document)
    }
}

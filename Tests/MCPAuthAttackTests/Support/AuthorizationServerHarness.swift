import MCPAuth
import MCPCrypto
import MCPTransport
import Synchronization
import Testing

/// The gateway's authorization server, served over loopback and driven through a real HTTP
/// client, with a clock the tests move.
///
/// It knows one organization (`acme`, team `eng`), two users (`alice`, in `eng`, and
/// `bob`), and three pre-registered clients: the public `app` and `other-app`, and the
/// confidential `confidential` (HTTP Basic). It issues tokens for two resources, `/mcp` and
/// `/other`, on its own origin.
final class AuthorizationServerHarness: Sendable {
    /// The password of both users.
    static let password = "correct horse battery"
    /// The secret of the `confidential` client.
    static let confidentialSecret = "s3cret-s3cret-s3cret"
    /// The redirect URIs of `app` and `confidential`.
    static let appRedirectURIs = ["https://app.example/cb", "http://127.0.0.1/callback"]

    /// The server under test.
    let server: AuthorizationServer
    /// The issuer: `http://127.0.0.1:<port>`.
    let issuer: String
    /// The MCP endpoint tokens are usually issued for.
    let resource: String
    /// A second resource of the same server.
    let otherResource: String
    /// The server's clock.
    let clock: ManualClock
    /// The client the tests (and the server, for metadata documents) send requests with.
    let http: HTTPClient
    /// The store the server keeps its state in.
    let store: AuthStore

    private init(server: AuthorizationServer, store: AuthStore, clock: ManualClock, http: HTTPClient) {
        self.server = server
        self.store = store
        self.issuer = server.configuration.issuer
        self.resource = issuer + "/mcp"
        self.otherResource = issuer + "/other"
        self.clock = clock
        self.http = http
    }

    /// The master key that seals the server's signing keys.
    static var masterKey: MasterKey {
        get throws { try MasterKey(bytes: Array(repeating: 7, count: 32)) }
    }

    /// A second server over the same store, settings and clock: the gateway after a restart.
    func restartedServer() throws -> AuthorizationServer {
        try AuthorizationServer(
            configuration: server.configuration, store: store, masterKey: try Self.masterKey, http: http,
            clock: clock.authClock)
    }

    /// The validator of the server's access tokens.
    var validator: AccessTokenValidator { server.validator }

    /// The clients written into the configuration.
    static var preregisteredClients: [ClientRegistration] {
        [
            ClientRegistration(clientID: "app", kind: .preregistered, name: "App", redirectURIs: appRedirectURIs),
            ClientRegistration(
                clientID: "other-app", kind: .preregistered, name: "Other App",
                redirectURIs: ["https://other.example/cb"]),
            ClientRegistration(
                clientID: "confidential", kind: .preregistered, name: "Confidential App",
                redirectURIs: appRedirectURIs, authenticationMethod: .clientSecretBasic,
                secretHash: SHA256.hash(Array(confidentialSecret.utf8))),
        ]
    }

    /// Runs `body` against a fresh server, shutting it down afterwards.
    ///
    /// - Parameters:
    ///   - configure: changes to the default settings (the issuer and resources are set
    ///     already).
    ///   - body: the test.
    static func withServer<Result: Sendable>(
        configure: (inout AuthorizationServerConfiguration) -> Void = { _ in },
        _ body: (AuthorizationServerHarness) async throws -> Result
    ) async throws -> Result {
        let slot = ResponderSlot()
        let listener = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, eventLoopCount: 1), responder: slot)
        return try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
            group.addTask { try await listener.run() }
            let http: HTTPClient
            do {
                http = try HTTPClient()
            } catch {
                listener.shutdown(gracePeriod: .zero)
                try? await group.waitForAll()
                throw error
            }
            do {
                let port = try await listener.listeningAddress().port
                let harness = try make(port: port, http: http, configure: configure)
                slot.install(harness.server)
                let result = try await body(harness)
                http.shutdown()
                listener.shutdown(gracePeriod: .zero)
                try await group.waitForAll()
                return result
            } catch {
                http.shutdown()
                listener.shutdown(gracePeriod: .zero)
                try? await group.waitForAll()
                throw error
            }
        }
    }

    private static func make(
        port: UInt16, http: HTTPClient, configure: (inout AuthorizationServerConfiguration) -> Void
    ) throws -> AuthorizationServerHarness {
        let issuer = "http://127.0.0.1:\(port)"
        var configuration = AuthorizationServerConfiguration(
            issuer: issuer, resources: [issuer + "/mcp", issuer + "/other"])
        configuration.clients = preregisteredClients
        configure(&configuration)
        let store = try AuthStore(path: nil)
        let clock = ManualClock()
        let server = try AuthorizationServer(
            configuration: configuration, store: store, masterKey: try masterKey, http: http, clock: clock.authClock)
        // Cheap password hashes: sign-ins verify against the parameters stored with the hash.
        let identities = IdentityStore(
            store: store, passwordParameters: try Scrypt.Parameters(logN: 4, blockSize: 1, parallelism: 1))
        let team = Team(organization: "acme", name: "eng")
        try identities.createOrganization(Organization(name: "acme"))
        try identities.createTeam(team)
        try identities.createUser(User(username: "alice", organization: "acme"), password: password)
        try identities.addMember("alice", to: team)
        try identities.createUser(User(username: "bob", organization: "acme"), password: password)
        return AuthorizationServerHarness(server: server, store: store, clock: clock, http: http)
    }
}

/// Answers 503 until the authorization server is installed: the server's issuer names the
/// port, which is only known once the listener is bound.
private final class ResponderSlot: HTTPResponder {
    private let responder = Mutex<AuthorizationServer?>(nil)

    func install(_ server: AuthorizationServer) {
        responder.withLock { $0 = server }
    }

    func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        guard let server = responder.withLock({ $0 }) else {
            try await response.send(status: HTTPStatus(code: 503))
            return
        }
        try await server.respond(to: request, with: response)
    }
}

// MARK: One server per suite

extension AuthorizationServerHarness {
    /// The server of the running suite, set by ``SharedAuthorizationServer``.
    @TaskLocal static var shared: AuthorizationServerHarness?

    /// The server of the running suite.
    static func current() throws -> AuthorizationServerHarness {
        try #require(shared, "the suite is not marked .sharedAuthorizationServer")
    }
}

/// Starts one ``AuthorizationServerHarness`` for a whole suite, for tests that neither move
/// its clock nor change its settings; each test still uses its own users' sign-ins, codes
/// and tokens, so the tests stay independent.
struct SharedAuthorizationServer: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await AuthorizationServerHarness.withServer { harness in
            try await AuthorizationServerHarness.$shared.withValue(harness) {
                try await function()
            }
        }
    }
}

extension Trait where Self == SharedAuthorizationServer {
    /// Runs the suite's tests against one shared authorization server.
    static var sharedAuthorizationServer: Self { Self() }
}

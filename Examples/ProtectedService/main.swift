// mcp-protected-service: MCPAuth alone, as the OAuth 2.1 authorization server of a small
// HTTP API that has nothing to do with MCP. The service answers GET /api/notes to callers
// with a bearer token issued for it, and serves the authorization server (metadata,
// sign-in, tokens) on the same port.
//
//   mcp-protected-service [--port 8090] [--data DIRECTORY] [--user NAME:PASSWORD]
//
// Without --data, everything is kept in memory. --user creates a user (in organization
// "example") who can sign in. Any OAuth client with PKCE can then get a token: register at
// /register, send the user to /authorize with resource=http://127.0.0.1:PORT/api/notes,
// and redeem the code at /token.
import Foundation
import MCPAuth
import MCPCore
import MCPTransport

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("mcp-protected-service: \(message)\n".utf8))
    exit(2)
}

var port: UInt16 = 8090
var dataDirectory: String?
var demoUser: (String, String)?
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--port":
        guard let value = arguments.popFirst().flatMap(UInt16.init) else { fail("--port takes a port number") }
        port = value
    case "--data":
        guard let value = arguments.popFirst() else { fail("--data takes a directory") }
        dataDirectory = value
    case "--user":
        guard let value = arguments.popFirst(), let colon = value.firstIndex(of: ":") else {
            fail("--user takes NAME:PASSWORD")
        }
        demoUser = (String(value[..<colon]), String(value[value.index(after: colon)...]))
    default: fail("unknown argument \(argument)")
    }
}

let issuer = "http://127.0.0.1:\(port)"
let resource = issuer + "/api/notes"

// The store and the key that seals the signing keys: files in the data directory, or memory.
let store: AuthStore
let masterKey: MasterKey
do {
    if let dataDirectory {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        let keyPath = dataDirectory + "/master.key"
        masterKey =
            FileManager.default.fileExists(atPath: keyPath)
            ? try MasterKey(contentsOfFile: keyPath) : try MasterKey.create(atPath: keyPath)
        store = try AuthStore(path: dataDirectory + "/auth.sqlite")
    } else {
        masterKey = try MasterKey(bytes: (0..<32).map { _ in UInt8.random(in: 0...255) })
        store = try AuthStore(path: nil)
    }
} catch {
    fail("\(error)")
}

var settings = AuthorizationServerConfiguration(issuer: issuer, resources: [resource])
settings.scopesSupported = ["notes"]
settings.defaultScopes = ["notes"]
let http = try HTTPClient()
let server: AuthorizationServer
do {
    server = try AuthorizationServer(configuration: settings, store: store, masterKey: masterKey, http: http)
    if let (name, password) = demoUser, try server.identities.user(name) == nil {
        if try server.identities.organizations().isEmpty {
            try server.identities.createOrganization(Organization(name: "example"))
        }
        try server.identities.createUser(User(username: name, organization: "example"), password: password)
    }
} catch {
    fail("\(error)")
}

// The API: one resource, guarded by the bearer token check.
let notes = server.protectedResource(resource)
let responder = HTTPResponderClosure { request, response in
    if server.handles(path: request.head.path) {
        try await server.respond(to: request, with: response)
        return
    }
    guard request.head.path == "/api/notes" else {
        try await response.send(
            status: HTTPStatus(code: 404), fields: ["Content-Type": "text/plain"], body: Array("not found\n".utf8))
        return
    }
    let caller: Principal
    do throws(ProtectedResource.Challenge) {
        caller = try notes.authenticate(authorization: request.header("Authorization"))
    } catch {
        try await response.send(
            status: HTTPStatus(code: error.status),
            fields: ["WWW-Authenticate": error.header, "Content-Type": "application/json"],
            body: error.error?.body ?? Array(#"{"error":"invalid_token"}"#.utf8))
        return
    }
    let body: JSONValue = [
        "owner": .string(caller.subject), "organization": .string(caller.organization),
        "client": .string(caller.clientID), "notes": ["buy milk", "ship the gateway"],
    ]
    try await response.send(
        status: HTTPStatus(code: 200), fields: ["Content-Type": "application/json"],
        body: JSONSerializer().serialize(body))
}

let listener = HTTPServer(configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), responder: responder)
signal(SIGTERM, SIG_IGN)
let stop = DispatchSource.makeSignalSource(signal: SIGTERM, queue: .global())
stop.setEventHandler { listener.shutdown(gracePeriod: Duration.seconds(2)) }
stop.resume()
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await listener.run() }
    _ = try await listener.listeningAddress()
    print("listening on \(issuer); protected resource \(resource)")
    fflush(nil)
    try await group.waitForAll()
}
http.shutdown()

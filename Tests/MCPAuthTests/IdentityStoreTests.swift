import MCPCrypto
import Testing

@testable import MCPAuth

/// The identity graph: organizations, teams, users and memberships, isolated by
/// organization; local passwords hashed with scrypt.
@Suite("Identity graph")
struct IdentityStoreTests {
    static let cheap = try! Scrypt.Parameters(logN: 10, blockSize: 8, parallelism: 1)

    func graph() throws -> IdentityStore {
        let identities = IdentityStore(store: try AuthStore(path: nil), passwordParameters: Self.cheap)
        try identities.createOrganization(Organization(name: "acme", displayName: "Acme Inc."))
        try identities.createOrganization(Organization(name: "globex"))
        try identities.createTeam(Team(organization: "acme", name: "eng"))
        try identities.createTeam(Team(organization: "globex", name: "eng"))
        try identities.createUser(User(username: "alice", organization: "acme"), password: "correct horse battery")
        try identities.createUser(User(username: "hank", organization: "globex"), password: "hank's password")
        try identities.addMember("alice", to: Team(organization: "acme", name: "eng"))
        return identities
    }

    @Test func membershipsStayInsideTheirOrganization() throws {
        let identities = try graph()
        #expect(try identities.user("alice")?.teams == ["eng"])
        #expect(throws: AuthError(.notFound, "")) {
            try identities.addMember("alice", to: Team(organization: "globex", name: "eng"))
        }
        #expect(try identities.users(in: "globex").map(\.username) == ["hank"])
        #expect(try identities.users(in: "acme").map(\.username) == ["alice"])
        #expect(try identities.teams(in: "acme").map(\.name) == ["eng"])
        try identities.removeMember("alice", from: Team(organization: "acme", name: "eng"))
        #expect(try identities.user("alice")?.teams == [])
    }

    @Test func refusalsChangeNothing() throws {
        let identities = try graph()
        #expect(throws: AuthError(.alreadyExists, "")) {
            try identities.createUser(User(username: "alice", organization: "globex"), password: "another password")
        }
        #expect(try identities.user("alice")?.organization == "acme")
        #expect(throws: AuthError(.notFound, "")) {
            try identities.createTeam(Team(organization: "initech", name: "eng"))
        }
        for name in ["", "has space", "-leading", String(repeating: "a", count: 65), "naïve", "a/b"] {
            #expect(throws: AuthError(.invalidValue, ""), "\(name)") {
                try identities.createUser(User(username: name, organization: "acme"), password: nil)
            }
        }
        #expect(throws: AuthError(.invalidValue, "")) {
            try identities.createUser(User(username: "bob", organization: "acme"), password: "short")
        }
        #expect(try identities.user("bob") == nil)
    }

    @Test func signInChecksThePasswordAndTheAccount() throws {
        let identities = try graph()
        #expect(try identities.authenticate(username: "alice", password: "correct horse battery")?.teams == ["eng"])
        #expect(try identities.authenticate(username: "alice", password: "Correct horse battery") == nil)
        #expect(try identities.authenticate(username: "nobody", password: "correct horse battery") == nil)
        #expect(try identities.authenticate(username: "alice", password: String(repeating: "x", count: 2000)) == nil)
        try identities.setDisabled(true, username: "alice")
        #expect(try identities.authenticate(username: "alice", password: "correct horse battery") == nil)
        try identities.setDisabled(false, username: "alice")
        try identities.setPassword("a brand new password", of: "alice")
        #expect(try identities.authenticate(username: "alice", password: "correct horse battery") == nil)
        #expect(try identities.authenticate(username: "alice", password: "a brand new password") != nil)
        // A federated user has no password and cannot sign in with one.
        try identities.createUser(
            User(username: "fed", organization: "acme", external: ("https://idp.example", "123")), password: nil)
        #expect(try identities.authenticate(username: "fed", password: "anything at all") == nil)
        #expect(try identities.user(issuer: "https://idp.example", subject: "123")?.username == "fed")
        try identities.deleteUser("fed")
        #expect(try identities.user("fed") == nil)
    }
}

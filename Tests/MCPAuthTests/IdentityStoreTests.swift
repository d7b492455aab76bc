import MCPCore
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

    @Test func federatedIdentitiesNeverTakeOverAnotherAccount() throws {
        let identities = try graph()
        var provider = FederatedProvider(
            name: "corp", issuer: "https://idp.example", clientID: "gateway", clientSecret: "secret",
            organization: "acme")
        provider.teamMapping = ["idp-eng": "eng", "idp-ops": "ops"]
        // The e-mail of a local user: refused, the local user unchanged.
        #expect(throws: AuthError(.alreadyExists, "")) {
            try identities.federatedUser(
                ["sub": "1", "email": "alice", "email_verified": true, "groups": ["idp-eng"]], from: provider)
        }
        #expect(try identities.user("alice")?.external == nil)
        #expect(throws: AuthError(.invalidValue, "")) {
            try identities.federatedUser(
                ["sub": "2", "email": "dan@acme.example", "email_verified": false], from: provider)
        }
        let dan = try identities.federatedUser(
            [
                "sub": "3", "email": "dan@acme.example", "email_verified": true, "name": "Dan",
                "groups": ["idp-eng", "idp-ops", "unmapped"],
            ],
            from: provider)
        #expect(dan.teams == ["eng", "ops"], "mapped groups only; a missing team is created")
        #expect(dan.displayName == "Dan")
        // The next sign-in follows the groups, and finds the user by subject, not e-mail.
        let again = try identities.federatedUser(
            ["sub": "3", "email": "renamed@acme.example", "groups": ["idp-ops"]], from: provider)
        #expect(again.username == "dan@acme.example")
        #expect(again.teams == ["ops"])
        provider.createsUsers = false
        #expect(throws: AuthError(.notFound, "")) {
            try identities.federatedUser(
                ["sub": "4", "email": "erin@acme.example", "email_verified": true], from: provider)
        }
        #expect(try identities.user("erin@acme.example") == nil)
        // An administrator's user without a password is linked at the first sign-in; one with a
        // password is not taken over.
        try identities.createUser(User(username: "frank@acme.example", organization: "acme"), password: nil)
        let frank = try identities.federatedUser(
            ["sub": "5", "email": "frank@acme.example", "email_verified": true], from: provider)
        #expect(frank.external?.subject == "5")
        #expect(try identities.user(issuer: "https://idp.example", subject: "5")?.username == "frank@acme.example")
        try identities.createUser(
            User(username: "gina@acme.example", organization: "acme"), password: "gina's password")
        #expect(throws: AuthError(.notFound, "")) {
            try identities.federatedUser(
                ["sub": "6", "email": "gina@acme.example", "email_verified": true], from: provider)
        }
    }
}

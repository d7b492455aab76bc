import Foundation
import MCPAuth
import MCPGateway

let identityUsage = """
    usage: gatewayd orgs add --config FILE NAME [--display-name TEXT]
           gatewayd orgs list --config FILE
           gatewayd teams add --config FILE --org ORG NAME
           gatewayd teams list --config FILE --org ORG
           gatewayd teams add-member|remove-member --config FILE --org ORG --team TEAM --user USER
           gatewayd users add --config FILE --org ORG --user USER [--name TEXT] [--email ADDRESS] [--password-stdin]
           gatewayd users list --config FILE --org ORG [--json]
           gatewayd users set-password --config FILE --user USER --password-stdin
           gatewayd users disable|enable|delete --config FILE --user USER
    """

/// `gatewayd orgs|teams|users ...`: the identity graph in the configuration's
/// authorization store, until an administration console exists.
///
/// - Returns: the exit status.
func runIdentity(_ noun: String, _ arguments: [String]) -> Int32 {
    guard let verb = arguments.first else { return usageError() }
    var options: [String: String] = [:]
    var flags: Set<String> = []
    var positional: [String] = []
    var index = 1
    while index < arguments.count {
        let argument = arguments[index]
        if ["--password-stdin", "--json"].contains(argument) {
            flags.insert(argument)
        } else if argument.hasPrefix("--") {
            guard index + 1 < arguments.count else { return usageError() }
            options[argument] = arguments[index + 1]
            index += 1
        } else {
            positional.append(argument)
        }
        index += 1
    }
    guard let configurationPath = options["--config"] else { return usageError() }
    let configuration = loadConfiguration(configurationPath)
    let identities: IdentityStore
    do {
        guard let (store, _) = try openAuthorizationStore(configuration, configurationPath: configurationPath) else {
            FileHandle.standardError.write(Data("gatewayd: \(configurationPath) has no authorization section\n".utf8))
            return 2
        }
        identities = IdentityStore(store: store)
    } catch {
        FileHandle.standardError.write(Data("gatewayd: \(configurationPath): authorization: \(error)\n".utf8))
        return 2
    }
    do {
        switch (noun, verb) {
        case ("orgs", "add"):
            guard positional.count == 1 else { return usageError() }
            try identities.createOrganization(Organization(name: positional[0], displayName: options["--display-name"]))
            print("organization \(positional[0]) created")
        case ("orgs", "list"):
            for organization in try identities.organizations() { print(organization.name) }
        case ("teams", "add"):
            guard positional.count == 1, let organization = options["--org"] else { return usageError() }
            try identities.createTeam(Team(organization: organization, name: positional[0]))
            print("team \(positional[0]) created in \(organization)")
        case ("teams", "list"):
            guard let organization = options["--org"] else { return usageError() }
            for team in try identities.teams(in: organization) { print(team.name) }
        case ("teams", "add-member"), ("teams", "remove-member"):
            guard let organization = options["--org"], let team = options["--team"], let user = options["--user"] else {
                return usageError()
            }
            let target = Team(organization: organization, name: team)
            if verb == "add-member" {
                try identities.addMember(user, to: target)
            } else {
                try identities.removeMember(user, from: target)
            }
            print("\(user) \(verb == "add-member" ? "added to" : "removed from") \(organization)/\(team)")
        case ("users", "add"):
            guard let organization = options["--org"], let username = options["--user"] else { return usageError() }
            let password = flags.contains("--password-stdin") ? readLine(strippingNewline: true) : nil
            if flags.contains("--password-stdin"), password == nil { return usageError() }
            try identities.createUser(
                User(
                    username: username, organization: organization, displayName: options["--name"],
                    email: options["--email"]), password: password)
            print("user \(username) created in \(organization)")
        case ("users", "list"):
            guard let organization = options["--org"] else { return usageError() }
            for user in try identities.users(in: organization) {
                if flags.contains("--json") {
                    let teams = user.teams.map { "\"\($0)\"" }.joined(separator: ",")
                    print(
                        #"{"username":"\#(user.username)","organization":"\#(user.organization)","teams":[\#(teams)],"disabled":\#(user.isDisabled)}"#
                    )
                } else {
                    print(
                        "\(user.username)\t\(user.teams.joined(separator: ","))\(user.isDisabled ? "\tdisabled" : "")")
                }
            }
        case ("users", "set-password"):
            guard let username = options["--user"], flags.contains("--password-stdin"),
                let password = readLine(strippingNewline: true)
            else { return usageError() }
            try identities.setPassword(password, of: username)
            print("password of \(username) changed")
        case ("users", "disable"), ("users", "enable"):
            guard let username = options["--user"] else { return usageError() }
            try identities.setDisabled(verb == "disable", username: username)
            print("user \(username) \(verb)d")
        case ("users", "delete"):
            guard let username = options["--user"] else { return usageError() }
            try identities.deleteUser(username)
            // The user's upstream credentials go too: a later user of the same name must not
            // inherit them.
            let vaultPath = resolvePath(
                "vault.sqlite", configuration: configuration, configurationPath: configurationPath)
            if FileManager.default.fileExists(atPath: vaultPath),
                let (_, masterKey) = try openAuthorizationStore(configuration, configurationPath: configurationPath)
            {
                let removed = try CredentialVault(path: vaultPath, masterKey: masterKey).removeAll(subject: username)
                if removed > 0 { print("\(removed) upstream connection(s) of \(username) removed") }
            }
            print("user \(username) deleted")
        default:
            return usageError()
        }
    } catch {
        FileHandle.standardError.write(Data("gatewayd: \(noun) \(verb): \(error)\n".utf8))
        return 1
    }
    return 0
}

private func usageError() -> Int32 {
    FileHandle.standardError.write(Data((identityUsage + "\n").utf8))
    return 2
}

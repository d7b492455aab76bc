import MCPAuth
import MCPCore

/// The `authorization` section: the gateway as an OAuth authorization server.
extension ConfigurationReader {
    func readAuthorization(_ value: JSONValue) throws(GatewayConfigurationError)
        -> GatewayConfiguration.AuthorizationSettings
    {
        let path = "authorization"
        let object = try self.object(value, at: path)
        try refuseUnknown(
            object,
            known: [
                "issuer", "storeFile", "masterKeyFile", "masterKeyEnvironment", "scopes", "accessTokenLifetimeSeconds",
                "refreshTokenLifetimeSeconds", "dynamicRegistration", "registrationsPerMinute",
                "maximumDynamicClients", "unusedClientLifetimeSeconds",
                "clientMetadataDocuments", "allowInternalAddresses", "clients", "federation",
            ], at: path)
        var settings = GatewayConfiguration.AuthorizationSettings()
        if let issuer = object["issuer"] {
            let text = try string(issuer, at: "\(path).issuer")
            guard text.hasPrefix("https://") || text.hasPrefix("http://"), !text.hasSuffix("/"),
                !text.contains("?"), !text.contains("#"), text.count <= 512
            else {
                throw GatewayConfigurationError(
                    path: "\(path).issuer", "must be an http(s) URL without a query, fragment or trailing /")
            }
            settings.issuer = text
        }
        if let file = object["storeFile"] { settings.storeFile = try nonEmpty(file, at: "\(path).storeFile") }
        if let file = object["masterKeyFile"] {
            settings.masterKeyFile = try nonEmpty(file, at: "\(path).masterKeyFile")
        }
        if let name = object["masterKeyEnvironment"] {
            settings.masterKeyEnvironment = try nonEmpty(name, at: "\(path).masterKeyEnvironment")
        }
        if settings.masterKeyFile != nil, settings.masterKeyEnvironment != nil {
            throw GatewayConfigurationError(
                path: "\(path).masterKeyEnvironment", "cannot be set together with masterKeyFile")
        }
        if let scopes = object["scopes"] {
            let list = try strings(scopes, at: "\(path).scopes")
            guard !list.isEmpty, list.count <= 64 else {
                throw GatewayConfigurationError(path: "\(path).scopes", "must list 1 to 64 scopes")
            }
            for (index, scope) in list.enumerated() {
                guard !scope.isEmpty, scope != "offline_access",
                    scope.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "\\" })
                else {
                    throw GatewayConfigurationError(
                        path: "\(path).scopes[\(index)]", "must be a scope token (and not offline_access)")
                }
            }
            settings.scopes = list
        }
        if let seconds = object["accessTokenLifetimeSeconds"] {
            settings.accessTokenLifetime = try integer(
                seconds, at: "\(path).accessTokenLifetimeSeconds", in: 30...86_400)
        }
        if let seconds = object["refreshTokenLifetimeSeconds"] {
            settings.refreshTokenLifetime = try integer(
                seconds, at: "\(path).refreshTokenLifetimeSeconds", in: 60...(365 * 86_400))
        }
        if let flag = object["dynamicRegistration"] {
            settings.dynamicRegistration = try bool(flag, at: "\(path).dynamicRegistration")
        }
        if let count = object["registrationsPerMinute"] {
            settings.registrationsPerMinute = try integer(count, at: "\(path).registrationsPerMinute", in: 1...10_000)
        }
        if let count = object["maximumDynamicClients"] {
            settings.maximumDynamicClients = try integer(
                count, at: "\(path).maximumDynamicClients", in: 1...1_000_000)
        }
        if let seconds = object["unusedClientLifetimeSeconds"] {
            settings.unusedClientLifetime = try integer(
                seconds, at: "\(path).unusedClientLifetimeSeconds", in: 3600...(3650 * 86_400))
        }
        if let flag = object["clientMetadataDocuments"] {
            settings.clientMetadataDocuments = try bool(flag, at: "\(path).clientMetadataDocuments")
        }
        if let flag = object["allowInternalAddresses"] {
            settings.allowInternalAddresses = try bool(flag, at: "\(path).allowInternalAddresses")
        }
        if let clients = object["clients"] {
            guard let list = clients.arrayValue, list.count <= 1000 else {
                throw GatewayConfigurationError(path: "\(path).clients", "must be an array of at most 1000 clients")
            }
            var ids: Set<String> = []
            for (index, element) in list.enumerated() {
                let at = "\(path).clients[\(index)]"
                let client = try self.object(element, at: at)
                try refuseUnknown(client, known: ["clientID", "name", "redirectURIs", "secretFile"], at: at)
                guard let id = client["clientID"] else {
                    throw GatewayConfigurationError(path: "\(at).clientID", "is required")
                }
                let clientID = try nonEmpty(id, at: "\(at).clientID")
                guard !clientID.hasPrefix("http://"), !clientID.hasPrefix("https://") else {
                    throw GatewayConfigurationError(
                        path: "\(at).clientID", "must not be a URL (URL client ids are metadata documents)")
                }
                guard ids.insert(clientID).inserted else {
                    throw GatewayConfigurationError(path: "\(at).clientID", "duplicates another client's id")
                }
                guard let redirects = client["redirectURIs"] else {
                    throw GatewayConfigurationError(path: "\(at).redirectURIs", "is required")
                }
                let uris = try strings(redirects, at: "\(at).redirectURIs")
                guard !uris.isEmpty else {
                    throw GatewayConfigurationError(path: "\(at).redirectURIs", "must not be empty")
                }
                for (uriIndex, uri) in uris.enumerated() {
                    if let problem = RedirectURI.problem(with: uri) {
                        throw GatewayConfigurationError(path: "\(at).redirectURIs[\(uriIndex)]", problem)
                    }
                }
                var name = clientID
                if let value = client["name"] { name = try nonEmpty(value, at: "\(at).name") }
                var secretFile: String?
                if let value = client["secretFile"] { secretFile = try nonEmpty(value, at: "\(at).secretFile") }
                settings.clients.append(
                    .init(clientID: clientID, name: name, redirectURIs: uris, secretFile: secretFile))
            }
        }
        if let federation = object["federation"] {
            guard let list = federation.arrayValue, list.count <= 32 else {
                throw GatewayConfigurationError(path: "\(path).federation", "must be an array of at most 32 providers")
            }
            var names: Set<String> = []
            for (index, element) in list.enumerated() {
                let provider = try readFederation(element, at: "\(path).federation[\(index)]")
                guard names.insert(provider.name).inserted else {
                    throw GatewayConfigurationError(
                        path: "\(path).federation[\(index)].name", "duplicates another provider's name")
                }
                settings.federation.append(provider)
            }
        }
        return settings
    }

    private func readFederation(_ value: JSONValue, at path: String) throws(GatewayConfigurationError)
        -> GatewayConfiguration.AuthorizationSettings.Federation
    {
        let object = try self.object(value, at: path)
        try refuseUnknown(
            object,
            known: [
                "name", "displayName", "issuer", "clientID", "clientSecretFile", "scopes", "organization",
                "usernameClaim", "groupsClaim", "teamMapping", "createUsers", "allowInternalAddresses",
            ], at: path)
        func required(_ key: String) throws(GatewayConfigurationError) -> String {
            guard let value = object[key] else {
                throw GatewayConfigurationError(path: "\(path).\(key)", "is required")
            }
            return try nonEmpty(value, at: "\(path).\(key)")
        }
        let name = try required("name")
        guard name.utf8.count <= 64, name.utf8.allSatisfy({ Self.isNameByte($0) }) else {
            throw GatewayConfigurationError(path: "\(path).name", "must be 1 to 64 letters, digits, _ - or .")
        }
        let issuer = try required("issuer")
        guard issuer.hasPrefix("https://") || issuer.hasPrefix("http://"), !issuer.contains("?"), !issuer.contains("#")
        else { throw GatewayConfigurationError(path: "\(path).issuer", "must be an http(s) URL") }
        var provider = GatewayConfiguration.AuthorizationSettings.Federation(
            name: name, issuer: issuer, clientID: try required("clientID"),
            clientSecretFile: try required("clientSecretFile"), organization: try required("organization"))
        if let value = object["displayName"] { provider.displayName = try nonEmpty(value, at: "\(path).displayName") }
        if let value = object["scopes"] { provider.scopes = try strings(value, at: "\(path).scopes") }
        if let value = object["usernameClaim"] {
            provider.usernameClaim = try nonEmpty(value, at: "\(path).usernameClaim")
        }
        if let value = object["groupsClaim"] {
            provider.groupsClaim = value.isNull ? nil : try nonEmpty(value, at: "\(path).groupsClaim")
        }
        if let value = object["teamMapping"] {
            var mapping: [String: String] = [:]
            for (group, team) in try self.object(value, at: "\(path).teamMapping") {
                mapping[group] = try nonEmpty(team, at: "\(path).teamMapping.\(group)")
            }
            provider.teamMapping = mapping
        }
        if let value = object["createUsers"] { provider.createUsers = try bool(value, at: "\(path).createUsers") }
        if let value = object["allowInternalAddresses"] {
            provider.allowInternalAddresses = try bool(value, at: "\(path).allowInternalAddresses")
        }
        if !issuer.hasPrefix("https://"), !provider.allowInternalAddresses {
            throw GatewayConfigurationError(
                path: "\(path).issuer", "must be https (http only with allowInternalAddresses, for development)")
        }
        return provider
    }

    private func nonEmpty(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> String {
        let text = try string(value, at: path)
        guard !text.isEmpty else { throw GatewayConfigurationError(path: path, "must not be empty") }
        return text
    }

    private func bool(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> Bool {
        guard let flag = value.boolValue else {
            throw GatewayConfigurationError(path: path, "must be true or false, not \(value.kindName)")
        }
        return flag
    }
}

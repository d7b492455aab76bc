import MCPAuth
import MCPCore

/// The `auth` member of an upstream: how the gateway authenticates to it.
extension ConfigurationReader {
    func readUpstreamAuth(_ value: JSONValue, at path: String) throws(GatewayConfigurationError)
        -> GatewayConfiguration.UpstreamAuth
    {
        let object = try self.object(value, at: path)
        try refuseUnknown(
            object,
            known: [
                "type", "scopes", "clientID", "clientSecretFile", "secretFile", "header", "catalogSubject",
                "allowInternalAddresses", "quirks", "issuer",
            ], at: path)
        guard let type = object["type"] else { throw GatewayConfigurationError(path: path + ".type", "is required") }
        let typeText = try string(type, at: path + ".type")
        guard let kind = GatewayConfiguration.UpstreamAuth.Kind(rawValue: typeText) else {
            throw GatewayConfigurationError(
                path: path + ".type", "must be \"oauth\", \"clientCredentials\", \"bearer\" or \"apiKey\"")
        }
        var auth = GatewayConfiguration.UpstreamAuth(kind: kind)
        func text(_ key: String) throws(GatewayConfigurationError) -> String? {
            guard let value = object[key] else { return nil }
            let text = try string(value, at: "\(path).\(key)")
            guard !text.isEmpty else { throw GatewayConfigurationError(path: "\(path).\(key)", "must not be empty") }
            return text
        }
        if let scopes = object["scopes"] { auth.scopes = try strings(scopes, at: path + ".scopes") }
        auth.clientID = try text("clientID")
        auth.clientSecretFile = try text("clientSecretFile")
        auth.secretFile = try text("secretFile")
        auth.catalogSubject = try text("catalogSubject")
        auth.issuer = try text("issuer")
        if auth.clientSecretFile != nil, auth.issuer == nil {
            throw GatewayConfigurationError(
                path: path + ".issuer",
                "is required with clientSecretFile: the secret is sent only to the authorization server it belongs to")
        }
        if let header = try text("header") {
            guard header.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }),
                header.lowercased() != "cookie"
            else { throw GatewayConfigurationError(path: path + ".header", "is not a valid header field name") }
            auth.header = header
        }
        if let flag = object["allowInternalAddresses"] {
            guard let value = flag.boolValue else {
                throw GatewayConfigurationError(path: path + ".allowInternalAddresses", "must be true or false")
            }
            auth.allowInternalAddresses = value
        }
        switch kind {
        case .clientCredentials:
            guard auth.clientID != nil, auth.clientSecretFile != nil else {
                throw GatewayConfigurationError(
                    path: path + ".clientID", "and clientSecretFile are required for the client credentials grant")
            }
        case .oauth:
            if auth.clientSecretFile != nil, auth.clientID == nil {
                throw GatewayConfigurationError(path: path + ".clientID", "is required with clientSecretFile")
            }
        case .bearer, .apiKey:
            break
        }
        if let quirks = object["quirks"] { auth.quirks = try readQuirks(quirks, at: path + ".quirks") }
        // Per-user credentials: the lists every user sees are read with one named user's
        // connection (a service account), never with whoever connected last, which would show
        // one user's tools and resources to another organization.
        let perUser = kind == .oauth || ((kind == .bearer || kind == .apiKey) && auth.secretFile == nil)
        if perUser, auth.catalogSubject == nil {
            throw GatewayConfigurationError(
                path: path + ".catalogSubject",
                "is required with per-user credentials: the user whose connection reads the lists everyone sees")
        }
        return auth
    }

    private func readQuirks(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> ProviderQuirks {
        let object = try self.object(value, at: path)
        try refuseUnknown(
            object,
            known: [
                "assumedLifetimeSeconds", "refreshSkewSeconds", "sendResource", "expiredStatuses",
                "expiredBodyPatterns", "clientAuthentication",
            ], at: path)
        var quirks = ProviderQuirks()
        if let value = object["assumedLifetimeSeconds"] {
            quirks.assumedLifetime =
                value.isNull
                ? nil : Int64(try integer(value, at: path + ".assumedLifetimeSeconds", in: 10...(30 * 86_400)))
        }
        if let value = object["refreshSkewSeconds"] {
            quirks.refreshSkew = Int64(try integer(value, at: path + ".refreshSkewSeconds", in: 0...3600))
        }
        if let value = object["sendResource"] {
            guard let flag = value.boolValue else {
                throw GatewayConfigurationError(path: path + ".sendResource", "must be true or false")
            }
            quirks.sendsResource = flag
        }
        if let value = object["expiredStatuses"] {
            guard let list = value.arrayValue else {
                throw GatewayConfigurationError(path: path + ".expiredStatuses", "must be an array of statuses")
            }
            var statuses: Set<Int> = [401]
            for (index, element) in list.enumerated() {
                statuses.insert(try integer(element, at: "\(path).expiredStatuses[\(index)]", in: 200...599))
            }
            quirks.expiredStatuses = statuses
        }
        if let value = object["expiredBodyPatterns"] {
            let patterns = try strings(value, at: path + ".expiredBodyPatterns")
            for (index, pattern) in patterns.enumerated() where pattern.isEmpty || pattern.count > 200 {
                throw GatewayConfigurationError(
                    path: "\(path).expiredBodyPatterns[\(index)]", "must be 1 to 200 characters")
            }
            quirks.expiredBodyPatterns = patterns
        }
        if let value = object["clientAuthentication"] {
            let text = try string(value, at: path + ".clientAuthentication")
            guard let method = ProviderQuirks.ClientAuthentication(rawValue: text) else {
                throw GatewayConfigurationError(path: path + ".clientAuthentication", "must be \"basic\" or \"body\"")
            }
            quirks.clientAuthentication = method
        }
        return quirks
    }
}

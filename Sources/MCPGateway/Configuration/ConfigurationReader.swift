import MCPCore
import MCPTransport

/// Reads a configuration document member by member, so that every error names its path
/// and unknown keys (usually typos) are refused instead of ignored.
struct ConfigurationReader {
    func read(_ root: JSONValue) throws(GatewayConfigurationError) -> GatewayConfiguration {
        let object = try self.object(root, at: "")
        try refuseUnknown(
            object,
            known: [
                "listen", "upstreams", "servers", "namespacing", "limits", "recovery", "dataDirectory", "policy",
                "audit", "admin", "inspection", "authorization",
            ], at: "")
        var configuration = GatewayConfiguration(upstreams: [])
        if let listen = object["listen"] { configuration.listen = try readListen(listen) }
        if let namespacing = object["namespacing"] { configuration.namespacing = try readNamespacing(namespacing) }
        if let limits = object["limits"] { configuration.limits = try readLimits(limits) }
        if let recovery = object["recovery"] {
            let recoveryObject = try self.object(recovery, at: "recovery")
            try refuseUnknown(recoveryObject, known: ["sessionLostPatterns"], at: "recovery")
            if let patterns = recoveryObject["sessionLostPatterns"] {
                let list = try strings(patterns, at: "recovery.sessionLostPatterns")
                for (index, pattern) in list.enumerated() where pattern.isEmpty {
                    throw GatewayConfigurationError(path: "recovery.sessionLostPatterns[\(index)]", "must not be empty")
                }
                configuration.recovery.sessionLostPatterns = list
            }
        }
        try readGovernance(object, into: &configuration)
        if let authorization = object["authorization"] {
            configuration.authorization = try readAuthorization(authorization)
        }
        if let directory = object["dataDirectory"] {
            let text = try string(directory, at: "dataDirectory")
            guard !text.isEmpty else { throw GatewayConfigurationError(path: "dataDirectory", "must not be empty") }
            configuration.dataDirectory = text
        }
        guard let upstreams = object["upstreams"] else {
            throw GatewayConfigurationError(path: "upstreams", "is required")
        }
        guard let list = upstreams.arrayValue else {
            throw GatewayConfigurationError(path: "upstreams", "must be an array")
        }
        guard !list.isEmpty else {
            throw GatewayConfigurationError(path: "upstreams", "must list at least one upstream")
        }
        guard list.count <= 256 else {
            throw GatewayConfigurationError(path: "upstreams", "must list at most 256 upstreams")
        }
        var names: Set<String> = []
        for (index, element) in list.enumerated() {
            let path = "upstreams[\(index)]"
            let entry = try readUpstream(element, at: path)
            guard names.insert(entry.name).inserted else {
                throw GatewayConfigurationError(path: path + ".name", "duplicates another upstream's name")
            }
            configuration.upstreams.append(entry)
        }
        if configuration.authorization == nil, let index = configuration.upstreams.firstIndex(where: { $0.auth != nil })
        {
            throw GatewayConfigurationError(
                path: "upstreams[\(index)].auth",
                "needs the authorization section (the users, and the master key that seals their credentials)")
        }
        // Two upstreams with the same prefix would expose the same names on purpose only
        // when one of them has none; an equal non-empty prefix is almost surely a mistake.
        var prefixes: [String: Int] = [:]
        for (index, upstream) in configuration.upstreams.enumerated() {
            let prefix = configuration.prefix(of: upstream)
            guard !prefix.isEmpty else { continue }
            if prefixes[prefix] != nil {
                throw GatewayConfigurationError(
                    path: "upstreams[\(index)].prefix", "duplicates another upstream's prefix")
            }
            prefixes[prefix] = index
        }
        if let servers = object["servers"] {
            guard let list = servers.arrayValue else {
                throw GatewayConfigurationError(path: "servers", "must be an array")
            }
            guard list.count <= 256 else {
                throw GatewayConfigurationError(path: "servers", "must list at most 256 servers")
            }
            var paths: Set<String> = [configuration.listen.path]
            var serverNames: Set<String> = []
            for (index, element) in list.enumerated() {
                let server = try readServer(element, at: "servers[\(index)]", upstreams: names)
                guard serverNames.insert(server.name).inserted else {
                    throw GatewayConfigurationError(path: "servers[\(index)].name", "duplicates another server's name")
                }
                guard paths.insert(server.path).inserted else {
                    throw GatewayConfigurationError(path: "servers[\(index)].path", "is already in use")
                }
                configuration.servers.append(server)
            }
        }
        return configuration
    }

    private func readServer(_ value: JSONValue, at path: String, upstreams known: Set<String>)
        throws(GatewayConfigurationError)
        -> GatewayConfiguration.VirtualServer
    {
        let object = try self.object(value, at: path)
        try refuseUnknown(object, known: ["name", "path", "upstreams", "tools", "prompts", "resources"], at: path)
        guard let name = object["name"] else { throw GatewayConfigurationError(path: path + ".name", "is required") }
        let nameText = try string(name, at: path + ".name")
        guard !nameText.isEmpty, nameText.utf8.count <= 64, nameText.utf8.allSatisfy(Self.isNameByte) else {
            throw GatewayConfigurationError(path: path + ".name", "must be 1 to 64 of A-Z a-z 0-9 _ - .")
        }
        guard let serverPath = object["path"] else {
            throw GatewayConfigurationError(path: path + ".path", "is required")
        }
        let pathText = try string(serverPath, at: path + ".path")
        guard pathText.hasPrefix("/"), pathText.utf8.count <= 256, !pathText.contains("?"), !pathText.contains("#")
        else {
            throw GatewayConfigurationError(path: path + ".path", "must be a path starting with /")
        }
        guard !["/healthz", "/readyz", "/metrics", "/sse", "/messages"].contains(pathText) else {
            throw GatewayConfigurationError(path: path + ".path", "is one of the gateway's own paths")
        }
        guard let upstreams = object["upstreams"] else {
            throw GatewayConfigurationError(path: path + ".upstreams", "is required")
        }
        let upstreamNames = try strings(upstreams, at: path + ".upstreams")
        guard !upstreamNames.isEmpty else {
            throw GatewayConfigurationError(path: path + ".upstreams", "must name at least one upstream")
        }
        for (index, upstream) in upstreamNames.enumerated() where !known.contains(upstream) {
            throw GatewayConfigurationError(path: "\(path).upstreams[\(index)]", "is not the name of an upstream")
        }
        guard Set(upstreamNames).count == upstreamNames.count else {
            throw GatewayConfigurationError(path: path + ".upstreams", "names an upstream twice")
        }
        var server = GatewayConfiguration.VirtualServer(name: nameText, path: pathText, upstreams: upstreamNames)
        server.tools = try patterns(object["tools"], at: path + ".tools")
        server.prompts = try patterns(object["prompts"], at: path + ".prompts")
        server.resources = try patterns(object["resources"], at: path + ".resources")
        return server
    }

    private func patterns(_ value: JSONValue?, at path: String) throws(GatewayConfigurationError) -> [String]? {
        guard let value else { return nil }
        let list = try strings(value, at: path)
        guard list.count <= 10_000 else {
            throw GatewayConfigurationError(path: path, "must list at most 10000 patterns")
        }
        for (index, pattern) in list.enumerated() where pattern.isEmpty || pattern.utf8.count > 512 {
            throw GatewayConfigurationError(path: "\(path)[\(index)]", "must be 1 to 512 characters")
        }
        return list
    }

    private func readListen(_ value: JSONValue) throws(GatewayConfigurationError) -> GatewayConfiguration.Listen {
        var listen = GatewayConfiguration.Listen()
        let listenObject = try self.object(value, at: "listen")
        try refuseUnknown(listenObject, known: ["host", "port", "path", "allowedOrigins", "tls"], at: "listen")
        if let tls = listenObject["tls"] {
            let tlsObject = try self.object(tls, at: "listen.tls")
            try refuseUnknown(tlsObject, known: ["certificateFile", "privateKeyFile"], at: "listen.tls")
            guard let certificate = tlsObject["certificateFile"] else {
                throw GatewayConfigurationError(path: "listen.tls.certificateFile", "is required")
            }
            guard let key = tlsObject["privateKeyFile"] else {
                throw GatewayConfigurationError(path: "listen.tls.privateKeyFile", "is required")
            }
            let certificateFile = try string(certificate, at: "listen.tls.certificateFile")
            let keyFile = try string(key, at: "listen.tls.privateKeyFile")
            guard !certificateFile.isEmpty, !keyFile.isEmpty else {
                throw GatewayConfigurationError(path: "listen.tls", "needs both files")
            }
            listen.tls = TLSConfiguration(certificateChainFile: certificateFile, privateKeyFile: keyFile)
        }
        if let host = listenObject["host"] { listen.host = try string(host, at: "listen.host") }
        if let port = listenObject["port"] {
            let value = try integer(port, at: "listen.port")
            guard (0...65535).contains(value) else {
                throw GatewayConfigurationError(path: "listen.port", "must be between 0 and 65535")
            }
            listen.port = UInt16(value)
        }
        if let path = listenObject["path"] {
            let text = try string(path, at: "listen.path")
            guard text.hasPrefix("/") else { throw GatewayConfigurationError(path: "listen.path", "must start with /") }
            guard !["/healthz", "/readyz", "/metrics", "/sse", "/messages"].contains(text) else {
                throw GatewayConfigurationError(path: "listen.path", "is one of the gateway's own paths")
            }
            listen.path = text
        }
        if let origins = listenObject["allowedOrigins"] {
            listen.allowedOrigins = try strings(origins, at: "listen.allowedOrigins")
        }
        return listen
    }

    private func readNamespacing(_ value: JSONValue) throws(GatewayConfigurationError)
        -> GatewayConfiguration.Namespacing
    {
        var namespacing = GatewayConfiguration.Namespacing()
        let object = try self.object(value, at: "namespacing")
        try refuseUnknown(object, known: ["separator", "onCollision"], at: "namespacing")
        if let separator = object["separator"] {
            let text = try string(separator, at: "namespacing.separator")
            guard !text.isEmpty, text.utf8.count <= 8, text.utf8.allSatisfy(Self.isNameByte) else {
                throw GatewayConfigurationError(
                    path: "namespacing.separator",
                    "must be 1 to 8 of the characters a tool name may hold (A-Z a-z 0-9 _ - .)")
            }
            namespacing.separator = text
        }
        if let rule = object["onCollision"] {
            let text = try string(rule, at: "namespacing.onCollision")
            guard let parsed = GatewayConfiguration.CollisionRule(rawValue: text) else {
                throw GatewayConfigurationError(path: "namespacing.onCollision", "must be \"first\" or \"hide\"")
            }
            namespacing.onCollision = parsed
        }
        return namespacing
    }

    private func readLimits(_ value: JSONValue) throws(GatewayConfigurationError) -> GatewayConfiguration.Limits {
        var limits = GatewayConfiguration.Limits()
        let object = try self.object(value, at: "limits")
        try refuseUnknown(
            object, known: ["maxInFlightPerUpstream", "maxListItems", "pageSize", "maxUserSessionsPerUpstream"],
            at: "limits")
        if let value = object["maxUserSessionsPerUpstream"] {
            limits.maxUserSessionsPerUpstream = try integer(
                value, at: "limits.maxUserSessionsPerUpstream", in: 1...100_000)
        }
        if let value = object["maxInFlightPerUpstream"] {
            limits.maxInFlightPerUpstream = try integer(value, at: "limits.maxInFlightPerUpstream", in: 1...100_000)
        }
        if let value = object["maxListItems"] {
            limits.maxListItems = try integer(value, at: "limits.maxListItems", in: 1...1_000_000)
        }
        if let value = object["pageSize"] {
            limits.pageSize = try integer(value, at: "limits.pageSize", in: 1...10_000)
        }
        return limits
    }

    private func readUpstream(_ element: JSONValue, at path: String) throws(GatewayConfigurationError)
        -> GatewayConfiguration.Upstream
    {
        let upstream = try self.object(element, at: path)
        try refuseUnknown(
            upstream,
            known: [
                "name", "command", "args", "env", "workingDirectory", "url", "transport", "prefix", "revision",
                "headers",
                "timeoutSeconds", "auth",
            ], at: path)
        guard let name = upstream["name"] else { throw GatewayConfigurationError(path: path + ".name", "is required") }
        let nameText = try string(name, at: path + ".name")
        guard !nameText.isEmpty, nameText.utf8.count <= 64, nameText.utf8.allSatisfy(Self.isNameByte) else {
            throw GatewayConfigurationError(path: path + ".name", "must be 1 to 64 of A-Z a-z 0-9 _ - .")
        }
        let endpoint: GatewayConfiguration.UpstreamEndpoint
        switch (upstream["command"], upstream["url"]) {
        case (nil, nil):
            throw GatewayConfigurationError(path: path + ".command", "is required (or url, for an upstream over HTTP)")
        case (.some, .some):
            throw GatewayConfigurationError(path: path + ".url", "cannot be set together with command")
        case (.some(let command), nil):
            for key in ["transport", "headers", "auth"] where upstream[key] != nil {
                throw GatewayConfigurationError(path: "\(path).\(key)", "applies only to upstreams over HTTP")
            }
            let commandText = try string(command, at: path + ".command")
            guard !commandText.isEmpty else {
                throw GatewayConfigurationError(path: path + ".command", "must not be empty")
            }
            var args: [String] = []
            if let value = upstream["args"] { args = try strings(value, at: path + ".args") }
            var env: [String: String]?
            if let value = upstream["env"] {
                let envObject = try self.object(value, at: path + ".env")
                var values: [String: String] = [:]
                for (key, value) in envObject { values[key] = try string(value, at: "\(path).env.\(key)") }
                env = values
            }
            var directory: String?
            if let value = upstream["workingDirectory"] {
                directory = try string(value, at: path + ".workingDirectory")
            }
            endpoint = .stdio(command: commandText, args: args, env: env, workingDirectory: directory)
        case (nil, .some(let url)):
            for key in ["args", "env", "workingDirectory"] where upstream[key] != nil {
                throw GatewayConfigurationError(path: "\(path).\(key)", "applies only to upstreams run over stdio")
            }
            let urlText = try string(url, at: path + ".url")
            guard urlText.hasPrefix("http://") || urlText.hasPrefix("https://"), urlText.utf8.count > 8 else {
                throw GatewayConfigurationError(path: path + ".url", "must be an http:// or https:// URL")
            }
            var transport = "streamable-http"
            if let value = upstream["transport"] { transport = try string(value, at: path + ".transport") }
            switch transport {
            case "streamable-http": endpoint = .streamableHTTP(url: urlText)
            case "sse": endpoint = .legacySSE(url: urlText)
            default:
                throw GatewayConfigurationError(path: path + ".transport", "must be \"streamable-http\" or \"sse\"")
            }
        }
        var entry = GatewayConfiguration.Upstream(name: nameText, endpoint: endpoint)
        if let value = upstream["prefix"] {
            let text = try string(value, at: path + ".prefix")
            guard text.utf8.count <= 64, text.utf8.allSatisfy(Self.isNameByte) else {
                throw GatewayConfigurationError(path: path + ".prefix", "must be at most 64 of A-Z a-z 0-9 _ - .")
            }
            entry.prefix = text
        }
        if let value = upstream["revision"] {
            let text = try string(value, at: path + ".revision")
            if text == "auto" {
                entry.probesRevision = true
            } else {
                guard let revision = ProtocolRevision(rawValue: text) else {
                    throw GatewayConfigurationError(
                        path: path + ".revision",
                        "must be \"auto\" or one of \(ProtocolRevision.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                entry.revision = revision
            }
        }
        if let value = upstream["headers"] {
            let headersObject = try self.object(value, at: path + ".headers")
            for (key, value) in headersObject {
                let text = try string(value, at: "\(path).headers.\(key)")
                guard !key.isEmpty, key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: ":") }),
                    text.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7F })
                else {
                    throw GatewayConfigurationError(path: "\(path).headers.\(key)", "is not a valid header field")
                }
                entry.headers[key] = text
            }
        }
        if let timeout = upstream["timeoutSeconds"] {
            guard let seconds = timeout.numberValue?.doubleValue, seconds > 0, seconds <= 3600 else {
                throw GatewayConfigurationError(
                    path: path + ".timeoutSeconds", "must be a number of seconds between 0 and 3600")
            }
            entry.timeoutSeconds = seconds
        }
        if let auth = upstream["auth"] {
            guard case .streamableHTTP = entry.endpoint else {
                throw GatewayConfigurationError(path: path + ".auth", "applies only to upstreams over Streamable HTTP")
            }
            entry.auth = try readUpstreamAuth(auth, at: path + ".auth")
        }
        return entry
    }

    /// The bytes MCP allows in a tool name.
    static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            return true
        default:
            return false
        }
    }

    func object(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> JSONObject {
        guard let object = value.objectValue else {
            throw GatewayConfigurationError(path: path, "must be an object, not \(value.kindName)")
        }
        return object
    }

    func string(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> String {
        guard let string = value.stringValue else {
            throw GatewayConfigurationError(path: path, "must be a string, not \(value.kindName)")
        }
        return string
    }

    func strings(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> [String] {
        guard let array = value.arrayValue else {
            throw GatewayConfigurationError(path: path, "must be an array of strings, not \(value.kindName)")
        }
        var result: [String] = []
        for (index, element) in array.enumerated() { result.append(try string(element, at: "\(path)[\(index)]")) }
        return result
    }

    func integer(_ value: JSONValue, at path: String, in range: ClosedRange<Int>? = nil)
        throws(GatewayConfigurationError) -> Int
    {
        guard let number = value.numberValue?.int64Value, let integer = Int(exactly: number) else {
            throw GatewayConfigurationError(path: path, "must be an integer")
        }
        if let range, !range.contains(integer) {
            throw GatewayConfigurationError(path: path, "must be between \(range.lowerBound) and \(range.upperBound)")
        }
        return integer
    }

    func refuseUnknown(_ object: JSONObject, known: Set<String>, at path: String) throws(GatewayConfigurationError) {
        for key in object.keys where !known.contains(key) {
            throw GatewayConfigurationError(path: path.isEmpty ? key : "\(path).\(key)", "is not a known setting")
        }
    }
}

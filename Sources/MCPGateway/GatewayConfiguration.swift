import MCPCore

/// The gateway's configuration: one JSON document, checked fully at start.
///
/// ```json
/// {
///   "listen": { "host": "127.0.0.1", "port": 8080, "path": "/mcp" },
///   "upstreams": [
///     { "name": "example", "command": "mcp-example-server", "args": [], "timeoutSeconds": 30 }
///   ]
/// }
/// ```
public struct GatewayConfiguration: Sendable, Hashable {
    /// Where the gateway listens.
    public struct Listen: Sendable, Hashable {
        /// The numeric address; loopback by default.
        public var host: String = "127.0.0.1"
        /// The port; 0 picks a free one.
        public var port: UInt16 = 8080
        /// The path of the MCP endpoint.
        public var path: String = "/mcp"
        /// Browser origins allowed besides loopback ones.
        public var allowedOrigins: [String] = []

        /// Creates listener settings.
        public init(host: String = "127.0.0.1", port: UInt16 = 8080, path: String = "/mcp", allowedOrigins: [String] = []) {
            self.host = host
            self.port = port
            self.path = path
            self.allowedOrigins = allowedOrigins
        }
    }

    /// An MCP server behind the gateway, started as a child process speaking stdio.
    public struct Upstream: Sendable, Hashable {
        /// A short name, unique among upstreams.
        public var name: String
        /// The program.
        public var command: String
        /// Its arguments.
        public var args: [String] = []
        /// Its environment; `nil` inherits the gateway's.
        public var env: [String: String]?
        /// Its working directory.
        public var workingDirectory: String?
        /// The longest a request may wait for the upstream's answer.
        public var timeoutSeconds: Double = 30

        /// Creates upstream settings.
        public init(
            name: String, command: String, args: [String] = [], env: [String: String]? = nil, workingDirectory: String? = nil,
            timeoutSeconds: Double = 30
        ) {
            self.name = name
            self.command = command
            self.args = args
            self.env = env
            self.workingDirectory = workingDirectory
            self.timeoutSeconds = timeoutSeconds
        }
    }

    /// Where the gateway listens.
    public var listen = Listen()
    /// The upstream servers.
    public var upstreams: [Upstream] = []

    /// Creates a configuration.
    public init(listen: Listen = Listen(), upstreams: [Upstream]) {
        self.listen = listen
        self.upstreams = upstreams
    }

    /// Reads and checks a configuration document.
    ///
    /// - Parameter bytes: the JSON text.
    /// - Throws: ``GatewayConfigurationError`` naming the key path of the first problem.
    public init(parsing bytes: [UInt8]) throws(GatewayConfigurationError) {
        let root: JSONValue
        do {
            root = try JSONParser(limits: JSONLimits(maxBytes: 1 << 20)).parse(bytes)
        } catch {
            throw GatewayConfigurationError(path: "", "not valid JSON: \(error)")
        }
        let reader = ConfigurationReader()
        self = try reader.read(root)
    }
}

/// A problem in the configuration, with the key path where it is.
public struct GatewayConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The key path, such as `upstreams[0].command`; empty for the document itself.
    public let path: String
    /// What is wrong.
    public let message: String

    init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `"<path>: <message>"`.
    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Reads a configuration document member by member, so that every error names its path
/// and unknown keys (usually typos) are refused instead of ignored.
struct ConfigurationReader {
    func read(_ root: JSONValue) throws(GatewayConfigurationError) -> GatewayConfiguration {
        let object = try self.object(root, at: "")
        try refuseUnknown(object, known: ["listen", "upstreams"], at: "")
        var configuration = GatewayConfiguration(upstreams: [])
        if let listen = object["listen"] {
            let listenObject = try self.object(listen, at: "listen")
            try refuseUnknown(listenObject, known: ["host", "port", "path", "allowedOrigins"], at: "listen")
            if let host = listenObject["host"] { configuration.listen.host = try string(host, at: "listen.host") }
            if let port = listenObject["port"] {
                let value = try integer(port, at: "listen.port")
                guard (0...65535).contains(value) else {
                    throw GatewayConfigurationError(path: "listen.port", "must be between 0 and 65535")
                }
                configuration.listen.port = UInt16(value)
            }
            if let path = listenObject["path"] {
                let text = try string(path, at: "listen.path")
                guard text.hasPrefix("/") else { throw GatewayConfigurationError(path: "listen.path", "must start with /") }
                configuration.listen.path = text
            }
            if let origins = listenObject["allowedOrigins"] {
                configuration.listen.allowedOrigins = try strings(origins, at: "listen.allowedOrigins")
            }
        }
        guard let upstreams = object["upstreams"] else {
            throw GatewayConfigurationError(path: "upstreams", "is required")
        }
        guard let list = upstreams.arrayValue else {
            throw GatewayConfigurationError(path: "upstreams", "must be an array")
        }
        var names: Set<String> = []
        for (index, element) in list.enumerated() {
            let path = "upstreams[\(index)]"
            let upstream = try self.object(element, at: path)
            try refuseUnknown(upstream, known: ["name", "command", "args", "env", "workingDirectory", "timeoutSeconds"], at: path)
            guard let name = upstream["name"] else { throw GatewayConfigurationError(path: path + ".name", "is required") }
            guard let command = upstream["command"] else { throw GatewayConfigurationError(path: path + ".command", "is required") }
            var entry = GatewayConfiguration.Upstream(
                name: try string(name, at: path + ".name"), command: try string(command, at: path + ".command"))
            guard !entry.name.isEmpty, entry.name.utf8.allSatisfy({ $0 >= 0x21 && $0 < 0x7F && $0 != UInt8(ascii: "/") }) else {
                throw GatewayConfigurationError(path: path + ".name", "must be non-empty printable ASCII without spaces or /")
            }
            guard names.insert(entry.name).inserted else {
                throw GatewayConfigurationError(path: path + ".name", "duplicates another upstream's name")
            }
            guard !entry.command.isEmpty else { throw GatewayConfigurationError(path: path + ".command", "must not be empty") }
            if let args = upstream["args"] { entry.args = try strings(args, at: path + ".args") }
            if let env = upstream["env"] {
                let envObject = try self.object(env, at: path + ".env")
                var values: [String: String] = [:]
                for (key, value) in envObject { values[key] = try string(value, at: "\(path).env.\(key)") }
                entry.env = values
            }
            if let directory = upstream["workingDirectory"] {
                entry.workingDirectory = try string(directory, at: path + ".workingDirectory")
            }
            if let timeout = upstream["timeoutSeconds"] {
                guard let seconds = timeout.numberValue?.doubleValue, seconds > 0, seconds <= 3600 else {
                    throw GatewayConfigurationError(path: path + ".timeoutSeconds", "must be a number of seconds between 0 and 3600")
                }
                entry.timeoutSeconds = seconds
            }
            configuration.upstreams.append(entry)
        }
        guard configuration.upstreams.count == 1 else {
            throw GatewayConfigurationError(
                path: "upstreams", "must list exactly one upstream: this version fronts one server in pass-through mode")
        }
        return configuration
    }

    private func object(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> JSONObject {
        guard let object = value.objectValue else {
            throw GatewayConfigurationError(path: path, "must be an object, not \(value.kindName)")
        }
        return object
    }

    private func string(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> String {
        guard let string = value.stringValue else {
            throw GatewayConfigurationError(path: path, "must be a string, not \(value.kindName)")
        }
        return string
    }

    private func strings(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> [String] {
        guard let array = value.arrayValue else {
            throw GatewayConfigurationError(path: path, "must be an array of strings, not \(value.kindName)")
        }
        var result: [String] = []
        for (index, element) in array.enumerated() { result.append(try string(element, at: "\(path)[\(index)]")) }
        return result
    }

    private func integer(_ value: JSONValue, at path: String) throws(GatewayConfigurationError) -> Int {
        guard let number = value.numberValue?.int64Value, let integer = Int(exactly: number) else {
            throw GatewayConfigurationError(path: path, "must be an integer")
        }
        return integer
    }

    private func refuseUnknown(_ object: JSONObject, known: Set<String>, at path: String) throws(GatewayConfigurationError) {
        for key in object.keys where !known.contains(key) {
            throw GatewayConfigurationError(path: path.isEmpty ? key : "\(path).\(key)", "is not a known setting")
        }
    }
}

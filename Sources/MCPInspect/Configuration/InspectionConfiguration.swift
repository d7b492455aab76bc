public import MCPCore
public import MCPCrypto

/// The whole inspection configuration, as a gateway's configuration file holds it.
///
/// ```json
/// {
///   "detectors": {
///     "email": "redact",
///     "aws-access-key-id": {"request": "block", "result": "redact"},
///     "phone-number": "off",
///     "instruction-phrase": {"result": "taint:untrusted-content"}
///   },
///   "options": {"allowedLinkDomains": ["example.com"], "knownToolNames": ["send_email"]},
///   "blockingLimit": 1048576,
///   "pinning": {"pinOnFirstSight": true},
///   "flows": {"mail/read_inbox": ["reads-private-data"], "*/fetch": ["ingests-untrusted-content"]}
/// }
/// ```
///
/// Every member is optional; detectors not named keep ``InspectionRules/default``. An
/// action is `flag`, `redact`, `block`, `taint:<label>` or `off`, for every direction
/// or per direction (`request`, `result`, `toolDefinition`). Unknown members are errors.
public struct InspectionConfiguration: Sendable, Hashable {
    /// The action of every detector in every direction.
    public var rules: InspectionRules
    /// The detectors' parameters and the scan bounds.
    public var options: InspectionOptions
    /// The largest message a blocking rule may buffer, in bytes. 1 MiB by default.
    public var blockingLimit: Int
    /// Whether a tool seen for the first time is pinned as approved.
    public var pinOnFirstSight: Bool
    /// The capabilities of labelled tools, for toxic-flow tracking.
    public var toolLabels: ToolLabels

    /// The defaults.
    public init() {
        rules = .default
        options = InspectionOptions()
        blockingLimit = 1 << 20
        pinOnFirstSight = true
        toolLabels = ToolLabels()
    }

    /// Parses a configuration document.
    ///
    /// - Parameter bytes: JSON text.
    /// - Throws: `InspectError` with code `invalidConfiguration`, whose message names the
    ///   key path of the first problem (such as `$.detectors.emial`).
    public init(parsing bytes: some Collection<UInt8>) throws(InspectError) {
        let value: JSONValue
        do {
            value = try JSONParser().parse(bytes)
        } catch {
            throw InspectError(.invalidConfiguration, message: "$: not valid JSON (\(error.code))")
        }
        try self.init(json: value)
    }

    /// Reads a configuration from a parsed JSON value.
    ///
    /// - Parameters:
    ///   - json: The configuration object.
    ///   - path: The key path of `json` in a larger document, for error messages.
    /// - Throws: `InspectError` with code `invalidConfiguration` naming the key path.
    public init(json: JSONValue, path: String = "$") throws(InspectError) {
        self.init()
        let root = try Self.object(json, path)
        for (key, value) in root {
            let keyPath = "\(path).\(key)"
            switch key {
            case "detectors":
                for (name, setting) in try Self.object(value, keyPath) {
                    guard let detector = DetectorID(name: name) else {
                        throw Self.error("\(keyPath).\(name)", "unknown detector")
                    }
                    try applyDetectorSetting(setting, detector: detector, path: "\(keyPath).\(name)")
                }
            case "options":
                try readOptions(value, keyPath)
            case "blockingLimit":
                blockingLimit = try Self.integer(value, keyPath, in: 1...(1 << 30))
            case "pinning":
                for (member, setting) in try Self.object(value, keyPath) {
                    guard member == "pinOnFirstSight", let flag = setting.boolValue else {
                        throw Self.error(
                            "\(keyPath).\(member)",
                            member == "pinOnFirstSight" ? "expected a boolean" : "unknown member")
                    }
                    pinOnFirstSight = flag
                }
            case "flows":
                for (tool, labels) in try Self.object(value, keyPath) {
                    let toolPath = "\(keyPath).\(tool)"
                    let parts = tool.split(separator: "/", maxSplits: 1).map(String.init)
                    guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                        throw Self.error(toolPath, "expected server/tool (or */tool)")
                    }
                    guard let list = labels.arrayValue else {
                        throw Self.error(toolPath, "expected an array of labels")
                    }
                    var capabilities: ToolCapabilities = []
                    for (index, label) in list.enumerated() {
                        guard let text = label.stringValue, let capability = ToolCapabilities(label: text) else {
                            throw Self.error(
                                "\(toolPath)[\(index)]",
                                "expected reads-private-data, ingests-untrusted-content or sends-data-out")
                        }
                        capabilities.formUnion(capability)
                    }
                    toolLabels.label(capabilities, tool: parts[1], server: parts[0])
                }
            default:
                throw Self.error(keyPath, "unknown member")
            }
        }
    }

    /// Makes the inspector this configuration describes.
    ///
    /// - Parameter fingerprintKey: The HMAC key of fingerprints; random by default.
    /// - Returns: An inspector.
    /// - Throws: `InspectError` when an option is out of range.
    public func makeInspector(fingerprintKey: SymmetricKey? = nil) throws(InspectError) -> Inspector {
        try Inspector(rules: rules, options: options, fingerprintKey: fingerprintKey)
    }

    private mutating func applyDetectorSetting(_ setting: JSONValue, detector: DetectorID, path: String)
        throws(InspectError)
    {
        if let text = setting.stringValue {
            let action = try Self.action(text, path)
            for direction in Direction.allCases { rules.setAction(action, for: detector, in: direction) }
            return
        }
        for (member, value) in try Self.object(setting, path) {
            guard let direction = Direction(rawValue: member) else {
                throw Self.error("\(path).\(member)", "expected request, result or toolDefinition")
            }
            guard let text = value.stringValue else { throw Self.error("\(path).\(member)", "expected an action") }
            rules.setAction(try Self.action(text, "\(path).\(member)"), for: detector, in: direction)
        }
    }

    private mutating func readOptions(_ value: JSONValue, _ path: String) throws(InspectError) {
        for (key, member) in try Self.object(value, path) {
            let keyPath = "\(path).\(key)"
            switch key {
            case "maximumMatchLength":
                options.maximumMatchLength = try Self.integer(member, keyPath, in: 8192...(1 << 24))
            case "sliceLength": options.sliceLength = try Self.integer(member, keyPath, in: 64...(1 << 24))
            case "minimumQueryValueLength":
                options.minimumQueryValueLength = try Self.integer(member, keyPath, in: 1...4096)
            case "minimumBase64Length":
                options.minimumBase64Length = try Self.integer(member, keyPath, in: 16...(1 << 24))
            case "minimumSecretEntropy":
                guard let number = member.numberValue?.doubleValue, number >= 0, number <= 8 else {
                    throw Self.error(keyPath, "expected a number from 0 to 8")
                }
                options.minimumSecretEntropy = number
            case "allowedLinkDomains": options.allowedLinkDomains = try Self.strings(member, keyPath)
            case "knownToolNames": options.knownToolNames = try Self.strings(member, keyPath)
            default: throw Self.error(keyPath, "unknown member")
            }
        }
        do {
            try options.validate()
        } catch {
            throw Self.error(path, error.message)
        }
    }

    private static func action(_ text: String, _ path: String) throws(InspectError) -> InspectionAction? {
        switch text {
        case "off": return nil
        case "flag": return .flag
        case "redact": return .redact
        case "block": return .block
        default:
            if text.hasPrefix("taint:"), text.count > 6 { return .taint(String(text.dropFirst(6))) }
            throw error(path, "expected flag, redact, block, taint:<label> or off")
        }
    }

    private static func object(_ value: JSONValue, _ path: String) throws(InspectError) -> JSONObject {
        guard let object = value.objectValue else { throw error(path, "expected an object") }
        return object
    }

    private static func integer(_ value: JSONValue, _ path: String, in range: ClosedRange<Int>) throws(InspectError)
        -> Int
    {
        guard let number = value.numberValue?.int64Value, let integer = Int(exactly: number), range.contains(integer)
        else {
            throw error(path, "expected an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return integer
    }

    private static func strings(_ value: JSONValue, _ path: String) throws(InspectError) -> [String] {
        guard let array = value.arrayValue else { throw error(path, "expected an array of strings") }
        var strings: [String] = []
        for (index, element) in array.enumerated() {
            guard let text = element.stringValue else { throw error("\(path)[\(index)]", "expected a string") }
            strings.append(text)
        }
        return strings
    }

    private static func error(_ path: String, _ message: String) -> InspectError {
        InspectError(.invalidConfiguration, message: "\(path): \(message)")
    }
}

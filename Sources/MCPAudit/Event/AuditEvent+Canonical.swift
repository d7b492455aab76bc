public import MCPCore

// The canonical form of an event, which the chain hashes.
//
// Rules (stable; changing any of them changes every hash):
// - The event is a JSON object (RFC 8259) written as UTF-8 with no white space between
//   tokens. Object members are ordered by the UTF-8 bytes of their keys, at every depth,
//   including inside `redactedArguments` and `details`.
// - Absent optional fields are left out; arrays (`teams`, `ruleIds`, `findings`) are
//   always written, possibly empty, in the order given.
// - Integers (`time`, `bytesIn`, `bytesOut`, `durationMicros`, `errorCode`) are written
//   in decimal with no sign for positives, no leading zeros, no fraction or exponent.
//   Numbers inside `redactedArguments` and `details` keep the exact text they were given.
// - Strings escape only `"`, `\` and control characters (`\n`, `\r`, `\t`, `\b`, `\f`,
//   else `\u00XX` in lower-case hexadecimal); every other character is its UTF-8 bytes.
//   No Unicode normalization is applied.
//
// Members: `action` {`argumentsDigest`, `method`, `redactedArguments`, `target`,
// `upstream`}, `actor` {`clientId`, `organization`, `subject`, `teams`,
// `upstreamCredential`}, `category`, `decision` {`effect`, `ruleIds`}, `details`,
// `findings` [{`action`, `detector`, `fingerprint`}], `outcome` {`bytesIn`, `bytesOut`,
// `durationMicros`, `errorCode`, `status`}, `requestId`, `time`, `traceId`.

extension AuditEvent {
    /// The canonical bytes of the event: compact JSON with sorted keys and exact integers.
    ///
    /// Written directly, member by member in sorted order (the same bytes as serializing
    /// ``jsonValue`` with sorted keys, without building the tree): appenders compute them
    /// on every call.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalWriter()
        writer.output.reserveCapacity(512)
        writer.open()
        writer.key("action")
        writer.open()
        writer.member("argumentsDigest", action.argumentsDigest)
        writer.member("method", action.method)
        if let arguments = action.redactedArguments {
            writer.key("redactedArguments")
            writer.value(arguments)
        }
        writer.member("target", action.target)
        writer.member("upstream", action.upstream)
        writer.close()
        writer.key("actor")
        writer.open()
        writer.member("clientId", actor.clientID)
        writer.member("organization", actor.organization)
        writer.member("subject", actor.subject)
        writer.member("teams", strings: actor.teams)
        writer.member("upstreamCredential", actor.upstreamCredential)
        writer.close()
        writer.member("category", category)
        if let decision {
            writer.key("decision")
            writer.open()
            writer.member("effect", decision.effect)
            writer.member("ruleIds", strings: decision.ruleIDs)
            writer.close()
        }
        if let details {
            writer.key("details")
            writer.value(details)
        }
        writer.key("findings")
        writer.output.append(UInt8(ascii: "["))
        for (index, finding) in findings.enumerated() {
            if index > 0 { writer.output.append(UInt8(ascii: ",")) }
            writer.open()
            writer.member("action", finding.action)
            writer.member("detector", finding.detector)
            writer.member("fingerprint", finding.fingerprint)
            writer.close()
        }
        writer.output.append(UInt8(ascii: "]"))
        writer.needsComma = true
        if let outcome {
            writer.key("outcome")
            writer.open()
            writer.member("bytesIn", integer: outcome.bytesIn)
            writer.member("bytesOut", integer: outcome.bytesOut)
            writer.member("durationMicros", integer: outcome.durationMicroseconds)
            if let errorCode = outcome.errorCode { writer.member("errorCode", integer: errorCode) }
            writer.member("status", outcome.status)
            writer.close()
        }
        writer.member("requestId", requestID)
        writer.member("time", integer: time.microsecondsSinceEpoch)
        writer.member("traceId", traceID)
        writer.close()
        return writer.output
    }

    /// The event as a JSON value (members in canonical order once serialized with sorted
    /// keys).
    public var jsonValue: JSONValue {
        var object = JSONObject()
        var actorObject = JSONObject()
        actorObject["subject"] = actor.subject.map(JSONValue.string)
        actorObject["organization"] = actor.organization.map(JSONValue.string)
        actorObject["teams"] = .array(actor.teams.map(JSONValue.string))
        actorObject["clientId"] = actor.clientID.map(JSONValue.string)
        actorObject["upstreamCredential"] = actor.upstreamCredential.map(JSONValue.string)
        object["actor"] = .object(actorObject)

        var actionObject = JSONObject()
        actionObject["method"] = action.method.map(JSONValue.string)
        actionObject["upstream"] = action.upstream.map(JSONValue.string)
        actionObject["target"] = action.target.map(JSONValue.string)
        actionObject["argumentsDigest"] = action.argumentsDigest.map(JSONValue.string)
        actionObject["redactedArguments"] = action.redactedArguments
        object["action"] = .object(actionObject)

        object["category"] = .string(category)
        if let decision {
            object["decision"] = [
                "effect": .string(decision.effect), "ruleIds": .array(decision.ruleIDs.map(JSONValue.string)),
            ]
        }
        object["details"] = details
        object["findings"] = .array(
            findings.map { finding in
                [
                    "action": .string(finding.action), "detector": .string(finding.detector),
                    "fingerprint": .string(finding.fingerprint),
                ]
            })
        if let outcome {
            var outcomeObject = JSONObject()
            outcomeObject["status"] = .string(outcome.status)
            outcomeObject["errorCode"] = outcome.errorCode.map { .number(JSONNumber($0)) }
            outcomeObject["bytesIn"] = .number(JSONNumber(outcome.bytesIn))
            outcomeObject["bytesOut"] = .number(JSONNumber(outcome.bytesOut))
            outcomeObject["durationMicros"] = .number(JSONNumber(outcome.durationMicroseconds))
            object["outcome"] = .object(outcomeObject)
        }
        object["requestId"] = requestID.map(JSONValue.string)
        object["time"] = .number(JSONNumber(time.microsecondsSinceEpoch))
        object["traceId"] = traceID.map(JSONValue.string)
        return .object(object)
    }

    /// Reads an event from its JSON form (as ``jsonValue`` writes it).
    ///
    /// Unknown members are refused, so that nothing a producer sends is silently left
    /// out of the hashed record.
    ///
    /// - Parameters:
    ///   - json: the JSON object.
    ///   - defaultTime: the time to use when the object has no `time` member; when `nil`,
    ///     `time` is required.
    /// - Throws: ``AuditError`` with ``AuditError/Code/invalidEvent`` naming the member
    ///   path that is missing, unknown or of the wrong type (never its value).
    public init(json: JSONValue, defaultTime: AuditTime? = nil) throws(AuditError) {
        let root = try EventReader(json, path: "event")
        try root.allow(
            [
                "action", "actor", "category", "decision", "details", "findings", "outcome", "requestId", "time",
                "traceId",
            ])
        let time: AuditTime
        if let micros = try root.integer("time") {
            time = AuditTime(microsecondsSinceEpoch: micros)
        } else if let defaultTime {
            time = defaultTime
        } else {
            throw AuditError(.invalidEvent, message: "event.time is missing")
        }
        var actor = Actor()
        if let reader = try root.object("actor") {
            try reader.allow(["clientId", "organization", "subject", "teams", "upstreamCredential"])
            actor = Actor(
                subject: try reader.string("subject"), organization: try reader.string("organization"),
                teams: try reader.strings("teams"), clientID: try reader.string("clientId"),
                upstreamCredential: try reader.string("upstreamCredential"))
        }
        var action = Action()
        if let reader = try root.object("action") {
            try reader.allow(["argumentsDigest", "method", "redactedArguments", "target", "upstream"])
            action = Action(
                method: try reader.string("method"), upstream: try reader.string("upstream"),
                target: try reader.string("target"), argumentsDigest: try reader.string("argumentsDigest"),
                redactedArguments: reader.value("redactedArguments"))
        }
        var decision: Decision?
        if let reader = try root.object("decision") {
            try reader.allow(["effect", "ruleIds"])
            decision = Decision(effect: try reader.requiredString("effect"), ruleIDs: try reader.strings("ruleIds"))
        }
        var findings: [Finding] = []
        for (index, element) in try root.array("findings").enumerated() {
            let reader = try EventReader(element, path: "event.findings[\(index)]")
            try reader.allow(["action", "detector", "fingerprint"])
            findings.append(
                Finding(
                    detector: try reader.requiredString("detector"), action: try reader.requiredString("action"),
                    fingerprint: try reader.requiredString("fingerprint")))
        }
        var outcome: Outcome?
        if let reader = try root.object("outcome") {
            try reader.allow(["bytesIn", "bytesOut", "durationMicros", "errorCode", "status"])
            outcome = Outcome(
                status: try reader.requiredString("status"), errorCode: try reader.integer("errorCode"),
                bytesIn: try reader.integer("bytesIn") ?? 0, bytesOut: try reader.integer("bytesOut") ?? 0,
                durationMicroseconds: try reader.integer("durationMicros") ?? 0)
        }
        self.init(
            category: try root.string("category") ?? "call", time: time, actor: actor, action: action,
            decision: decision, findings: findings, outcome: outcome, requestID: try root.string("requestId"),
            traceID: try root.string("traceId"), details: root.value("details"))
    }
}

/// Reads the members of one JSON object of an event, naming the path of a bad member.
struct EventReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, path: String) throws(AuditError) {
        guard let object = value.objectValue else {
            throw AuditError(.invalidEvent, message: "\(path) is a \(value.kindName), not an object")
        }
        self.object = object
        self.path = path
    }

    func allow(_ names: Set<String>) throws(AuditError) {
        for key in object.keys where !names.contains(key) {
            throw AuditError(.invalidEvent, message: "\(path) has an unknown member \(Self.safeName(key))")
        }
    }

    func value(_ name: String) -> JSONValue? {
        guard let value = object[name], !value.isNull else { return nil }
        return value
    }

    func string(_ name: String) throws(AuditError) -> String? {
        guard let value = value(name) else { return nil }
        guard let string = value.stringValue else {
            throw AuditError(.invalidEvent, message: "\(path).\(name) is a \(value.kindName), not a string")
        }
        return string
    }

    func requiredString(_ name: String) throws(AuditError) -> String {
        guard let string = try string(name) else {
            throw AuditError(.invalidEvent, message: "\(path).\(name) is missing")
        }
        return string
    }

    func integer(_ name: String) throws(AuditError) -> Int64? {
        guard let value = value(name) else { return nil }
        guard let number = value.numberValue, number.isIntegerLiteral, let integer = number.int64Value else {
            throw AuditError(.invalidEvent, message: "\(path).\(name) is not an exact 64-bit integer")
        }
        return integer
    }

    func object(_ name: String) throws(AuditError) -> EventReader? {
        guard let value = value(name) else { return nil }
        return try EventReader(value, path: "\(path).\(name)")
    }

    func array(_ name: String) throws(AuditError) -> [JSONValue] {
        guard let value = value(name) else { return [] }
        guard let array = value.arrayValue else {
            throw AuditError(.invalidEvent, message: "\(path).\(name) is a \(value.kindName), not an array")
        }
        return array
    }

    func strings(_ name: String) throws(AuditError) -> [String] {
        var result: [String] = []
        for (index, element) in try array(name).enumerated() {
            guard let string = element.stringValue else {
                throw AuditError(.invalidEvent, message: "\(path).\(name)[\(index)] is not a string")
            }
            result.append(string)
        }
        return result
    }

    /// A name fit for an error message: a short identifier (letters, digits, `_`, `-`,
    /// `.`), else elided, so that nothing resembling a value or a token is echoed.
    static func safeName(_ name: String) -> String {
        let identifier =
            !name.isEmpty && name.utf8.count <= 32
            && name.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x5F
                    || byte == 0x2D || byte == 0x2E
            }
        return identifier ? "'\(name)'" : "(a name that is not a short identifier)"
    }
}

/// Writes canonical JSON member by member; callers give members in sorted key order.
struct CanonicalWriter {
    var output: [UInt8] = []
    var needsComma = false

    mutating func open() {
        output.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func close() {
        output.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func key(_ name: StaticString) {
        if needsComma { output.append(UInt8(ascii: ",")) }
        output.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        needsComma = true
    }

    mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        JSONSerializer.appendString(value, to: &output)
    }

    mutating func member(_ name: StaticString, integer: Int64) {
        key(name)
        output.append(contentsOf: String(integer).utf8)
    }

    mutating func member(_ name: StaticString, strings: [String]) {
        key(name)
        output.append(UInt8(ascii: "["))
        for (index, string) in strings.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONSerializer.appendString(string, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    mutating func value(_ value: JSONValue) {
        JSONSerializer(options: .sortedKeys).append(value, to: &output)
        needsComma = true
    }
}

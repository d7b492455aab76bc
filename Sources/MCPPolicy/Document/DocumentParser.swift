import MCPCore

/// Turns the JSON of a policy document into a checked ``PolicyDocument``.
struct DocumentParser {
    let limits: PolicyLimits

    static let documentKeys: Set<String> = [
        "id", "organization", "layer", "team", "subject", "defaultEffect", "shadow", "tools", "readOnlyMode",
        "features", "loopDetection", "rules", "description",
    ]
    static let ruleKeys: Set<String> = ["id", "effect", "reason", "shadow", "when", "rateLimit", "description"]
    static let conditionKeys: Set<String> = [
        "subjects", "teams", "agents", "connections", "scopes", "lacksScopes", "upstreams", "kinds", "names",
        "traits", "hints", "arguments", "time", "facts", "withoutFacts",
    ]
    /// Feature and read-only entries say what they cover themselves; their `when` may not.
    static let scopeOnlyKeys: Set<String> = conditionKeys.subtracting([
        "kinds", "names", "traits", "hints", "arguments",
    ])

    mutating func document(_ value: JSONValue) throws(PolicyError) -> PolicyDocument {
        let root = try ObjectReader(value, at: "", allowed: Self.documentKeys)
        let id = try root.requiredString("id")
        let organization = try root.requiredString("organization")
        var layer = PolicyLayer.organization
        if let text = try root.string("layer") {
            guard let parsed = PolicyLayer(rawValue: text) else {
                throw PolicyError(.invalidValue, at: "layer", "the layer must be organization, team or user")
            }
            layer = parsed
        }
        let team = try root.string("team")
        let subject = try root.string("subject")
        switch layer {
        case .organization:
            if team != nil { throw PolicyError(.invalidValue, at: "team", "only a team document names a team") }
            if subject != nil {
                throw PolicyError(.invalidValue, at: "subject", "only a user document names a subject")
            }
        case .team:
            if team == nil { throw PolicyError(.missingKey, at: "team", "a team document names its team") }
            if subject != nil {
                throw PolicyError(.invalidValue, at: "subject", "only a user document names a subject")
            }
        case .user:
            if subject == nil { throw PolicyError(.missingKey, at: "subject", "a user document names its subject") }
            if team != nil { throw PolicyError(.invalidValue, at: "team", "only a team document names a team") }
        }
        var defaultEffect: DefaultEffect?
        if let text = try root.string("defaultEffect") {
            guard let parsed = DefaultEffect(rawValue: text) else {
                throw PolicyError(.unknownEffect, at: "defaultEffect", "the default effect must be allow or deny")
            }
            guard layer == .organization else {
                throw PolicyError(.invalidValue, at: "defaultEffect", "only an organization document sets the default")
            }
            defaultEffect = parsed
        }
        let shadow = try root.bool("shadow") ?? false

        var rules: [PolicyRule] = []
        var seen: Set<String> = []
        func add(_ rule: PolicyRule, at path: String) throws(PolicyError) {
            guard seen.insert(rule.id).inserted else {
                throw PolicyError(.duplicateRuleID, at: path, "another rule of this document has the same id")
            }
            guard rules.count < limits.maxRules else {
                throw PolicyError(.limitExceeded, at: path, "more than \(limits.maxRules) rules")
            }
            rules.append(rule)
        }

        var declarations: [ToolDeclaration] = []
        if let entries = try root.array("tools", maxCount: limits.maxListItems) {
            guard layer == .organization else {
                throw PolicyError(.invalidValue, at: "tools", "only an organization document declares tool traits")
            }
            for (index, entry) in entries.enumerated() {
                declarations.append(try declaration(entry, at: "tools[\(index)]"))
            }
        }
        if let entries = try root.array("readOnlyMode", maxCount: limits.maxListItems) {
            for (index, entry) in entries.enumerated() {
                let path = "readOnlyMode[\(index)]"
                let reader = try ObjectReader(entry, at: path, allowed: ["id", "when", "reason", "shadow"])
                let conditions = try whenObject(reader, allowed: Self.scopeOnlyKeys)
                var scoped = conditions
                scoped.kinds = 1 << OperationKind.toolCall.index
                let rule = PolicyRule(
                    id: try reader.string("id") ?? path, effect: .deny,
                    reason: try reader.string("reason")
                        ?? "read-only mode: only tools the policy declares read-only may run",
                    shadow: try reader.bool("shadow") ?? false, conditions: scoped, readOnlyGuard: true)
                try add(rule, at: reader.child("id"))
            }
        }
        if let entries = try root.array("features", maxCount: limits.maxListItems) {
            for (index, entry) in entries.enumerated() {
                let path = "features[\(index)]"
                let reader = try ObjectReader(entry, at: path, allowed: ["id", "when", "disable", "reason", "shadow"])
                var conditions = try whenObject(reader, allowed: Self.scopeOnlyKeys)
                guard let disabled = try reader.strings("disable", maxCount: 5) else {
                    throw PolicyError(.missingKey, at: reader.child("disable"), "this key is required")
                }
                var kinds: UInt8 = 0
                for (position, feature) in disabled.enumerated() {
                    guard let kind = Self.featureKinds[feature] else {
                        throw PolicyError(
                            .invalidValue, at: "\(reader.child("disable"))[\(position)]",
                            "a feature is tools, resources, prompts, sampling or elicitation")
                    }
                    kinds |= 1 << kind.index
                }
                conditions.kinds = kinds
                let rule = PolicyRule(
                    id: try reader.string("id") ?? path, effect: .deny,
                    reason: try reader.string("reason") ?? "this feature is turned off by policy",
                    shadow: try reader.bool("shadow") ?? false, conditions: conditions, readOnlyGuard: false)
                try add(rule, at: reader.child("id"))
            }
        }
        var loopDetection: LoopDetectionSpec?
        if let entry = root.value("loopDetection") {
            guard layer == .organization else {
                throw PolicyError(
                    .invalidValue, at: "loopDetection", "only an organization document configures loop detection")
            }
            let reader = try ObjectReader(
                entry, at: "loopDetection", allowed: ["threshold", "windowSeconds", "action"])
            guard let threshold = try reader.integer("threshold", in: 2...10_000) else {
                throw PolicyError(.missingKey, at: reader.child("threshold"), "this key is required")
            }
            guard let window = try reader.integer("windowSeconds", in: 1...86_400) else {
                throw PolicyError(.missingKey, at: reader.child("windowSeconds"), "this key is required")
            }
            let action = try reader.string("action") ?? "deny"
            guard action == "deny" || action == "throttle" else {
                throw PolicyError(.invalidValue, at: reader.child("action"), "the action must be deny or throttle")
            }
            loopDetection = LoopDetectionSpec(
                threshold: Int(threshold), windowMilliseconds: window * 1000, deny: action == "deny")
        }
        if let entries = try root.array("rules", maxCount: limits.maxRules) {
            for (index, entry) in entries.enumerated() {
                let path = "rules[\(index)]"
                try add(try rule(entry, at: path), at: "\(path).id")
            }
        }
        return PolicyDocument(
            id: id, organization: organization, layer: layer, team: team, subject: subject,
            defaultEffect: defaultEffect, shadow: shadow, rules: rules, declarations: declarations,
            loopDetection: loopDetection)
    }

    static let featureKinds: [String: OperationKind] = [
        "tools": .toolCall, "resources": .resourceRead, "prompts": .promptGet, "sampling": .sampling,
        "elicitation": .elicitation,
    ]

    private func declaration(_ value: JSONValue, at path: String) throws(PolicyError) -> ToolDeclaration {
        let reader = try ObjectReader(value, at: path, allowed: ["upstream", "upstreams", "names", "traits"])
        var upstreams: Set<String>?
        if let one = try reader.string("upstream") { upstreams = [one] }
        if let many = try reader.strings("upstreams", maxCount: limits.maxListItems) {
            guard upstreams == nil else {
                throw PolicyError(.invalidValue, at: reader.child("upstreams"), "use upstream or upstreams, not both")
            }
            upstreams = Set(many)
        }
        guard let names = try nameCondition(reader) else {
            throw PolicyError(.missingKey, at: reader.child("names"), "this key is required")
        }
        guard let traits = try traitSet(reader, "traits") else {
            throw PolicyError(.missingKey, at: reader.child("traits"), "this key is required")
        }
        if traits.contains(.readOnly), traits.contains(.destructive) {
            throw PolicyError(
                .invalidValue, at: reader.child("traits"), "a tool cannot be both readOnly and destructive")
        }
        return ToolDeclaration(upstreams: upstreams, names: names, traits: traits)
    }

    private func rule(_ value: JSONValue, at path: String) throws(PolicyError) -> PolicyRule {
        let reader = try ObjectReader(value, at: path, allowed: Self.ruleKeys)
        let id = try reader.requiredString("id")
        let effectName = try reader.requiredString("effect")
        let effect: RuleEffect
        switch effectName {
        case "allow": effect = .allow
        case "deny": effect = .deny
        case "requireApproval": effect = .requireApproval
        case "rateLimit": effect = .rateLimit(try rateLimit(reader))
        default:
            throw PolicyError(
                .unknownEffect, at: reader.child("effect"),
                "the effect must be allow, deny, requireApproval or rateLimit")
        }
        if case .rateLimit = effect {
        } else if reader.value("rateLimit") != nil {
            throw PolicyError(
                .invalidValue, at: reader.child("rateLimit"), "only a rateLimit rule has rate-limit parameters")
        }
        return PolicyRule(
            id: id, effect: effect, reason: try reader.string("reason"), shadow: try reader.bool("shadow") ?? false,
            conditions: try whenObject(reader, allowed: Self.conditionKeys), readOnlyGuard: false)
    }

    private func rateLimit(_ rule: ObjectReader) throws(PolicyError) -> RateLimitSpec {
        guard let value = rule.value("rateLimit") else {
            throw PolicyError(.missingKey, at: rule.child("rateLimit"), "a rateLimit rule needs its parameters")
        }
        let reader = try ObjectReader(
            value, at: rule.child("rateLimit"), allowed: ["capacity", "refillPerSecond", "key"])
        guard let capacity = try reader.number("capacity") else {
            throw PolicyError(.missingKey, at: reader.child("capacity"), "this key is required")
        }
        guard capacity >= 1, capacity <= 1_000_000_000 else {
            throw PolicyError(.invalidValue, at: reader.child("capacity"), "the capacity must be from 1 to 10^9")
        }
        guard let refill = try reader.number("refillPerSecond") else {
            throw PolicyError(.missingKey, at: reader.child("refillPerSecond"), "this key is required")
        }
        guard refill > 0, refill <= 1_000_000_000 else {
            throw PolicyError(
                .invalidValue, at: reader.child("refillPerSecond"), "the refill rate must be above 0 and at most 10^9")
        }
        var key: RateKeyParts = []
        if let parts = try reader.array("key", maxCount: 3) {
            for (index, part) in parts.enumerated() {
                switch part.stringValue {
                case "principal": key.insert(.principal)
                case "upstream": key.insert(.upstream)
                case "tool": key.insert(.tool)
                default:
                    throw PolicyError(
                        .invalidValue, at: "\(reader.child("key"))[\(index)]",
                        "a key part is principal, upstream or tool")
                }
            }
        }
        return RateLimitSpec(capacity: capacity, refillPerSecond: refill, key: key)
    }

    private func nameCondition(_ reader: ObjectReader) throws(PolicyError) -> NameCondition? {
        guard let names = try reader.strings("names", maxCount: limits.maxListItems) else { return nil }
        var exact: Set<String> = []
        var globs: [Glob] = []
        for (index, name) in names.enumerated() {
            let glob = try Glob(name, maxLength: limits.maxPatternLength, at: "\(reader.child("names"))[\(index)]")
            if let exactName = glob.exactName {
                exact.insert(exactName)
            } else {
                globs.append(glob)
            }
        }
        return NameCondition(exact: exact, globs: globs)
    }

    private func traitSet(_ reader: ObjectReader, _ key: String) throws(PolicyError) -> ToolTraits? {
        guard let names = try reader.strings(key, maxCount: 4) else { return nil }
        var traits: ToolTraits = []
        for (index, name) in names.enumerated() {
            guard let trait = ToolTraits.names.first(where: { $0.0 == name })?.1 else {
                throw PolicyError(
                    .invalidValue, at: "\(reader.child(key))[\(index)]",
                    "a trait is readOnly, destructive, idempotent or openWorld")
            }
            traits.insert(trait)
        }
        return traits
    }

    private func whenObject(_ owner: ObjectReader, allowed: Set<String>) throws(PolicyError) -> RuleConditions {
        guard let value = owner.value("when") else { return RuleConditions() }
        let reader = try ObjectReader(value, at: owner.child("when"), allowed: allowed)
        let maxItems = limits.maxListItems
        var conditions = RuleConditions()
        conditions.subjects = try reader.strings("subjects", maxCount: maxItems).map(Set.init)
        conditions.teams = try reader.strings("teams", maxCount: maxItems).map(Set.init)
        conditions.agents = try reader.strings("agents", maxCount: maxItems).map(Set.init)
        conditions.connections = try reader.strings("connections", maxCount: maxItems).map(Set.init)
        conditions.scopes = try reader.strings("scopes", maxCount: maxItems) ?? []
        conditions.lacksScopes = try reader.strings("lacksScopes", maxCount: maxItems) ?? []
        conditions.upstreams = try reader.strings("upstreams", maxCount: maxItems).map(Set.init)
        if let kinds = try reader.strings("kinds", maxCount: 5) {
            var mask: UInt8 = 0
            for (index, name) in kinds.enumerated() {
                guard let kind = OperationKind(rawValue: name) else {
                    throw PolicyError(
                        .invalidValue, at: "\(reader.child("kinds"))[\(index)]",
                        "a kind is toolCall, resourceRead, promptGet, sampling or elicitation")
                }
                mask |= 1 << kind.index
            }
            conditions.kinds = mask
        }
        conditions.names = try nameCondition(reader)
        conditions.traits = try traitSet(reader, "traits")
        conditions.hints = try traitSet(reader, "hints")
        if let entries = try reader.array("arguments", maxCount: limits.maxArgumentConditions) {
            for (index, entry) in entries.enumerated() {
                conditions.arguments.append(try argumentCondition(entry, at: "\(reader.child("arguments"))[\(index)]"))
            }
        }
        if let entry = reader.value("time") {
            conditions.time = try timeWindow(entry, at: reader.child("time"))
        }
        conditions.facts = try reader.strings("facts", maxCount: maxItems) ?? []
        conditions.withoutFacts = try reader.strings("withoutFacts", maxCount: maxItems) ?? []
        return conditions
    }

    private func argumentCondition(_ value: JSONValue, at path: String) throws(PolicyError) -> ArgumentCondition {
        let reader = try ObjectReader(value, at: path, allowed: ["path", "op", "value", "values", "min", "max"])
        let pathText = try reader.requiredString("path")
        let argumentPath = try ArgumentPath(pathText, maxSegments: limits.maxPathSegments, at: reader.child("path"))
        let opName = try reader.requiredString("op")
        func only(_ keys: Set<String>) throws(PolicyError) {
            for key in ["value", "values", "min", "max"] where !keys.contains(key) && reader.value(key) != nil {
                throw PolicyError(.unknownKey, at: reader.child(key), "this key is not used by the operator \(opName)")
            }
        }
        func required(_ key: String) throws(PolicyError) -> JSONValue {
            guard let value = reader.value(key) else {
                throw PolicyError(.missingKey, at: reader.child(key), "the operator \(opName) needs this key")
            }
            return value
        }
        let op: ArgumentCondition.Operator
        switch opName {
        case "equals":
            try only(["value"])
            op = .equals(try required("value"))
        case "in":
            try only(["values"])
            guard let values = try reader.array("values", maxCount: limits.maxListItems) else {
                throw PolicyError(.missingKey, at: reader.child("values"), "the operator in needs this key")
            }
            guard !values.isEmpty else {
                throw PolicyError(.invalidValue, at: reader.child("values"), "an empty list matches nothing")
            }
            op = .oneOf(values)
        case "prefix":
            try only(["value"])
            guard let prefix = try required("value").stringValue else {
                throw PolicyError(.typeMismatch, at: reader.child("value"), "expected a string")
            }
            op = .prefix(prefix)
        case "regex":
            try only(["value"])
            guard let pattern = try required("value").stringValue else {
                throw PolicyError(.typeMismatch, at: reader.child("value"), "expected a string")
            }
            op = .regex(
                try BoundedRegex(
                    pattern, maxLength: limits.maxPatternLength, maxInstructions: limits.maxRegexInstructions,
                    at: reader.child("value")))
        case "range":
            try only(["min", "max"])
            let minimum = try reader.number("min")
            let maximum = try reader.number("max")
            guard minimum != nil || maximum != nil else {
                throw PolicyError(.missingKey, at: reader.child("min"), "the operator range needs min, max or both")
            }
            if let minimum, let maximum, minimum > maximum {
                throw PolicyError(.invalidValue, at: reader.child("max"), "max is below min")
            }
            op = .range(minimum: minimum, maximum: maximum)
        case "present":
            try only([])
            op = .present
        case "absent":
            try only([])
            op = .absent
        default:
            throw PolicyError(
                .unknownOperator, at: reader.child("op"),
                "the operator must be equals, in, prefix, regex, range, present or absent")
        }
        return ArgumentCondition(path: argumentPath, op: op)
    }

    private func timeWindow(_ value: JSONValue, at path: String) throws(PolicyError) -> TimeWindow {
        let reader = try ObjectReader(value, at: path, allowed: ["days", "from", "to", "utcOffset"])
        var days: UInt8 = 0x7F
        if let names = try reader.strings("days", maxCount: 7) {
            days = 0
            for (index, name) in names.enumerated() {
                guard let day = TimeWindow.dayNames.firstIndex(of: name) else {
                    throw PolicyError(
                        .invalidValue, at: "\(reader.child("days"))[\(index)]",
                        "a day is mon, tue, wed, thu, fri, sat or sun")
                }
                days |= 1 << day
            }
        }
        func clock(_ key: String, default fallback: Int) throws(PolicyError) -> Int {
            guard let text = try reader.string(key) else { return fallback }
            guard let minutes = Self.minutes(text, allowing24: key == "to") else {
                throw PolicyError(.invalidValue, at: reader.child(key), "a time of day is written HH:MM")
            }
            return minutes
        }
        let from = try clock("from", default: 0)
        var to = try clock("to", default: 0)
        if to == 24 * 60 { to = 0 }
        var offset = 0
        if let text = try reader.string("utcOffset") {
            guard let parsed = Self.offsetMinutes(text) else {
                throw PolicyError(
                    .invalidValue, at: reader.child("utcOffset"), "an offset is Z or written +HH:MM or -HH:MM")
            }
            offset = parsed
        }
        return TimeWindow(days: days, fromMinute: from, toMinute: to, offsetMinutes: offset)
    }

    static func minutes(_ text: String, allowing24: Bool) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
            let hours = Int(String(decoding: bytes[0..<2], as: UTF8.self)),
            let minutes = Int(String(decoding: bytes[3..<5], as: UTF8.self)),
            bytes.allSatisfy({ $0 == UInt8(ascii: ":") || ($0 >= 48 && $0 <= 57) })
        else { return nil }
        if allowing24, hours == 24, minutes == 0 { return 24 * 60 }
        guard hours < 24, minutes < 60 else { return nil }
        return hours * 60 + minutes
    }

    static func offsetMinutes(_ text: String) -> Int? {
        if text == "Z" || text == "UTC" { return 0 }
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"),
            let minutes = minutes(String(decoding: bytes[1...], as: UTF8.self), allowing24: false),
            minutes <= 14 * 60
        else { return nil }
        return bytes[0] == UInt8(ascii: "-") ? -minutes : minutes
    }
}

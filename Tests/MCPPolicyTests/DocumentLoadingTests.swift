import MCPCore
import MCPPolicy
import Testing

@Suite("Loading documents")
struct DocumentLoadingTests {
    static let rule = #"{"id":"r","effect":"allow"}"#

    static let refused: [(String, PolicyError.Code, String)] = [
        ("{", .invalidJSON, ""),
        ("[]", .typeMismatch, ""),
        (#"{"organization":"acme"}"#, .missingKey, "id"),
        (#"{"id":"d"}"#, .missingKey, "organization"),
        (#"{"id":"","organization":"acme"}"#, .invalidValue, "id"),
        (#"{"id":"d","organization":"acme","colour":"red"}"#, .unknownKey, "colour"),
        (#"{"id":"d","organization":"acme","layer":"galaxy"}"#, .invalidValue, "layer"),
        (#"{"id":"d","organization":"acme","layer":"team"}"#, .missingKey, "team"),
        (#"{"id":"d","organization":"acme","layer":"user"}"#, .missingKey, "subject"),
        (#"{"id":"d","organization":"acme","team":"x"}"#, .invalidValue, "team"),
        (
            #"{"id":"d","organization":"acme","layer":"team","team":"x","defaultEffect":"allow"}"#, .invalidValue,
            "defaultEffect"
        ),
        (#"{"id":"d","organization":"acme","defaultEffect":"maybe"}"#, .unknownEffect, "defaultEffect"),
        (#"{"id":"d","organization":"acme","shadow":"yes"}"#, .typeMismatch, "shadow"),
        (#"{"id":"d","organization":"acme","rules":{}}"#, .typeMismatch, "rules"),
        (#"{"id":"d","organization":"acme","rules":[{"effect":"allow"}]}"#, .missingKey, "rules[0].id"),
        (#"{"id":"d","organization":"acme","rules":[{"id":"r"}]}"#, .missingKey, "rules[0].effect"),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"permit"}]}"#, .unknownEffect,
            "rules[0].effect"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow"},{"id":"r","effect":"deny"}]}"#,
            .duplicateRuleID, "rules[1].id"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow","when":{"tools":["x"]}}]}"#,
            .unknownKey, "rules[0].when.tools"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow","when":{"names":[]}}]}"#,
            .invalidValue, "rules[0].when.names"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow","when":{"names":["a[b"]}}]}"#,
            .invalidGlob, "rules[0].when.names[0]"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow","when":{"names":["ok","x\\"]}}]}"#,
            .invalidGlob, "rules[0].when.names[1]"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow","when":{"kinds":["toolcall"]}}]}"#,
            .invalidValue, "rules[0].when.kinds[0]"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow","when":{"traits":["safe"]}}]}"#,
            .invalidValue, "rules[0].when.traits[0]"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"allow","when":{"subjects":[1]}}]}"#,
            .typeMismatch, "rules[0].when.subjects[0]"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"a","effect":"deny"},{"id":"b","effect":"deny","when":{"arguments":[{"path":"x","op":"equals","value":1},{"path":"y","op":"like","value":"z"}]}}]}"#,
            .unknownOperator, "rules[1].when.arguments[1].op"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"x","op":"regex","value":"(a"}]}}]}"#,
            .invalidRegex, "rules[0].when.arguments[0].value"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"x","op":"regex","value":"a{1000}"}]}}]}"#,
            .invalidRegex, "rules[0].when.arguments[0].value"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"x","op":"regex","value":"\\1"}]}}]}"#,
            .invalidRegex, "rules[0].when.arguments[0].value"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a..b","op":"present"}]}}]}"#,
            .invalidPath, "rules[0].when.arguments[0].path"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a[x]","op":"present"}]}}]}"#,
            .invalidPath, "rules[0].when.arguments[0].path"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a","op":"present","value":1}]}}]}"#,
            .unknownKey, "rules[0].when.arguments[0].value"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a","op":"equals"}]}}]}"#,
            .missingKey, "rules[0].when.arguments[0].value"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a","op":"range"}]}}]}"#,
            .missingKey, "rules[0].when.arguments[0].min"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a","op":"range","min":5,"max":1}]}}]}"#,
            .invalidValue, "rules[0].when.arguments[0].max"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a","op":"prefix","value":3}]}}]}"#,
            .typeMismatch, "rules[0].when.arguments[0].value"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"a","op":"in","values":[]}]}}]}"#,
            .invalidValue, "rules[0].when.arguments[0].values"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"time":{"days":["someday"]}}}]}"#,
            .invalidValue, "rules[0].when.time.days[0]"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"time":{"from":"25:00"}}}]}"#,
            .invalidValue, "rules[0].when.time.from"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"time":{"utcOffset":"+25:00"}}}]}"#,
            .invalidValue, "rules[0].when.time.utcOffset"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"rateLimit"}]}"#, .missingKey,
            "rules[0].rateLimit"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"rateLimit","rateLimit":{"capacity":0,"refillPerSecond":1}}]}"#,
            .invalidValue, "rules[0].rateLimit.capacity"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"rateLimit","rateLimit":{"capacity":1,"refillPerSecond":1,"key":["moon"]}}]}"#,
            .invalidValue, "rules[0].rateLimit.key[0]"
        ),
        (
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","rateLimit":{"capacity":1,"refillPerSecond":1}}]}"#,
            .invalidValue, "rules[0].rateLimit"
        ),
        (
            #"{"id":"d","organization":"acme","tools":[{"names":["x"],"traits":["readOnly","destructive"]}]}"#,
            .invalidValue, "tools[0].traits"
        ),
        (#"{"id":"d","organization":"acme","tools":[{"names":["x"]}]}"#, .missingKey, "tools[0].traits"),
        (
            #"{"id":"d","organization":"acme","layer":"user","subject":"bob","tools":[{"names":["x"],"traits":["readOnly"]}]}"#,
            .invalidValue, "tools"
        ),
        (
            #"{"id":"d","organization":"acme","features":[{"disable":["printing"]}]}"#, .invalidValue,
            "features[0].disable[0]"
        ),
        (
            #"{"id":"d","organization":"acme","features":[{"disable":["tools"],"when":{"kinds":["toolCall"]}}]}"#,
            .unknownKey, "features[0].when.kinds"
        ),
        (
            #"{"id":"d","organization":"acme","readOnlyMode":[{"when":{"names":["x"]}}]}"#, .unknownKey,
            "readOnlyMode[0].when.names"
        ),
        (
            #"{"id":"d","organization":"acme","loopDetection":{"threshold":1,"windowSeconds":10}}"#,
            .invalidValue, "loopDetection.threshold"
        ),
        (
            #"{"id":"d","organization":"acme","features":[{"id":"x","disable":["tools"]}],"rules":[{"id":"x","effect":"allow"}]}"#,
            .duplicateRuleID, "rules[0].id"
        ),
    ]

    @Test("a bad document is refused with the code and key path of the error", arguments: 0..<refused.count)
    func refusedDocuments(_ index: Int) {
        let (text, code, keyPath) = Self.refused[index]
        #expect(throws: PolicyError(code, at: keyPath, "")) { try PolicyDocument(parsing: text) }
    }

    @Test("an error description names the key path and code and quotes no value")
    func errorDescription() {
        let text =
            #"{"id":"d","organization":"acme","rules":[{"id":"r","effect":"deny","when":{"arguments":[{"path":"secret","op":"like","value":"hunter2"}]}}]}"#
        do {
            _ = try PolicyDocument(parsing: text)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.hasPrefix("rules[0].when.arguments[0].op:"))
            #expect(error.description.hasSuffix("(unknownOperator)"))
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test("a full document loads and lists its rule ids, features and read-only entries included")
    func fullDocument() throws {
        let text = #"""
            {"id":"acme-base","organization":"acme","layer":"organization","defaultEffect":"deny","description":"base",
             "tools":[{"upstream":"github","names":["get_*","list_issues"],"traits":["readOnly"]}],
             "readOnlyMode":[{"id":"ro","when":{"teams":["contractors"]}}],
             "features":[{"disable":["sampling","elicitation"],"when":{"upstreams":["web"]}}],
             "loopDetection":{"threshold":3,"windowSeconds":60,"action":"throttle"},
             "rules":[
              {"id":"read","effect":"allow","when":{"traits":["readOnly"],"time":{"days":["mon","fri"],"from":"08:00","to":"18:00","utcOffset":"+01:00"}}},
              {"id":"limit","effect":"rateLimit","rateLimit":{"capacity":5,"refillPerSecond":0.5,"key":["principal","tool"]}},
              {"id":"args","effect":"deny","shadow":true,"when":{"arguments":[
                {"path":"a.b[0]","op":"equals","value":{"x":[1,2]}},{"path":"c[*]","op":"in","values":[1,"2"]},
                {"path":"d","op":"prefix","value":"p"},{"path":"e","op":"regex","value":"^[a-z]+\\d{2,3}$"},
                {"path":"f","op":"range","min":1},{"path":"g","op":"present"},{"path":"h","op":"absent"}]}}]}
            """#
        let document = try PolicyDocument(parsing: text)
        #expect(document.ruleIDs == ["ro", "features[0]", "read", "limit", "args"])
        #expect(document.defaultEffect == .deny)
        #expect(document.layer == .organization)
    }

    @Test("an engine refuses two documents with one id and two organization defaults that disagree")
    func engineErrors() throws {
        let first = try document(allowAll())
        #expect(throws: PolicyError(.duplicateDocumentID, at: "documents[1]", "")) {
            try PolicyEngine(documents: [first, first])
        }
        let other = try document(#"{"id":"other","organization":"acme","defaultEffect":"deny"}"#)
        #expect(throws: PolicyError(.conflictingDefault, at: "documents[1].defaultEffect", "")) {
            try PolicyEngine(documents: [first, other])
        }
    }

    @Test("a failed reload leaves the engine in force unchanged")
    func failedReload() throws {
        let current = try engine(denyAll(#"{"id":"ok","effect":"allow","when":{"names":["search"]}}"#))
        let broken = try document(allowAll())
        #expect(throws: PolicyError.self) { try current.reloading([broken, broken]) }
        #expect(current.decide(call("search"), now: wednesdayNoon).outcome == .allow)
        #expect(current.decide(call("delete"), now: wednesdayNoon).outcome == .deny)
    }

    @Test("a document larger than its limit is refused before it is read")
    func sizeLimit() {
        let text = allowAll(String(repeating: #"{"id":"x","effect":"allow"},"#, count: 100) + Self.rule)
        #expect(throws: PolicyError(.invalidJSON, at: "", "")) {
            try PolicyDocument(parsing: text, limits: PolicyLimits(maxDocumentBytes: 256))
        }
        #expect(throws: PolicyError(.limitExceeded, at: "rules", "")) {
            try PolicyDocument(parsing: text, limits: PolicyLimits(maxRules: 10))
        }
    }
}

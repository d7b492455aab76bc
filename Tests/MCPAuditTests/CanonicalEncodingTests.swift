import MCPAudit
import MCPCore
import Testing

@Suite("Canonical encoding")
struct CanonicalEncodingTests {
    @Test("an event's canonical bytes are stable (golden bytes)")
    func goldenBytes() {
        let event = AuditEvent(
            time: AuditTime(microsecondsSinceEpoch: 1_764_000_000_123_456),
            actor: .init(
                subject: "alice", organization: "acme", teams: ["b", "a"], clientID: "cli",
                upstreamCredential: "vault:gh:alice"),
            action: .init(
                method: "tools/call", upstream: "github", target: "create_issue", argumentsDigest: "00ff",
                redactedArguments: ["z": 1, "a": ["y": "\"q\"\n", "b": 1.50]]),
            decision: .init(effect: "deny", ruleIDs: ["r2", "r1"]),
            findings: [.init(detector: "secret", action: "block", fingerprint: "f1")],
            outcome: .init(status: "error", errorCode: -32603, bytesIn: 10, bytesOut: 0, durationMicroseconds: 7),
            requestID: "42", traceID: "t")
        let expected =
            #"{"action":{"argumentsDigest":"00ff","method":"tools/call","redactedArguments":{"a":{"b":1.5,"y":"\"q\"\n"},"z":1},"target":"create_issue","upstream":"github"},"actor":{"clientId":"cli","organization":"acme","subject":"alice","teams":["b","a"],"upstreamCredential":"vault:gh:alice"},"category":"call","decision":{"effect":"deny","ruleIds":["r2","r1"]},"findings":[{"action":"block","detector":"secret","fingerprint":"f1"}],"outcome":{"bytesIn":10,"bytesOut":0,"durationMicros":7,"errorCode":-32603,"status":"error"},"requestId":"42","time":1764000000123456,"traceId":"t"}"#
        #expect(String(decoding: event.canonicalBytes, as: UTF8.self) == expected)
    }

    @Test("a minimal event leaves absent fields out")
    func minimalEvent() {
        let event = AuditEvent(category: "log", time: AuditTime(microsecondsSinceEpoch: 5))
        #expect(
            String(decoding: event.canonicalBytes, as: UTF8.self)
                == #"{"action":{},"actor":{"teams":[]},"category":"log","findings":[],"time":5}"#)
    }

    @Test("record bytes and hash follow the documented rule")
    func recordBytes() {
        let event = AuditEvent(category: "log", time: AuditTime(microsecondsSinceEpoch: 5))
        let record = AuditRecord(sequence: 3, recordedAt: AuditTime(microsecondsSinceEpoch: 9), event: event, hash: [])
        #expect(
            String(decoding: record.bytes, as: UTF8.self)
                == #"{"event":{"action":{},"actor":{"teams":[]},"category":"log","findings":[],"time":5},"recordedAt":9,"sequence":3}"#
        )
    }

    @Test("RFC 3339 times in UTC with microseconds")
    func rfc3339() {
        #expect(AuditTime(microsecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00.000000Z")
        #expect(AuditTime(microsecondsSinceEpoch: 1_764_000_000_123_456).rfc3339 == "2025-11-24T16:00:00.123456Z")
        #expect(AuditTime(microsecondsSinceEpoch: 951_782_400_000_001).rfc3339 == "2000-02-29T00:00:00.000001Z")
        #expect(AuditTime(microsecondsSinceEpoch: -1).rfc3339 == "1969-12-31T23:59:59.999999Z")
    }

    @Test("random events survive JSON and back, and member order never changes the bytes (property, seeded)")
    func roundTripProperty() throws {
        var random = SplitMix64(seed: 0xA0D1_7001)
        let alphabet = Array("ab\"\\\n\u{7}é😀 ,=")
        func text(_ random: inout SplitMix64) -> String {
            String((0..<Int.random(in: 0...8, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
        }
        func maybe(_ random: inout SplitMix64) -> String? { Bool.random(using: &random) ? text(&random) : nil }
        for _ in 0..<500 {
            var event = AuditEvent(
                category: text(&random),
                time: AuditTime(microsecondsSinceEpoch: Int64.random(in: -1_000_000...Int64.max / 2, using: &random)),
                actor: .init(
                    subject: maybe(&random), organization: maybe(&random),
                    teams: (0..<Int.random(in: 0...3, using: &random)).map { _ in text(&random) },
                    clientID: maybe(&random), upstreamCredential: maybe(&random)),
                action: .init(
                    method: maybe(&random), upstream: maybe(&random), target: maybe(&random),
                    argumentsDigest: maybe(&random)),
                requestID: maybe(&random), traceID: maybe(&random))
            if Bool.random(using: &random) {
                event.decision = .init(effect: text(&random), ruleIDs: [text(&random)])
            }
            if Bool.random(using: &random) {
                event.outcome = .init(
                    status: text(&random),
                    errorCode: Bool.random(using: &random)
                        ? Int64.random(in: Int64.min...Int64.max, using: &random) : nil,
                    bytesIn: Int64.random(in: 0...1 << 40, using: &random))
            }
            if Bool.random(using: &random) {
                event.details = ["b": .array([1, "x"]), "a": .object(JSONObject([("z", .null), ("y", true)]))]
            }
            if Bool.random(using: &random) {
                let keys = (0..<4).map { "k\($0)" + text(&random) }
                var object = JSONObject()
                for key in keys.shuffled(using: &random) where object[key] == nil {
                    object[key] = .string(text(&random))
                }
                event.action.redactedArguments = .object(object)
            }
            let bytes = event.canonicalBytes
            // The direct writer gives what the generic serializer gives with sorted keys.
            #expect(bytes == JSONSerializer(options: .sortedKeys).serialize(event.jsonValue))
            let parsed = try JSONParser().parse(bytes)
            let decoded = try AuditEvent(json: parsed)
            #expect(decoded == event)
            #expect(decoded.canonicalBytes == bytes)
            // The same members in another order give the same bytes.
            if case .object(let object) = parsed {
                let reordered = JSONValue.object(JSONObject(object.members.reversed().map { ($0.key, $0.value) }))
                #expect(try AuditEvent(json: reordered).canonicalBytes == bytes)
            }
        }
    }

    @Test("malformed events are refused with the member's path, never its value")
    func malformed() throws {
        let cases: [(String, String)] = [
            (#"{"time":1,"actor":{"subject":7}}"#, "event.actor.subject"),
            (#"{"time":1.5}"#, "event.time"),
            (#"{"time":1,"secret":"hunter2"}"#, "unknown member 'secret'"),
            (#"{"time":1,"findings":[{"detector":"d","action":"a"}]}"#, "event.findings[0].fingerprint"),
            (#"{"actor":{}}"#, "event.time"),
            (#"[1]"#, "event is a array"),
        ]
        for (json, fragment) in cases {
            let error = expectAuditError(.invalidEvent) { try AuditEvent(json: try JSONParser().parse(json)) }
            #expect(error?.message.contains(fragment) == true, "\(String(describing: error)) for \(json)")
            #expect(error?.message.contains("hunter2") == false)
        }
    }
}

@Suite("Errors")
struct ErrorTests {
    @Test("errors compare by code and never echo member names that look like values")
    func errors() throws {
        #expect(AuditError(.closed, message: "a") == AuditError(.closed, message: "b"))
        #expect(AuditError(.closed, message: "a") != AuditError(.unavailable, message: "a"))
        #expect(AuditError(.queueFull, message: "m").description == "AuditError.queueFull: m")
        let token = "ghp_0123456789abcdefghijklmnopqrstuvwxyzAB"
        let error = expectAuditError(.invalidEvent) {
            try AuditEvent(json: try JSONParser().parse(#"{"time":1,"\#(token)":1}"#))
        }
        #expect(error?.description.contains(token) == false)
        #expect(error?.description.contains("ghp_") == false)
    }
}

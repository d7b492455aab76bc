import Foundation
import MCPCore

/// The envelope path of a proxied call: read a ~1 KB `tools/call` request and re-emit it
/// with a new id, against Foundation's JSONSerialization round trip of the same bytes.
enum EnvelopeBenchmark {
    static let message: [UInt8] = {
        let text = #"""
            {"jsonrpc":"2.0","id":"client-request-000042","method":"tools/call","params":{"name":"search_issues",\#
            "arguments":{"repository":"example-org/gateway","query":"label:bug state:open \"session terminated\" in:title,body",\#
            "filters":{"assignees":["alice","bob","çağrı"],"labels":["bug","p1","transport"],"created_after":"2026-01-01T00:00:00Z",\#
            "milestone":null,"include_pull_requests":false},"sort":{"field":"updated","direction":"desc"},"page":{"size":50,"cursor":"eyJvZmZzZXQiOjUwfQ=="},\#
            "fields":["number","title","state","labels","assignees","comments","updated_at","html_url"],\#
            "note":"Prüfe die Sitzungsfehler \u2014 \"Session not found\" tritt nach 30 Minuten auf.\nSiehe Protokoll.","limit":9007199254740993,"ratio":0.125},\#
            "_meta":{"progressToken":"progress-42","io.modelcontextprotocol/protocolVersion":"2026-07-28",\#
            "io.modelcontextprotocol/clientInfo":{"name":"ExampleClient","version":"1.4.2"},"io.modelcontextprotocol/clientCapabilities":{"elicitation":{}}}}}
            """#
        return Array(text.utf8)
    }()

    static func run() {
        print("Envelope: a \(message.count)-byte tools/call request re-emitted with a new id")
        let newID = JSONRPCID("gw-7f3a-000001")
        let envelope = measure("MessageEnvelope + replacingID") {
            let envelope = try! MessageEnvelope(parsing: message)
            blackHole(envelope.replacingID(with: newID))
        }
        let data = Data(message)
        let foundation = measure("JSONSerialization round trip") {
            var object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
            object["id"] = "gw-7f3a-000001"
            blackHole(try! JSONSerialization.data(withJSONObject: object))
        }
        let tree = measure("JSONParser + JSONSerializer") {
            var value = try! JSONParser().parse(message)
            if case .object(var object) = value {
                object["id"] = .string("gw-7f3a-000001")
                value = .object(object)
            }
            blackHole(value.serialized)
        }
        let validate = measure("JSONParser.validate only") {
            try! JSONParser().validate(message)
        }
        report([envelope, foundation, tree, validate])
        print(String(format: "  ratio JSONSerialization / envelope (median): %.1fx   (target: >= 5x; envelope target < 2 µs)",
                     foundation.median / envelope.median))
        print()

        let document = largeDocument()
        let large = measure("validate \(document.count / 1024) KB", batch: 1) { try! JSONParser(limits: JSONLimits(maxBytes: 8 << 20)).validate(document) }
        let parse = measure("parse \(document.count / 1024) KB", batch: 1) { blackHole(try! JSONParser(limits: JSONLimits(maxBytes: 8 << 20)).parse(document)) }
        report([large, parse])
        print(String(format: "  validate: %.0f MB/s, parse: %.0f MB/s", Double(document.count) / large.median * 1e3, Double(document.count) / parse.median * 1e3))
        print()
    }

    /// About 1 MB of tool results: arrays of objects with strings, numbers and escapes.
    static func largeDocument() -> [UInt8] {
        var items: [JSONValue] = []
        for index in 0..<4000 {
            items.append([
                "id": .number(JSONNumber(index)), "title": .string("Issue \(index): \"quoted\" and ünïcödé text"),
                "score": 0.5, "tags": ["a", "b", "c"], "body": .string(String(repeating: "lorem ipsum ", count: 15)),
            ])
        }
        return JSONValue.object(["result": ["content": .array(items)]]).serialized
    }
}

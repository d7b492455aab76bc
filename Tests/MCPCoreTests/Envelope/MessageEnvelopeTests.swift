import Testing

@testable import MCPCore

@Suite("Message envelope")
struct MessageEnvelopeTests {
    private func envelope(_ text: String) throws(EnvelopeError) -> MessageEnvelope {
        try MessageEnvelope(parsing: Array(text.utf8))
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private func expectError(_ text: String, _ code: EnvelopeError.Code, id: JSONRPCID? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try envelope(text)
            Issue.record("accepted \(text)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.id == id, sourceLocation: sourceLocation)
        }
    }

    static let callTool = #"""
        {"jsonrpc":"2.0", "id": 9007199254740993, "method":"tools/call",
         "params":{"name":"get_weather","arguments":{"city":"Z\u00fcrich","n":1.50e+1,"deep":{"x":[1,2,{"y":null}]}},
                   "_meta":{"progressToken":"p-1"}}, "extra": true}
        """#

    @Test func readsTheRoutingFields() throws {
        let message = try envelope(Self.callTool)
        #expect(message.kind == .request)
        #expect(message.id == .number(JSONNumber(text: "9007199254740993")!))
        #expect(message.method == "tools/call")
        #expect(message.name == "get_weather")
        #expect(message.uri == nil)
        #expect(text(Array(message.metaBytes!)) == #"{"progressToken":"p-1"}"#)
        #expect(message.decodeParams()?["arguments"]?["city"] == "Zürich")
    }

    @Test func rewritesTheIDAndNothingElse() throws {
        let original = Array(Self.callTool.utf8)
        let message = try MessageEnvelope(parsing: original)
        let rewritten = message.replacingID(with: "gw-17")
        let expected = Self.callTool.replacing("9007199254740993", with: "\"gw-17\"")
        #expect(rewritten == Array(expected.utf8))
        // And back: the original bytes exactly.
        let back = try MessageEnvelope(parsing: rewritten).replacingID(with: message.id)
        #expect(back == original)
    }

    @Test func theRawIDRestoresTheExactSpelling() throws {
        let original = Array(#"{"jsonrpc":"2.0","id":"a\/b\u00e9","method":"ping"}"#.utf8)
        let message = try MessageEnvelope(parsing: original)
        #expect(message.rawID.map(Array.init) == Array(#""a\/b\u00e9""#.utf8))
        let upstream = try MessageEnvelope(parsing: message.replacingID(with: 7))
        #expect(upstream.replacingID(withRawJSON: message.rawID!) == original)
        // The decoded id is equal but spelled differently.
        #expect(upstream.replacingID(with: message.id) != original)
        #expect(try MessageEnvelope(parsing: upstream.replacingID(with: message.id)).id == "a/bé")
    }

    @Test func rewritesStringIDsWithEscapes() throws {
        let message = try envelope(#"{"id":"a\"b\u0041","jsonrpc":"2.0","result":{}}"#)
        #expect(message.id == "a\"bA")
        #expect(text(message.replacingID(with: 5)) == #"{"id":5,"jsonrpc":"2.0","result":{}}"#)
        #expect(text(message.replacingID(with: "x\n")) == #"{"id":"x\n","jsonrpc":"2.0","result":{}}"#)
    }

    @Test func replacesMeta() throws {
        let message = try envelope(Self.callTool)
        let meta: JSONObject = ["progressToken": 7]
        let rewritten = message.replacingMeta(with: meta)
        let expected = Self.callTool.replacing(#"{"progressToken":"p-1"}"#, with: #"{"progressToken":7}"#)
        #expect(rewritten == Array(expected.utf8))
    }

    @Test func insertsMeta() throws {
        let meta: JSONObject = ["k": "v"]
        var message = try envelope(#"{"jsonrpc":"2.0","id":1,"method":"ping","params":{ }}"#)
        #expect(text(message.replacingMeta(with: meta)) == #"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"k":"v"} }}"#)
        message = try envelope(#"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":"c"}}"#)
        #expect(text(message.replacingMeta(with: meta)) == #"{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"k":"v"},"cursor":"c"}}"#)
        message = try envelope(#"{"jsonrpc":"2.0","id":1,"method":"ping"}"#)
        #expect(text(message.replacingMeta(with: meta)) == #"{"jsonrpc":"2.0","id":1,"method":"ping","params":{"_meta":{"k":"v"}}}"#)
        message = try envelope(#"{"jsonrpc":"2.0","id":1,"result":{"tools":[]}}"#)
        #expect(text(message.replacingMeta(with: meta)) == #"{"jsonrpc":"2.0","id":1,"result":{"_meta":{"k":"v"},"tools":[]}}"#)
        for output in [message.replacingMeta(with: meta)] {
            #expect(throws: Never.self) { try MessageEnvelope(parsing: output) }
        }
    }

    @Test func removesMeta() throws {
        let cases = [
            (#"{"jsonrpc":"2.0","method":"m","params":{"_meta":{"a":1},"x":2}}"#, #"{"jsonrpc":"2.0","method":"m","params":{"x":2}}"#),
            (#"{"jsonrpc":"2.0","method":"m","params":{"x":2, "_meta" : {"a":"}"} }}"#, #"{"jsonrpc":"2.0","method":"m","params":{"x":2 }}"#),
            (#"{"jsonrpc":"2.0","method":"m","params":{"_meta":{}}}"#, #"{"jsonrpc":"2.0","method":"m","params":{}}"#),
        ]
        for (input, expected) in cases {
            let output = try envelope(input).replacingMeta(with: nil)
            #expect(text(output) == expected)
            #expect(throws: Never.self) { try MessageEnvelope(parsing: output) }
        }
    }

    @Test func kinds() throws {
        #expect(try envelope(#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#).kind == .notification)
        #expect(try envelope(#"{"jsonrpc":"2.0","id":"x","result":{}}"#).kind == .response)
        let error = try envelope(#"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
        #expect(error.kind == .errorResponse)
        #expect(error.id == nil)
        #expect(error.decodeError() == JSONRPCError(code: .parseError, message: "Parse error"))
        #expect(JSONRPCMessage(error).jsonValue == (try JSONValue(parsing: error.bytes)))
    }

    @Test func escapedKeysAreStillKeys() throws {
        let message = try envelope(#"{"json\u0072pc":"2.0","\u0069d":3,"method":"tools/call","params":{"n\u0061me":"t"}}"#)
        #expect(message.id == 3)
        #expect(message.name == "t")
        // A second spelling of a key is a duplicate, so it cannot smuggle a second method.
        expectError(#"{"jsonrpc":"2.0","id":1,"method":"a","m\u0065thod":"b"}"#, .malformedJSON)
        expectError(#"{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"a","name":"b"}}"#, .malformedJSON)
    }

    @Test func invalidMessages() {
        expectError("[", .malformedJSON)
        expectError(#"{"jsonrpc":"2.0","id":1,"method":"x"} x"#, .malformedJSON)
        expectError(#""just a string""#, .notAnObject)
        expectError(#"{"id":1,"method":"x"}"#, .invalidVersion, id: 1)
        expectError(#"{"jsonrpc":"1.0","id":1,"method":"x"}"#, .invalidVersion, id: 1)
        expectError(#"{"jsonrpc":2.0,"id":1,"method":"x"}"#, .invalidVersion, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":true,"method":"x"}"#, .invalidID)
        expectError(#"{"jsonrpc":"2.0","id":{},"method":"x"}"#, .invalidID)
        expectError(#"{"jsonrpc":"2.0","id":null,"method":"x"}"#, .invalidID)
        expectError(#"{"jsonrpc":"2.0","id":1,"method":""}"#, .invalidMethod, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":1,"method":5}"#, .invalidMethod, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":1,"method":"x","params":[1]}"#, .invalidParams, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":1,"method":"x","result":{}}"#, .ambiguousKind, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":1,"result":{},"error":{"code":1,"message":"m"}}"#, .ambiguousKind, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":1}"#, .ambiguousKind, id: 1)
        expectError(#"{"jsonrpc":"2.0","result":{}}"#, .invalidID)
        expectError(#"{"jsonrpc":"2.0","id":1,"result":[]}"#, .invalidResult, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":1,"error":{"code":"x","message":"m"}}"#, .invalidError, id: 1)
        expectError(#"{"jsonrpc":"2.0","id":1,"error":{"code":1}}"#, .invalidError, id: 1)
        expectError(#"{"jsonrpc":"2.0","error":{"code":1,"message":"m"}}"#, .invalidID)
        expectError(#"{"jsonrpc":"2.0","id":7,"params":{}}"#, .ambiguousKind, id: 7)
    }

    @Test func errorsMapToJSONRPCCodes() throws {
        do {
            _ = try envelope("{")
        } catch {
            #expect(error.jsonRPCError.code == .parseError)
        }
        do {
            _ = try envelope(#"{"jsonrpc":"2.0","id":1}"#)
        } catch {
            #expect(error.jsonRPCError.code == .invalidRequest)
        }
    }

    @Test func limitsApply() {
        let deep = #"{"jsonrpc":"2.0","id":1,"method":"x","params":{"a":"# + String(repeating: "[", count: 70) + String(repeating: "]", count: 70) + "}}"
        do {
            _ = try envelope(deep)
            Issue.record("accepted a message deeper than the limit")
        } catch {
            #expect(error.json?.code == .depthLimitExceeded)
        }
    }

    @Test func batches() throws {
        let batch = Array(#"[{"jsonrpc":"2.0","id":1,"method":"ping"}, {"jsonrpc":"2.0","id":2}, {"jsonrpc":"2.0","method":"n"}]"#.utf8)
        guard case .batch(let elements) = try MessageFrame.read(batch, revision: .v2025_03_26) else {
            Issue.record("not a batch")
            return
        }
        #expect(elements.count == 3)
        #expect((try? elements[0].get())?.method == "ping")
        #expect(throws: EnvelopeError.self) { try elements[1].get() }
        #expect((try? elements[2].get())?.kind == .notification)

        for revision in ProtocolRevision.allCases where revision != .v2025_03_26 {
            #expect {
                try MessageFrame.read(batch, revision: revision)
            } throws: { error in
                (error as? EnvelopeError)?.code == .batchNotAllowed
            }
        }
        #expect {
            try MessageFrame.read(Array(" [ ] ".utf8), revision: .v2025_03_26)
        } throws: { error in
            (error as? EnvelopeError)?.code == .emptyBatch
        }
        #expect {
            try MessageFrame.read(Array("[1,".utf8), revision: .v2025_03_26)
        } throws: { error in
            (error as? EnvelopeError)?.code == .malformedJSON
        }
        guard case .single(let single) = try MessageFrame.read(Array(#" {"jsonrpc":"2.0","method":"n"}"#.utf8), revision: .v2025_06_18) else {
            Issue.record("not a single message")
            return
        }
        #expect(single.method == "n")
    }
}


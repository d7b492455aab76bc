import Foundation
import Testing

@testable import MCPCore

/// The JSON types also work with other coders (Foundation's here), through their generic
/// paths: values keep their meaning, though number text and member order are up to the
/// other coder.
@Suite("JSON types with other coders")
struct ForeignCoderTests {
    @Test func jsonValueThroughFoundation() throws {
        let value: JSONValue = ["a": [1, -2, 2.5, "x", true, nil], "b": ["c": .number(JSONNumber(UInt64.max))], "d": [:], "e": []]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONValue(parsing: Array(data)) == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }

    @Test func messagesThroughFoundation() throws {
        let request = MCPRequestMessage<CallTool>(
            id: "r-1", params: CallToolRequestParams(name: "echo", arguments: ["text": "hi", "n": 3]))
        let data = try JSONEncoder().encode(request)
        #expect(try JSONValue(parsing: Array(data)) == JSONValueEncoder().encode(request))
        #expect(try JSONDecoder().decode(MCPRequestMessage<CallTool>.self, from: data) == request)

        let error = MCPErrorMessage(id: 4, error: JSONRPCError(code: .invalidParams, message: "bad", data: ["k": 1]))
        #expect(try JSONDecoder().decode(MCPErrorMessage.self, from: JSONEncoder().encode(error)) == error)
        #expect(try JSONDecoder().decode(JSONRPCID.self, from: Data("7".utf8)) == 7)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(JSONRPCID.self, from: Data("true".utf8)) }
    }

    @Test func numbersBeyondDoubleCannotGoToAnotherEncoder() {
        #expect(throws: EncodingError.self) { try JSONEncoder().encode([JSONNumber(text: "1e400")!]) }
    }
}

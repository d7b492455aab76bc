import Testing

@testable import MCPCore

@Suite("JSON parser")
struct JSONParserTests {
    private func parse(_ text: String, limits: JSONLimits = .default) throws(JSONError) -> JSONValue {
        try JSONParser(limits: limits).parse(Array(text.utf8))
    }

    private func parse(bytes: [UInt8]) throws(JSONError) -> JSONValue {
        try JSONParser().parse(bytes)
    }

    private func expectError(
        _ text: String, _ code: JSONError.Code, at offset: Int,
        limits: JSONLimits = .default, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectError(bytes: Array(text.utf8), code, at: offset, limits: limits, sourceLocation: sourceLocation)
    }

    private func expectError(
        bytes: [UInt8], _ code: JSONError.Code, at offset: Int,
        limits: JSONLimits = .default, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        do {
            let value = try JSONParser(limits: limits).parse(bytes)
            Issue.record("expected \(code) at \(offset), parsed \(value)", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.offset == offset, "\(error)", sourceLocation: sourceLocation)
        }
        // The validating path must agree with the building path.
        do {
            try JSONParser(limits: limits).validate(bytes)
            Issue.record("validate accepted what parse refused", sourceLocation: sourceLocation)
        } catch {
            #expect(error.code == code, "validate: \(error)", sourceLocation: sourceLocation)
            #expect(error.offset == offset, "validate: \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func scalars() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == .bool(true))
        #expect(try parse("\tfalse\r\n") == .bool(false))
        #expect(try parse("\"a\"") == .string("a"))
        #expect(try parse("0") == .number(0))
        #expect(try parse("-0.5e+3").numberValue?.text == "-0.5e+3")
    }

    @Test func numbersKeepTheirText() throws {
        for text in ["9007199254740993", "-9223372036854775808", "18446744073709551615", "0.1000", "1E400", "1e-7", "123456789012345678901234567890"] {
            let value = try parse("[\(text)]")
            #expect(value.arrayValue?.first?.numberValue?.text == text)
            #expect(value.serialized == Array("[\(text)]".utf8))
        }
        #expect(try parse("9007199254740993").numberValue?.int64Value == 9_007_199_254_740_993)
        #expect(try parse("18446744073709551615").numberValue?.uint64Value == .max)
        #expect(try parse("1.0").numberValue?.int64Value == 1)
        #expect(try parse("1.5").numberValue?.int64Value == nil)
    }

    @Test func numberEqualityIsByValue() throws {
        #expect(try parse("1") == parse("1.0"))
        #expect(try parse("100") == parse("1e2"))
        #expect(try parse("9007199254740993") != parse("9007199254740992"))
        #expect(try parse("{\"a\":1,\"b\":[2]}") == parse("{\"b\":[2.0],\"a\":1}"))
        #expect(Set([try parse("1"), try parse("1.0")]).count == 1)
    }

    @Test func membersKeepTheirOrder() throws {
        let text = #"{"z":1,"a":{"y":[true,null],"b":"x"},"m":-2.50}"#
        let value = try parse(text)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(String(decoding: value.serialized, as: UTF8.self) == text)
    }

    @Test func stringEscapes() throws {
        #expect(try parse(#""\u0041\/\"\\\b\f\n\r\t""#) == .string("A/\"\\\u{8}\u{C}\n\r\t"))
        #expect(try parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(try parse(#""\u00e9""#) == .string("é"))
        #expect(try parse(#""\u0000""#) == .string("\u{0}"))
        #expect(try parse("\"é😀\"") == .string("é😀"))
    }

    @Test func serializerEscapesWhatItMust() throws {
        let value = JSONValue.string("a\"b\\c\n\u{1}é")
        let text = String(decoding: value.serialized, as: UTF8.self)
        #expect(text == #""a\"b\\c\n\u0001é""#)
        #expect(try parse(text) == value)
    }

    @Test func truncatedInput() {
        expectError("", .unexpectedEndOfInput, at: 0)
        expectError("[1,", .unexpectedEndOfInput, at: 3)
        expectError("{\"a\"", .unexpectedEndOfInput, at: 4)
        expectError("\"abc", .unexpectedEndOfInput, at: 4)
        expectError("tru", .unexpectedEndOfInput, at: 3)
        expectError("\"\\", .unexpectedEndOfInput, at: 2)
    }

    @Test func grammarErrors() {
        expectError("01", .invalidNumber, at: 0)
        expectError("-01", .invalidNumber, at: 0)
        expectError("+1", .unexpectedByte, at: 0)
        expectError("1.", .invalidNumber, at: 0)
        expectError(".5", .unexpectedByte, at: 0)
        expectError("1e", .invalidNumber, at: 0)
        expectError("-", .invalidNumber, at: 0)
        expectError("[1 2]", .unexpectedByte, at: 3)
        expectError("[1,]", .unexpectedByte, at: 3)
        expectError("{\"a\":1,}", .unexpectedByte, at: 7)
        expectError("{a:1}", .unexpectedByte, at: 1)
        expectError("{\"a\" 1}", .unexpectedByte, at: 5)
        expectError("nul", .unexpectedEndOfInput, at: 3)
        expectError("nulL", .unexpectedByte, at: 3)
        expectError("NaN", .unexpectedByte, at: 0)
        expectError("'a'", .unexpectedByte, at: 0)
    }

    @Test func trailingData() {
        expectError("{} {}", .trailingData, at: 3)
        expectError("1 x", .trailingData, at: 2)
        expectError("1.2.3", .trailingData, at: 3)
        expectError("null\u{0}", .trailingData, at: 4)
    }

    @Test func stringErrors() {
        expectError("\"a\u{1}b\"", .controlCharacterInString, at: 2)
        expectError("\"a\nb\"", .controlCharacterInString, at: 2)
        expectError(#""\x""#, .invalidEscape, at: 1)
        expectError(#""\u12G4""#, .invalidUnicodeEscape, at: 1)
        expectError(#""\u12""#, .invalidUnicodeEscape, at: 1)
        expectError(#""\ud800""#, .loneSurrogate, at: 1)
        expectError(#""\ud800\u0041""#, .loneSurrogate, at: 1)
        expectError(#""x\udc00""#, .loneSurrogate, at: 2)
    }

    @Test func invalidUTF8() {
        let cases: [([UInt8], Int)] = [
            ([0x22, 0xC0, 0x80, 0x22], 1),  // overlong NUL
            ([0x22, 0xE0, 0x80, 0x80, 0x22], 2),  // overlong three-byte
            ([0x22, 0xED, 0xA0, 0x80, 0x22], 2),  // encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 2),  // above U+10FFFF
            ([0x22, 0x80, 0x22], 1),  // stray continuation
            ([0x22, 0xC3, 0x22], 2),  // truncated
            ([0x22, 0xFF, 0x22], 1),
            ([0x22, 0xE2, 0x82], 1),  // truncated at end of input
        ]
        for (bytes, offset) in cases {
            expectError(bytes: bytes, .invalidUTF8, at: offset)
        }
        // UTF-8 outside strings is not a value.
        expectError(bytes: [0xC3, 0xA9], .unexpectedByte, at: 0)
    }

    @Test func duplicateKeys() {
        expectError(#"{"a":1,"a":2}"#, .duplicateKey, at: 7)
        expectError(#"{"a":1,"\u0061":2}"#, .duplicateKey, at: 7)
        expectError(#"{"x":{"b":1,"c":2,"b":3}}"#, .duplicateKey, at: 18)
        // Two spellings of one key in Unicode normalization forms are one key in Swift.
        expectError("{\"\u{E9}\":1,\"e\u{301}\":2}", .duplicateKey, at: 8)
        // Past the small-object path.
        let many = (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",")
        expectError("{\(many),\"k7\":0}", .duplicateKey, at: many.utf8.count + 2)
        #expect(throws: Never.self) { try parse("{\(many)}") }
    }

    @Test func limits() {
        let limits = JSONLimits(maxBytes: 64, maxDepth: 3, maxStringBytes: 8, maxMembers: 4)
        expectError("[[[[1]]]]", .depthLimitExceeded, at: 3, limits: limits)
        #expect(throws: Never.self) { try parse("[[[1]]]", limits: limits) }
        expectError("\"123456789\"", .stringLimitExceeded, at: 0, limits: limits)
        #expect(throws: Never.self) { try parse("\"12345678\"", limits: limits) }
        expectError("[1,2,3,4,5]", .memberLimitExceeded, at: 9, limits: limits)
        expectError(#"{"a":1,"b":2,"c":3,"d":4,"e":5}"#, .memberLimitExceeded, at: 29, limits: limits)
        expectError(String(repeating: " ", count: 65), .sizeLimitExceeded, at: 64, limits: limits)
    }

    @Test func deepNestingIsRefusedNotCrashed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        expectError(deep, .depthLimitExceeded, at: 64, limits: JSONLimits(maxBytes: 1 << 20))
    }

    @Test func objectEditing() {
        var object: JSONObject = ["a": 1, "b": 2]
        object["a"] = "x"
        object["c"] = true
        object["b"] = nil
        #expect(object.keys == ["a", "c"])
        for index in 0..<30 { object["k\(index)"] = .number(JSONNumber(index)) }
        #expect(object["k29"] == 29)
        object["k3"] = nil
        #expect(object["k3"] == nil)
        #expect(object["k4"] == 4)
        #expect(object.count == 31)
    }

    @Test func prettyAndSorted() throws {
        let value = try parse(#"{"b":[1,{}],"a":"x"}"#)
        let sorted = value.jsonText(options: .sortedKeys)
        #expect(sorted == #"{"a":"x","b":[1,{}]}"#)
        let pretty = value.jsonText(options: .prettyPrinted)
        #expect(pretty == "{\n  \"b\": [\n    1,\n    {}\n  ],\n  \"a\": \"x\"\n}")
        #expect(try parse(pretty) == value)
    }

    @Test func doublesAreWrittenShortest() {
        #expect(JSONNumber(3.0)?.text == "3")
        #expect(JSONNumber(0.1)?.text == "0.1")
        #expect(JSONNumber(-2.5)?.text == "-2.5")
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(Double.infinity) == nil)
        #expect(JSONNumber(text: "01") == nil)
        #expect(JSONNumber(text: "1e5")?.doubleValue == 100_000)
    }
}

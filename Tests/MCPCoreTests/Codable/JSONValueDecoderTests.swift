import Testing

@testable import MCPCore

@Suite("JSONValueDecoder")
struct JSONValueDecoderTests {
    private let decoder = JSONValueDecoder()

    private func value(_ text: String) throws -> JSONValue {
        try JSONValue(parsing: text)
    }

    @Test func integersAreExact() throws {
        #expect(try decoder.decode(Int64.self, fromText: "9223372036854775807") == .max)
        #expect(try decoder.decode(Int64.self, fromText: "-9223372036854775808") == .min)
        #expect(try decoder.decode(UInt64.self, fromText: "18446744073709551615") == .max)
        #expect(try decoder.decode(Int.self, fromText: "9007199254740993") == 9_007_199_254_740_993)
        #expect(try decoder.decode(UInt128.self, fromText: "340282366920938463463374607431768211455") == .max)
        #expect(try decoder.decode(Int128.self, fromText: "-170141183460469231731687303715884105728") == .min)
        #expect(try decoder.decode(Int8.self, fromText: "-128") == -128)
        #expect(try decoder.decode(UInt16.self, fromText: "65535") == 65535)
        #expect(try decoder.decode(Int32.self, fromText: "-2147483648") == .min)
        #expect(try decoder.decode(UInt32.self, fromText: "4294967295") == .max)
        #expect(try decoder.decode(UInt8.self, fromText: "255") == 255)
        #expect(try decoder.decode(Int16.self, fromText: "-32768") == .min)
        #expect(try decoder.decode(UInt.self, fromText: "18446744073709551615") == .max)
    }

    @Test func integralNumbersWithAFractionOrExponentDecodeAsIntegers() throws {
        #expect(try decoder.decode(Int.self, fromText: "1.0") == 1)
        #expect(try decoder.decode(Int.self, fromText: "1e2") == 100)
        #expect(try decoder.decode(UInt8.self, fromText: "2.50e1") == 25)
        #expect(try decoder.decode(Int.self, fromText: "-0") == 0)
    }

    @Test func inexactOrOutOfRangeIntegersAreDataCorrupted() {
        expectDataCorrupted { _ = try decoder.decode(Int.self, fromText: "1.5") }
        expectDataCorrupted { _ = try decoder.decode(Int.self, fromText: "1e30") }
        expectDataCorrupted { _ = try decoder.decode(UInt8.self, fromText: "256") }
        expectDataCorrupted { _ = try decoder.decode(UInt64.self, fromText: "-1") }
        expectDataCorrupted { _ = try decoder.decode(Int64.self, fromText: "9223372036854775808") }
        expectDataCorrupted { _ = try decoder.decode(Int8.self, fromText: "-129") }
        expectDataCorrupted { _ = try decoder.decode(Double.self, fromText: "1e400") }
        expectDataCorrupted { _ = try decoder.decode(Float.self, fromText: "1e39") }
    }

    private func expectDataCorrupted(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("decoded", sourceLocation: sourceLocation)
        } catch DecodingError.dataCorrupted {
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func floatingPoint() throws {
        #expect(try decoder.decode(Double.self, fromText: "0.1") == 0.1)
        #expect(try decoder.decode(Double.self, fromText: "-1E-3") == -0.001)
        #expect(try decoder.decode(Float.self, fromText: "0.1") == Float(0.1))
        #expect(try decoder.decode(Double.self, fromText: "7") == 7)
    }

    private struct Record: Decodable {
        var name: String
        var items: [Item]
        struct Item: Decodable {
            var count: Int
            var flag: Bool?
        }
    }

    @Test func typeMismatchesCarryTheCodingPath() throws {
        do {
            _ = try decoder.decode(Record.self, fromText: #"{"name":"n","items":[{"count":1},{"count":"2"}]}"#)
            Issue.record("decoded")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 1", "count"])
            #expect(context.debugDescription.contains("string"))
        }
        do {
            _ = try decoder.decode(Record.self, fromText: #"{"name":"n","items":[{"count":1,"flag":1}]}"#)
            Issue.record("decoded")
        } catch let DecodingError.typeMismatch(type, context) {
            #expect(ObjectIdentifier(type) == ObjectIdentifier(Bool.self))
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 0", "flag"])
        }
        do {
            _ = try decoder.decode(Record.self, fromText: #"{"name":"n","items":{}}"#)
            Issue.record("decoded")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["items"])
        }
        do {
            _ = try decoder.decode(Record.self, fromText: #"{"name":"n","items":[{"count":1.5}]}"#)
            Issue.record("decoded")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.codingPath.map(\.stringValue) == ["items", "Index 0", "count"])
        }
    }

    @Test func missingKeysAndValues() throws {
        do {
            _ = try decoder.decode(Record.self, fromText: #"{"items":[]}"#)
            Issue.record("decoded")
        } catch let DecodingError.keyNotFound(key, context) {
            #expect(key.stringValue == "name")
            #expect(context.codingPath.isEmpty)
        }
        struct Pair: Decodable {
            var first: Int
            var second: Int
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                first = try container.decode(Int.self)
                second = try container.decode(Int.self)
            }
        }
        do {
            _ = try decoder.decode(Pair.self, fromText: "[1]")
            Issue.record("decoded")
        } catch let DecodingError.valueNotFound(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["Index 1"])
        }
        do {
            _ = try decoder.decode(Record.self, fromText: #"{"name":null,"items":[]}"#)
            Issue.record("decoded")
        } catch let DecodingError.typeMismatch(_, context) {
            #expect(context.codingPath.map(\.stringValue) == ["name"])
        }
    }

    @Test func nestedAndSuperDecoders() throws {
        struct Custom: Decodable, Equatable {
            enum Keys: String, CodingKey { case a, b, `super` }
            var values: [String] = []
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Keys.self)
                #expect(container.allKeys.map(\.stringValue) == ["b", "a", "super"])
                var list = try container.nestedUnkeyedContainer(forKey: .a)
                #expect(list.count == 4)
                values.append(try list.decode(String.self))
                let inner = try list.nestedContainer(keyedBy: Keys.self)
                values.append(try inner.decode(String.self, forKey: .b))
                var innerList = try list.nestedUnkeyedContainer()
                values.append(String(try innerList.decode(Int.self)))
                #expect(try list.decodeNil())
                #expect(list.isAtEnd)
                let nested = try container.nestedContainer(keyedBy: Keys.self, forKey: .b)
                values.append(try nested.decode(String.self, forKey: .a))
                values.append(try container.superDecoder().singleValueContainer().decode(String.self))
                values.append(try container.superDecoder(forKey: .b).container(keyedBy: Keys.self).decode(String.self, forKey: .a))
            }
        }
        let custom = try decoder.decode(Custom.self, fromText: #"{"b":{"a":"ba"},"a":["x",{"b":"y"},[3],null],"super":"s"}"#)
        #expect(custom.values == ["x", "y", "3", "ba", "s", "ba"])
    }

    @Test func decodeIfPresentKeepsNullForJSONValueOnly() throws {
        struct Members: Decodable {
            var string: String?
            var value: JSONValue?
            var missing: JSONValue?
        }
        let members = try decoder.decode(Members.self, fromText: #"{"string":null,"value":null}"#)
        #expect(members.string == nil)
        #expect(members.value == .null)
        #expect(members.missing == nil)

        struct Elements: Decodable {
            var values: [JSONValue?]
            var direct: [JSONValue?]
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: JSONCodingKey.self)
                values = try container.decode([JSONValue?].self, forKey: JSONCodingKey(stringValue: "values"))
                var list = try container.nestedUnkeyedContainer(forKey: JSONCodingKey(stringValue: "values"))
                direct = []
                while !list.isAtEnd { direct.append(try list.decodeIfPresent(JSONValue.self)) }
            }
        }
        let elements = try decoder.decode(Elements.self, fromText: #"{"values":[null,1]}"#)
        // An array of optionals decodes its elements with Optional's own rule ...
        #expect(elements.values == [nil, 1])
        // ... while decodeIfPresent keeps a JSON null as a value.
        #expect(elements.direct == [.null, 1])
    }

    @Test func invalidJSONTextThrowsJSONError() {
        #expect(throws: JSONError.self) { try decoder.decode(Int.self, fromText: "[1,]") }
        #expect(throws: JSONError.self) { try decoder.decode(Int.self, fromBytes: Array("01".utf8)) }
    }

    @Test func jsonRPCID() throws {
        #expect(try decoder.decode(JSONRPCID.self, fromText: "18446744073709551615") == .number(JSONNumber(UInt64.max)))
        #expect(try decoder.decode(JSONRPCID.self, fromText: #""x""#) == "x")
        #expect(throws: DecodingError.self) { try decoder.decode(JSONRPCID.self, fromText: "null") }
        #expect(throws: DecodingError.self) { try decoder.decode(JSONRPCID.self, fromText: "[]") }
    }

    @Test func userInfoReachesInitFrom() throws {
        let key = CodingUserInfoKey(rawValue: "flavour")!
        struct Reader: Decodable {
            var flavour: String
            init(from decoder: any Decoder) throws {
                flavour = decoder.userInfo[CodingUserInfoKey(rawValue: "flavour")!] as? String ?? "none"
            }
        }
        #expect(try JSONValueDecoder(userInfo: [key: "mint"]).decode(Reader.self, from: .null).flavour == "mint")
    }
}

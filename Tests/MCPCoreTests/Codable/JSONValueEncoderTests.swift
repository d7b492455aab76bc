import Testing

@testable import MCPCore

@Suite("JSONValueEncoder")
struct JSONValueEncoderTests {
    private let encoder = JSONValueEncoder()

    private struct Scalars: Codable, Equatable {
        var bool = true
        var string = "é\"\n"
        var double = 0.1
        var float: Float = 0.1
        var int = -1
        var int8: Int8 = .min
        var int16: Int16 = .min
        var int32: Int32 = .min
        var int64: Int64 = .min
        var uint = UInt.max
        var uint8: UInt8 = .max
        var uint16: UInt16 = .max
        var uint32: UInt32 = .max
        var uint64: UInt64 = .max
        var int128: Int128 = .min
        var uint128: UInt128 = .max
    }

    @Test func everyScalarType() throws {
        let value = try encoder.encode(Scalars())
        #expect(
            value.jsonText()
                == #"{"bool":true,"string":"é\"\n","double":0.1,"float":0.1,"int":-1,"int8":-128,"int16":-32768,"#
                + #""int32":-2147483648,"int64":-9223372036854775808,"uint":18446744073709551615,"uint8":255,"#
                + #""uint16":65535,"uint32":4294967295,"uint64":18446744073709551615,"#
                + #""int128":-170141183460469231731687303715884105728,"#
                + #""uint128":340282366920938463463374607431768211455}"#)
        #expect(try JSONValueDecoder().decode(Scalars.self, from: value) == Scalars())
    }

    @Test func topLevelScalars() throws {
        #expect(try encoder.encode(true) == .bool(true))
        #expect(try encoder.encode("x") == .string("x"))
        #expect(try encoder.encode(UInt64.max).numberValue?.text == "18446744073709551615")
        #expect(try encoder.encode(2.5).numberValue?.text == "2.5")
        #expect(try encoder.encode(3.0).numberValue?.text == "3")
        #expect(try encoder.encode(Float(1.5)).numberValue?.text == "1.5")
        #expect(try encoder.encode([Int]()) == .array([]))
        #expect(try encoder.encode(String?.none) == .null)
    }

    private struct Ordered: Codable {
        var zebra = 1
        var apple = 2
        var mango = 3
    }

    @Test func keysComeOutInDeclarationOrder() throws {
        #expect(try encoder.encode(Ordered()).jsonText() == #"{"zebra":1,"apple":2,"mango":3}"#)
    }

    private struct Optionals: Codable, Equatable {
        var present: Int? = 1
        var absent: String? = nil
        var value: JSONValue? = nil
        var nullValue: JSONValue? = .null
    }

    @Test func nilOptionalsAreLeftOutAndNullJSONValuesKept() throws {
        let value = try encoder.encode(Optionals())
        #expect(value.jsonText() == #"{"present":1,"nullValue":null}"#)
        // A present null decodes back as .null, not nil, so the member survives.
        #expect(try JSONValueDecoder().decode(Optionals.self, from: value) == Optionals())
    }

    private struct Carrier: Codable, Equatable {
        var number: JSONNumber
        var value: JSONValue
        var object: JSONObject
        var values: [JSONValue]
    }

    @Test func jsonTypesPassThroughUnchanged() throws {
        let text = #"{"number":1.000,"value":{"b":9007199254740993,"a":[1e2,-0.0]},"object":{"z":1,"y":2},"values":[1.50,null]}"#
        let parsed = try JSONValue(parsing: text)
        let carrier = try JSONValueDecoder().decode(Carrier.self, from: parsed)
        #expect(carrier.number.text == "1.000")
        #expect(carrier.value["b"]?.numberValue?.text == "9007199254740993")
        #expect(carrier.object.keys == ["z", "y"])
        let encoded = try encoder.encode(carrier)
        #expect(encoded.jsonText() == text)
    }

    @Test func nestedContainersAndSuperEncoders() throws {
        struct Custom: Encodable {
            enum Keys: String, CodingKey { case head, list, inner, tail }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: Keys.self)
                try container.encode("h", forKey: .head)
                var list = container.nestedUnkeyedContainer(forKey: .list)
                try list.encode(1)
                var nestedObject = list.nestedContainer(keyedBy: Keys.self)
                var nestedList = list.nestedUnkeyedContainer()
                try list.encodeNil()
                // Containers keep accepting values after their parent moved on.
                try nestedObject.encode(true, forKey: .inner)
                try nestedList.encode("x")
                let superEncoder = container.superEncoder()
                var inner = container.nestedContainer(keyedBy: Keys.self, forKey: .inner)
                try inner.encode(2, forKey: .tail)
                let keyedSuper = container.superEncoder(forKey: .tail)
                var superContainer = superEncoder.singleValueContainer()
                try superContainer.encode("base")
                var keyedSuperContainer = keyedSuper.unkeyedContainer()
                try keyedSuperContainer.encode(3)
                var unkeyedSuper = list.superEncoder().container(keyedBy: Keys.self)
                try unkeyedSuper.encode("s", forKey: .head)
            }
        }
        let value = try encoder.encode(Custom())
        #expect(
            value.jsonText()
                == #"{"head":"h","list":[1,{"inner":true},["x"],null,{"head":"s"}],"super":"base","inner":{"tail":2},"tail":[3]}"#)
    }

    @Test func aSecondKeyedContainerContinuesTheSameObject() throws {
        struct Split: Encodable {
            enum First: String, CodingKey { case a }
            enum Second: String, CodingKey { case b, a }
            func encode(to encoder: any Encoder) throws {
                var first = encoder.container(keyedBy: First.self)
                try first.encode(1, forKey: .a)
                var second = encoder.container(keyedBy: Second.self)
                try second.encode(2, forKey: .b)
                try second.encode(3, forKey: .a)
            }
        }
        // A key encoded twice keeps its first position and takes the last value.
        #expect(try encoder.encode(Split()).jsonText() == #"{"a":3,"b":2}"#)
    }

    private struct Deep: Encodable {
        var items: [Inner]
        struct Inner: Encodable {
            var value: Double
        }
    }

    @Test func nonFiniteNumbersAreErrorsWithTheirPath() throws {
        for bad in [Double.nan, .infinity, -.infinity] {
            do {
                _ = try encoder.encode(Deep(items: [.init(value: 1), .init(value: bad)]))
                Issue.record("encoded \(bad)")
            } catch let EncodingError.invalidValue(_, context) {
                #expect(context.codingPath.map(\.stringValue) == ["items", "Index 1", "value"])
                #expect(context.codingPath[1].intValue == 1)
            }
        }
        #expect(throws: EncodingError.self) { try encoder.encode(Float.nan) }
        #expect(throws: EncodingError.self) { try encoder.encode([Float.infinity]) }
    }

    @Test func aTopLevelValueThatEncodesNothingIsAnError() throws {
        struct Nothing: Encodable {
            func encode(to encoder: any Encoder) throws {}
        }
        #expect(throws: EncodingError.self) { try encoder.encode(Nothing()) }
        // One level down, an empty value becomes an empty object, as other encoders do.
        #expect(try encoder.encode([Nothing()]) == [[:]])
    }

    @Test func userInfoReachesEncodeTo() throws {
        let key = CodingUserInfoKey(rawValue: "flavour")!
        struct Reader: Encodable {
            let key: CodingUserInfoKey
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                try container.encode(encoder.userInfo[key] as? String ?? "none")
            }
        }
        #expect(try JSONValueEncoder(userInfo: [key: "mint"]).encode(Reader(key: key)) == "mint")
    }

    @Test func bytesAndTextHelpers() throws {
        #expect(try encoder.encodeBytes(Ordered()) == Array(#"{"zebra":1,"apple":2,"mango":3}"#.utf8))
        #expect(try encoder.encodeText(Ordered(), options: .sortedKeys) == #"{"apple":2,"mango":3,"zebra":1}"#)
    }

    @Test func jsonRPCTypesAreCodable() throws {
        #expect(try encoder.encode(JSONRPCID(9_007_199_254_740_993)).numberValue?.text == "9007199254740993")
        #expect(try encoder.encode(JSONRPCID("a")) == "a")
        let error = JSONRPCError(code: .invalidParams, message: "bad", data: ["k": .null])
        let value = try encoder.encode(error)
        #expect(value.jsonText() == #"{"code":-32602,"message":"bad","data":{"k":null}}"#)
        #expect(try JSONValueDecoder().decode(JSONRPCError.self, from: value) == error)
        #expect(try encoder.encode(JSONRPCError(code: .internalError, message: "x")).jsonText() == #"{"code":-32603,"message":"x"}"#)
    }
}

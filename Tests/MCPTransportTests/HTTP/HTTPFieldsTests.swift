import Testing

@testable import MCPTransport

@Suite("HTTP fields")
struct HTTPFieldsTests {
    @Test func looksUpNamesWithoutCase() {
        var fields: HTTPFields = ["Content-Type": "application/json", "X-A": "1"]
        fields.append(name: "x-a", value: "2")
        #expect(fields.count == 3)
        #expect(fields["content-type"] == "application/json")
        #expect(fields["CONTENT-TYPE"] == "application/json")
        #expect(fields["X-a"] == "1")
        #expect(fields.values(named: "x-A") == ["1", "2"])
        #expect(fields.count(named: "X-A") == 2)
        #expect(fields.contains(named: "x-a"))
        #expect(!fields.contains(named: "x-b"))
        #expect(fields["missing"] == nil)
        #expect(fields[0].hasName("CONTENT-type"))
        #expect(fields.firstValueBytes(named: "x-a") == Array("1".utf8)[...])
    }

    @Test func setsAndRemovesFields() {
        var fields: HTTPFields = ["A": "1", "B": "2", "a": "3"]
        fields["a"] = "4"
        #expect(fields.map(\.name) == ["B", "a"])
        #expect(fields.map(\.value) == ["2", "4"])
        fields["B"] = nil
        #expect(fields.map(\.name) == ["a"])
        fields.removeAll(named: "A")
        #expect(fields.isEmpty)
    }

    @Test func equalityKeepsOrderAndCase() {
        let one: HTTPFields = ["A": "1", "B": "2"]
        let same: HTTPFields = ["A": "1", "B": "2"]
        let reordered: HTTPFields = ["B": "2", "A": "1"]
        let recased: HTTPFields = ["a": "1", "B": "2"]
        #expect(one == same)
        #expect(one.hashValue == same.hashValue)
        #expect(one != reordered)
        #expect(one != recased)
    }

    @Test func splitsListsOutsideQuotes() {
        let fields: HTTPFields = [
            "Accept": "application/json, text/event-stream;q=0.9 ,,",
            "accept": "a/b; p=\"x,\\\"y\"",
        ]
        #expect(
            fields.listElements(named: "accept")
                == ["application/json", "text/event-stream;q=0.9", "a/b; p=\"x,\\\"y\""])
    }

    @Test func validatesNamesAndValues() {
        #expect(HTTPFields.isValidName("Mcp-Session-Id".utf8))
        #expect(HTTPFields.isValidName("!#$%&'*+-.^_`|~09azAZ".utf8))
        #expect(!HTTPFields.isValidName("".utf8))
        #expect(!HTTPFields.isValidName("A B".utf8))
        #expect(!HTTPFields.isValidName("A:".utf8))
        #expect(!HTTPFields.isValidName("A\r\n".utf8))
        #expect(HTTPFields.isValidValue(Array("".utf8)))
        #expect(HTTPFields.isValidValue(Array("a b\tc".utf8)))
        #expect(HTTPFields.isValidValue([0x61, 0xFF, 0x80]))
        #expect(!HTTPFields.isValidValue(Array(" a".utf8)))
        #expect(!HTTPFields.isValidValue(Array("a\t".utf8)))
        #expect(!HTTPFields.isValidValue(Array("a\r\nb".utf8)))
        #expect(!HTTPFields.isValidValue(Array("a\nb".utf8)))
        #expect(!HTTPFields.isValidValue(Array("a\rb".utf8)))
        #expect(!HTTPFields.isValidValue([0x61, 0x00]))
        #expect(!HTTPFields.isValidValue([0x61, 0x7F]))
    }

    @Test func statusesCompareByCode() {
        #expect(HTTPStatus(code: 404) == .notFound)
        #expect(HTTPStatus(code: 404).reasonPhrase == "Not Found")
        #expect(HTTPStatus(code: 200, reasonPhrase: "Fine") == .ok)
        #expect(HTTPStatus(code: 599).reasonPhrase == "")
        #expect(HTTPStatus.noContent.forbidsContent)
        #expect(!HTTPStatus.ok.forbidsContent)
        #expect(HTTPStatus.continue.isInformational)
    }

    @Test func findsAMediaTypeInAHeaderValueWithoutCase() {
        func accepts(_ value: String, _ type: StaticString) -> Bool {
            HTTPSyntax.contains(ArraySlice(value.utf8), ignoringCase: type)
        }
        #expect(accepts("application/json, text/event-stream", "text/event-stream"))
        #expect(accepts("Text/Event-Stream;q=0.9", "text/event-stream"))
        #expect(accepts("*/*", "*/*"))
        #expect(!accepts("application/json", "text/event-stream"))
        #expect(!accepts("text/event-strea", "text/event-stream"))
        #expect(!accepts("", "*/*"))
    }
}

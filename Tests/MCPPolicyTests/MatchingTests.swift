import MCPCore
import MCPCrypto
@testable import MCPPolicy
import Testing

@Suite("Globs, regular expressions, paths and time")
struct MatchingTests {
    static let globs: [(String, String, Bool)] = [
        ("get_*", "get_issue", true), ("get_*", "get_", true), ("get_*", "get", false), ("*_issue", "get_issue", true),
        ("*", "", true), ("a*b*c", "aXXbYYc", true), ("a*b*c", "aXXbYY", false), ("a?c", "abc", true),
        ("a?c", "ac", false), ("a?c", "añc", true), ("é*", "été", true), ("a\\*", "a*", true), ("a\\*", "ab", false),
        ("file:///*/x", "file:///a/b/x", true), ("*a*a*a*a*b", String(repeating: "a", count: 200), false),
    ]

    @Test("globs match whole names", arguments: 0..<globs.count)
    func glob(_ index: Int) throws {
        let (pattern, name, expected) = Self.globs[index]
        #expect(try Glob(pattern, maxLength: 100, at: "").matches(name) == expected)
    }

    static let regexes: [(String, String, Bool)] = [
        ("abc", "xxabcxx", true), ("^abc", "xabc", false), ("abc$", "abcx", false), ("^a.c$", "abc", true),
        ("^a.c$", "añc", true), ("^[a-c]+$", "abcabc", true), ("^[a-c]+$", "abcd", false), ("^[^0-9]*$", "abc", true),
        ("^[^0-9]*$", "a1", false), ("\\d{3}-\\d{4}", "call 555-1234", true), ("^\\w+@\\w+\\.com$", "a_b@c.com", true),
        ("^(ab|cd)+$", "abcdab", true), ("^(ab|cd)+$", "abc", false), ("^a{2,3}$", "aaa", true),
        ("^a{2,3}$", "aaaa", false),
        ("^a{2,}$", "aaaaa", true), ("^(?:x|y)?z$", "z", true), ("colou?r", "color", true), ("^$", "", true),
        ("a|", "zzz", true), ("\\.env$", "/app/.env", true), ("\\.env$", "/app/xenv", false), ("[\\d-]+", "--", true),
        ("^(a*)*b$", String(repeating: "a", count: 5000), false),
        ("^(a|a)*$", String(repeating: "a", count: 5000) + "b", false),
        ("\\s", "a b", true), ("\\S+", "   ", false), ("^[.]$", "x", false), ("a+?", "a", true),
    ]

    @Test("regular expressions search without backtracking", arguments: 0..<regexes.count)
    func regex(_ index: Int) throws {
        let (pattern, text, expected) = Self.regexes[index]
        let compiled = try BoundedRegex(pattern, maxLength: 200, maxInstructions: 2000, at: "p")
        #expect(compiled.matches(text) == expected)
    }

    @Test(
        "unsupported or oversized regular expressions are refused",
        arguments: [
            "(a", "a)", "*a", "a**", "[a", "\\b", "\\1", "(?=a)", "a{2,1}", "a{101}",
            "(((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))",
            "(a{100}){100}", "[z-a]",
        ])
    func badRegex(_ pattern: String) {
        #expect(throws: PolicyError(.invalidRegex, at: "p", "")) {
            try BoundedRegex(pattern, maxLength: 200, maxInstructions: 2000, at: "p")
        }
    }

    @Test("argument paths read members, positions and any element")
    func paths() throws {
        let value: JSONValue = ["a": ["b": [10, 20, ["c": "x"]]], "list": [["k": 1], ["k": 2]]]
        func values(_ text: String) throws -> [JSONValue] {
            var found: [JSONValue] = []
            _ = try ArgumentPath(text, maxSegments: 8, at: "").anyValue(in: value) {
                found.append($0); return false
            }
            return found
        }
        #expect(try values("a.b[1]") == [20])
        #expect(try values("a.b[2].c") == ["x"])
        #expect(try values("list[*].k") == [1, 2])
        #expect(try values("a.missing").isEmpty)
        #expect(try values("a.b[9]").isEmpty)
        for bad in ["", ".a", "a.", "a..b", "a[", "a[-1]", "a[x]", "a[0]b", "a]"] {
            #expect(throws: PolicyError.self) { try ArgumentPath(bad, maxSegments: 8, at: "") }
        }
        #expect(throws: PolicyError(.limitExceeded, at: "", "")) { try ArgumentPath("a.b.c", maxSegments: 2, at: "") }
    }

    @Test("RFC 3339 times convert both ways and weekdays are right")
    func times() throws {
        let time = try #require(PolicyTime(rfc3339: "2026-11-25T12:00:00Z"))
        #expect(time.unixMilliseconds == 1_795_608_000_000)
        #expect(time.description == "2026-11-25T12:00:00Z")
        #expect(PolicyTime(rfc3339: "2026-11-25T13:30:00.25+01:30")?.description == "2026-11-25T12:00:00.250Z")
        #expect(PolicyTime(rfc3339: "1969-12-31T23:59:59Z")?.unixMilliseconds == -1000)
        #expect(PolicyTime(rfc3339: "2024-02-29T00:00:00Z") != nil)
        for bad in ["2025-02-29T00:00:00Z", "2026-11-25 12:00", "2026-11-25T12:00:00", "2026-13-01T00:00:00Z", "x"] {
            #expect(PolicyTime(rfc3339: bad) == nil)
        }
        let wednesday = TimeWindow(days: 1 << 2, fromMinute: 0, toMinute: 0, offsetMinutes: 0)
        #expect(wednesday.contains(time))
        #expect(!wednesday.contains(time.adding(seconds: 86_400)))
        let beforeEpoch = TimeWindow(days: 1 << 2, fromMinute: 0, toMinute: 0, offsetMinutes: 0)
        #expect(beforeEpoch.contains(PolicyTime(rfc3339: "1969-12-31T12:00:00Z")!))
    }

    @Test("the arguments hash is SHA-256 of the canonical arguments")
    func argumentsHash() {
        #expect(SHA256.hash(Array("abc".utf8)).map { String($0, radix: 16) }.joined().hasPrefix("ba7816bf"))
        #expect(
            ArgumentsHash.of(["b": 1, "a": [true, nil]])
                == "51705a2c9eb3e7e410a58f696a770c3ac3885a0cf43eb7fc88f5e47c11d4d30d")
        #expect(ArgumentsHash.of(["b": 1, "a": [true, nil]]) == ArgumentsHash.of(["a": [true, nil], "b": 1]))
        #expect(ArgumentsHash.of(["a": 1]) != ArgumentsHash.of(["a": 2]))
        // SHA-256("") and of 56 bytes (two-block padding).
        let empty = SHA256.hash([])
        #expect(empty.prefix(4) == [0xe3, 0xb0, 0xc4, 0x42])
        let long = SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
        #expect(long.prefix(4) == [0x24, 0x8d, 0x6a, 0x61])
    }

    @Test("the LRU table keeps its capacity and its order through removals")
    func lruTable() {
        var table = LRUTable<Int>(capacity: 3)
        table.set(1, for: "a")
        table.set(2, for: "b")
        table.set(3, for: "c")
        _ = table.value(for: "a")  // order: a c b
        table.set(4, for: "d")  // evicts b
        #expect(table.peek("b") == nil && table.count == 3)
        table.remove("c")
        table.set(5, for: "e")
        table.set(6, for: "f")  // evicts the least recent of a d e: a
        #expect(table.peek("a") == nil)
        #expect(table.peek("d") == 4 && table.peek("e") == 5 && table.peek("f") == 6)
        table.remove("d")
        table.remove("e")
        table.remove("f")
        #expect(table.count == 0)
        table.set(7, for: "g")
        #expect(table.peek("g") == 7)
    }
}

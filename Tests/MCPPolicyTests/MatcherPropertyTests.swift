import MCPCore
import Testing

@testable import MCPPolicy

/// The regular-expression and glob matchers against small, obviously correct reference
/// matchers, on random patterns and inputs.
@Suite("Matcher properties")
struct MatcherPropertyTests {
    indirect enum Node {
        case literal(Character)
        case any
        case set([Character], negated: Bool)
        case start
        case end
        case concat([Node])
        case alternation([Node])
        case repetition(Node, min: Int, max: Int?)

        var pattern: String {
            switch self {
            case .literal(let character): String(character)
            case .any: "."
            case .set(let characters, let negated): "[" + (negated ? "^" : "") + String(characters) + "]"
            case .start: "^"
            case .end: "$"
            case .concat(let items): items.map(\.pattern).joined()
            case .alternation(let branches): "(" + branches.map(\.pattern).joined(separator: "|") + ")"
            case .repetition(let inner, let minimum, let maximum):
                "(?:" + inner.pattern + ")"
                    + (minimum == 0 && maximum == nil
                        ? "*"
                        : minimum == 1 && maximum == nil
                            ? "+"
                            : minimum == 0 && maximum == 1
                                ? "?" : "{\(minimum),\(maximum.map(String.init) ?? "")}")
            }
        }

        /// Every end position reachable from `positions`.
        func ends(_ text: [Character], from positions: Set<Int>) -> Set<Int> {
            switch self {
            case .literal(let character):
                return Set(positions.filter { $0 < text.count && text[$0] == character }.map { $0 + 1 })
            case .any:
                return Set(positions.filter { $0 < text.count }.map { $0 + 1 })
            case .set(let characters, let negated):
                return Set(
                    positions.filter { $0 < text.count && characters.contains(text[$0]) != negated }.map { $0 + 1 })
            case .start: return positions.filter { $0 == 0 }
            case .end: return positions.filter { $0 == text.count }
            case .concat(let items):
                return items.reduce(positions) { $1.ends(text, from: $0) }
            case .alternation(let branches):
                return branches.reduce(into: Set<Int>()) { $0.formUnion($1.ends(text, from: positions)) }
            case .repetition(let inner, let minimum, let maximum):
                var current = positions
                for _ in 0..<minimum { current = inner.ends(text, from: current) }
                var reached = current
                var count = minimum
                while maximum.map({ count < $0 }) ?? true {
                    let next = inner.ends(text, from: current).subtracting(reached)
                    if next.isEmpty && maximum == nil { break }
                    reached.formUnion(next)
                    current = next
                    count += 1
                    if current.isEmpty { break }
                }
                return reached
            }
        }
    }

    static func node(_ random: inout SplitMix64, depth: Int) -> Node {
        let roll = Int.random(in: 0..<(depth > 2 ? 5 : 10), using: &random)
        switch roll {
        case 0, 1, 2: return .literal(random.pick(["a", "b", "c"]))
        case 3:
            return random.chance(50) ? .any : .set(random.chance(50) ? ["a", "b"] : ["c"], negated: random.chance(30))
        case 4: return random.chance(50) ? .start : .end
        case 5, 6:
            return .concat((0..<Int.random(in: 2...3, using: &random)).map { _ in node(&random, depth: depth + 1) })
        case 7: return .alternation((0..<2).map { _ in node(&random, depth: depth + 1) })
        default:
            let minimum = Int.random(in: 0...2, using: &random)
            let maximum: Int? = random.chance(50) ? nil : minimum + Int.random(in: 0...2, using: &random)
            return .repetition(node(&random, depth: depth + 1), min: minimum, max: maximum)
        }
    }

    @Test("the Pike machine agrees with a set-of-positions reference on random patterns")
    func regexAgrees() throws {
        var random = SplitMix64(seed: 0xBADC_0FFE)
        for _ in 0..<600 {
            let tree = Self.node(&random, depth: 0)
            let regex = try BoundedRegex(tree.pattern, maxLength: 500, maxInstructions: 5000, at: "p")
            for _ in 0..<10 {
                let text = (0..<Int.random(in: 0...8, using: &random)).map { _ in
                    random.pick(["a", "b", "c"] as [Character])
                }
                let expected = (0...text.count).contains { !tree.ends(text, from: [$0]).isEmpty }
                #expect(regex.matches(String(text)) == expected, "\(tree.pattern) on \(String(text))")
            }
        }
    }

    static func referenceGlob(_ pattern: [Character], _ name: [Character]) -> Bool {
        guard let first = pattern.first else { return name.isEmpty }
        if first == "*" {
            return (0...name.count).contains { referenceGlob(Array(pattern.dropFirst()), Array(name.dropFirst($0))) }
        }
        guard let head = name.first else { return false }
        return (first == "?" || first == head) && referenceGlob(Array(pattern.dropFirst()), Array(name.dropFirst()))
    }

    @Test("globs agree with a recursive reference on random patterns and names")
    func globAgrees() throws {
        var random = SplitMix64(seed: 0x61_0B)
        let alphabet: [Character] = ["a", "b", "é", "*", "?"]
        for _ in 0..<3000 {
            let pattern = (0..<Int.random(in: 1...6, using: &random)).map { _ in random.pick(alphabet) }
            let name = (0..<Int.random(in: 0...7, using: &random)).map { _ in
                random.pick(["a", "b", "é"] as [Character])
            }
            let glob = try Glob(String(pattern), maxLength: 100, at: "")
            #expect(
                glob.matches(String(name)) == Self.referenceGlob(pattern, name), "\(String(pattern)) on \(String(name))"
            )
        }
    }

    @Test("mangled documents are refused with a typed error or read, never crash")
    func mangledDocuments() {
        let text = Array(
            #"""
            {"id":"d","organization":"acme","defaultEffect":"deny","tools":[{"names":["get_*"],"traits":["readOnly"]}],
             "rules":[{"id":"r","effect":"deny","when":{"names":["a*"],"time":{"days":["mon"],"from":"09:00"},
             "arguments":[{"path":"a[*].b","op":"regex","value":"^(x|y){2,3}$"},{"path":"n","op":"range","min":1}]}},
             {"id":"l","effect":"rateLimit","rateLimit":{"capacity":2,"refillPerSecond":1,"key":["tool"]}}]}
            """#.utf8)
        var random = SplitMix64(seed: 0xD0C)
        let bytes: [UInt8] = Array(#"{}[]",:*?\^$()|.0123456789aez-"#.utf8)
        var refused = 0
        for _ in 0..<2000 {
            var mangled = text
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let position = Int.random(in: 0..<mangled.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: mangled.remove(at: position)
                case 1: mangled.insert(random.pick(bytes), at: position)
                default: mangled[position] = random.pick(bytes)
                }
            }
            do {
                let document = try PolicyDocument(parsing: mangled)
                let engine = try PolicyEngine(documents: [document])
                _ = engine.decide(
                    PolicyRequest(
                        principal: PolicyPrincipal(subject: "s", organization: "acme"), upstream: "u", kind: .toolCall,
                        name: "ab", arguments: ["a": [["b": "xy"]], "n": 3]),
                    now: PolicyTime(unixSeconds: 0))
            } catch {
                refused += 1
            }
        }
        #expect(refused > 500)
    }
}

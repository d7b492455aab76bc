/// A regular expression of a safe subset, matched by a Pike virtual machine: time linear
/// in the input for a given pattern, no backtracking, so no pattern can make a decision
/// slow (no catastrophic backtracking).
///
/// Supported: literals, `.`, classes `[a-z]` and `[^...]`, `\d \w \s \D \W \S`, escaped
/// punctuation, `\n \t \r`, groups `( )` and `(?: )`, alternation `|`, anchors `^ $`,
/// quantifiers `* + ?` and `{m}`, `{m,}`, `{m,n}` (lazy forms accepted; matching is a
/// yes/no question). Not supported: back-references, look-around, word boundaries, flags.
/// A match may occur anywhere in the string unless anchored.
struct BoundedRegex: Sendable {
    enum Instruction: Sendable {
        case scalars(ScalarSet)
        case any
        case split(Int, Int)
        case jump(Int)
        case assertStart
        case assertEnd
        case match
    }

    let program: [Instruction]

    /// Compiles a pattern.
    ///
    /// - Throws: ``PolicyError/Code/invalidRegex`` when the pattern is outside the subset,
    ///   longer than `maxLength` scalars, or compiles to more than `maxInstructions`.
    init(_ pattern: String, maxLength: Int, maxInstructions: Int, at keyPath: String) throws(PolicyError) {
        let scalars = Array(pattern.unicodeScalars)
        guard scalars.count <= maxLength else {
            throw PolicyError(.invalidRegex, at: keyPath, "a regular expression is longer than \(maxLength) characters")
        }
        var parser = RegexParser(scalars: scalars, keyPath: keyPath)
        let node = try parser.parseAll()
        var compiler = RegexCompiler(maxInstructions: maxInstructions, keyPath: keyPath)
        try compiler.emit(node)
        try compiler.append(.match)
        program = compiler.program
    }

    /// Whether the pattern matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        let count = program.count
        var current = ThreadList(capacity: count)
        var next = ThreadList(capacity: count)
        var stack: [Int] = []
        stack.reserveCapacity(8)
        var position = 0
        var atEnd = false
        var iterator = text.unicodeScalars.makeIterator()
        var scalar = iterator.next()
        atEnd = scalar == nil
        // A new thread starts at every position (unanchored search).
        if addThread(0, to: &current, stack: &stack, atStart: true, atEnd: atEnd) { return true }
        while let character = scalar {
            next.clear()
            let upcoming = iterator.next()
            let nextAtEnd = upcoming == nil
            position += 1
            for index in 0..<current.count {
                let pc = current.dense[index]
                let advances: Bool
                switch program[pc] {
                case .scalars(let set): advances = set.contains(character)
                case .any: advances = true
                default: advances = false
                }
                if advances, addThread(pc + 1, to: &next, stack: &stack, atStart: false, atEnd: nextAtEnd) {
                    return true
                }
            }
            if addThread(0, to: &next, stack: &stack, atStart: false, atEnd: nextAtEnd) { return true }
            swap(&current, &next)
            scalar = upcoming
        }
        return false
    }

    /// Adds the thread at `start` and everything reachable from it without consuming input;
    /// returns true when a match instruction is reached.
    private func addThread(
        _ start: Int, to list: inout ThreadList, stack: inout [Int], atStart: Bool, atEnd: Bool
    ) -> Bool {
        stack.removeAll(keepingCapacity: true)
        stack.append(start)
        while let pc = stack.popLast() {
            guard list.insert(pc) else { continue }
            switch program[pc] {
            case .jump(let target): stack.append(target)
            case .split(let first, let second):
                stack.append(second)
                stack.append(first)
            case .assertStart: if atStart { stack.append(pc + 1) }
            case .assertEnd: if atEnd { stack.append(pc + 1) }
            case .match: return true
            case .scalars, .any: break
            }
        }
        return false
    }
}

/// A sparse set of program counters, cleared in constant time.
struct ThreadList {
    var dense: [Int]
    var sparse: [Int]
    var count = 0

    init(capacity: Int) {
        dense = Array(repeating: 0, count: capacity)
        sparse = Array(repeating: 0, count: capacity)
    }

    mutating func clear() { count = 0 }

    /// Inserts `value`; returns false when it was already there.
    mutating func insert(_ value: Int) -> Bool {
        let slot = sparse[value]
        if slot < count, dense[slot] == value { return false }
        sparse[value] = count
        dense[count] = value
        count += 1
        return true
    }
}

/// A set of Unicode scalars as sorted ranges, possibly negated.
struct ScalarSet: Sendable {
    var ranges: [ClosedRange<UInt32>]
    var negated: Bool

    func contains(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        var found = false
        for range in ranges where range.contains(value) {
            found = true
            break
        }
        return found != negated
    }

    static let digits = ScalarSet(ranges: [48...57], negated: false)
    static let word = ScalarSet(ranges: [48...57, 65...90, 95...95, 97...122], negated: false)
    static let space = ScalarSet(ranges: [9...13, 32...32], negated: false)
}

indirect enum RegexNode {
    case empty
    case set(ScalarSet)
    case any
    case start
    case end
    case concat([RegexNode])
    case alternation([RegexNode])
    case repetition(RegexNode, min: Int, max: Int?)
}

struct RegexParser {
    let scalars: [Unicode.Scalar]
    let keyPath: String
    var position = 0
    var depth = 0
    static let maxRepeat = 100
    static let maxDepth = 32

    init(scalars: [Unicode.Scalar], keyPath: String) {
        self.scalars = scalars
        self.keyPath = keyPath
    }

    mutating func parseAll() throws(PolicyError) -> RegexNode {
        let node = try parseAlternation()
        guard position == scalars.count else { throw fail("an unmatched closing parenthesis") }
        return node
    }

    private func fail(_ message: String) -> PolicyError {
        PolicyError(.invalidRegex, at: keyPath, "a regular expression has \(message) at character \(position)")
    }

    private var peek: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func parseAlternation() throws(PolicyError) -> RegexNode {
        var branches = [try parseConcatenation()]
        while peek == "|" {
            position += 1
            branches.append(try parseConcatenation())
        }
        return branches.count == 1 ? branches[0] : .alternation(branches)
    }

    private mutating func parseConcatenation() throws(PolicyError) -> RegexNode {
        var items: [RegexNode] = []
        while let scalar = peek, scalar != "|", scalar != ")" {
            items.append(try parseRepetition())
        }
        if items.isEmpty { return .empty }
        return items.count == 1 ? items[0] : .concat(items)
    }

    private mutating func parseRepetition() throws(PolicyError) -> RegexNode {
        var node = try parseAtom()
        var quantified = false
        while let scalar = peek {
            var minimum = 0
            var maximum: Int?
            switch scalar {
            case "*": position += 1
            case "+":
                position += 1
                minimum = 1
            case "?":
                position += 1
                maximum = 1
            case "{":
                guard let bounds = try parseBounds() else { return node }
                (minimum, maximum) = bounds
            default: return node
            }
            if quantified { throw fail("a quantifier after a quantifier") }
            quantified = true
            if peek == "?" { position += 1 }  // lazy form: same yes/no answer
            node = .repetition(node, min: minimum, max: maximum)
        }
        return node
    }

    /// Reads `{m}`, `{m,}` or `{m,n}`; returns nil (and reads nothing) when `{` does not
    /// start a valid bound, which is then an error.
    private mutating func parseBounds() throws(PolicyError) -> (Int, Int?)? {
        position += 1
        func number(_ parser: inout RegexParser) -> Int? {
            var value = 0
            var digits = 0
            while let scalar = parser.peek, let digit = Int(String(scalar)), scalar.isASCII {
                value = value * 10 + digit
                digits += 1
                parser.position += 1
                if value > 100_000 { return value }
            }
            return digits == 0 ? nil : value
        }
        guard let minimum = number(&self) else { throw fail("a bad repetition bound") }
        var maximum: Int? = minimum
        if peek == "," {
            position += 1
            maximum = number(&self)
        }
        guard peek == "}" else { throw fail("a bad repetition bound") }
        position += 1
        if minimum > Self.maxRepeat || (maximum ?? 0) > Self.maxRepeat {
            throw fail("a repetition bound above \(Self.maxRepeat)")
        }
        if let maximum, maximum < minimum { throw fail("a repetition bound whose maximum is below its minimum") }
        return (minimum, maximum)
    }

    private mutating func parseAtom() throws(PolicyError) -> RegexNode {
        guard let scalar = peek else { throw fail("an unexpected end") }
        position += 1
        switch scalar {
        case "(":
            depth += 1
            guard depth <= Self.maxDepth else { throw fail("groups nested too deep") }
            if peek == "?" {
                guard position + 1 < scalars.count, scalars[position + 1] == ":" else {
                    throw fail("an unsupported group kind")
                }
                position += 2
            }
            let inner = try parseAlternation()
            guard peek == ")" else { throw fail("an unclosed group") }
            position += 1
            depth -= 1
            return inner
        case "[": return .set(try parseClass())
        case ".": return .any
        case "^": return .start
        case "$": return .end
        case "\\": return .set(try parseEscape(inClass: false))
        case "*", "+", "?", "{": throw fail("a quantifier with nothing to repeat")
        case ")": throw fail("an unmatched closing parenthesis")
        case "]", "}": throw fail("an unescaped bracket")
        default: return .set(ScalarSet(ranges: [scalar.value...scalar.value], negated: false))
        }
    }

    private mutating func parseEscape(inClass: Bool) throws(PolicyError) -> ScalarSet {
        guard let scalar = peek else { throw fail("an escape at the end") }
        position += 1
        switch scalar {
        case "d": return .digits
        case "D": return ScalarSet(ranges: ScalarSet.digits.ranges, negated: true)
        case "w": return .word
        case "W": return ScalarSet(ranges: ScalarSet.word.ranges, negated: true)
        case "s": return .space
        case "S": return ScalarSet(ranges: ScalarSet.space.ranges, negated: true)
        case "n": return ScalarSet(ranges: [10...10], negated: false)
        case "t": return ScalarSet(ranges: [9...9], negated: false)
        case "r": return ScalarSet(ranges: [13...13], negated: false)
        default:
            guard scalar.isASCII, !(scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) else {
                throw fail("an unsupported escape")
            }
            return ScalarSet(ranges: [scalar.value...scalar.value], negated: false)
        }
    }

    private mutating func parseClass() throws(PolicyError) -> ScalarSet {
        var negated = false
        if peek == "^" {
            negated = true
            position += 1
        }
        var ranges: [ClosedRange<UInt32>] = []
        var first = true
        while true {
            guard let scalar = peek else { throw fail("an unclosed class") }
            if scalar == "]", !first {
                position += 1
                break
            }
            first = false
            position += 1
            let low: UInt32
            if scalar == "\\" {
                let set = try parseEscape(inClass: true)
                guard !set.negated, set.ranges.count == 1, set.ranges[0].count == 1 else {
                    guard !set.negated else { throw fail("a negated class escape inside a class") }
                    ranges.append(contentsOf: set.ranges)
                    continue
                }
                low = set.ranges[0].lowerBound
            } else {
                low = scalar.value
            }
            if peek == "-", position + 1 < scalars.count, scalars[position + 1] != "]" {
                position += 1
                guard var high = peek?.value else { throw fail("an unclosed class") }
                position += 1
                if high == UInt32(UInt8(ascii: "\\")) {
                    let set = try parseEscape(inClass: true)
                    guard !set.negated, set.ranges.count == 1, set.ranges[0].count == 1 else {
                        throw fail("a class escape as a range bound")
                    }
                    high = set.ranges[0].lowerBound
                }
                guard low <= high else { throw fail("a reversed range") }
                ranges.append(low...high)
            } else {
                ranges.append(low...low)
            }
        }
        return ScalarSet(ranges: ranges, negated: negated)
    }
}

struct RegexCompiler {
    let maxInstructions: Int
    let keyPath: String
    var program: [BoundedRegex.Instruction] = []

    init(maxInstructions: Int, keyPath: String) {
        self.maxInstructions = maxInstructions
        self.keyPath = keyPath
    }

    @discardableResult
    mutating func append(_ instruction: BoundedRegex.Instruction) throws(PolicyError) -> Int {
        guard program.count < maxInstructions else {
            throw PolicyError(
                .invalidRegex, at: keyPath, "a regular expression compiles to more than \(maxInstructions) instructions"
            )
        }
        program.append(instruction)
        return program.count - 1
    }

    mutating func emit(_ node: RegexNode) throws(PolicyError) {
        switch node {
        case .empty: break
        case .set(let set): try append(.scalars(set))
        case .any: try append(.any)
        case .start: try append(.assertStart)
        case .end: try append(.assertEnd)
        case .concat(let items):
            for item in items { try emit(item) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (index, branch) in branches.enumerated() {
                if index < branches.count - 1 {
                    let split = try append(.split(0, 0))
                    try emit(branch)
                    jumps.append(try append(.jump(0)))
                    program[split] = .split(split + 1, program.count)
                } else {
                    try emit(branch)
                }
            }
            for jump in jumps { program[jump] = .jump(program.count) }
        case .repetition(let inner, let minimum, let maximum):
            for _ in 0..<minimum { try emit(inner) }
            if let maximum {
                var splits: [Int] = []
                for _ in minimum..<maximum {
                    splits.append(try append(.split(0, 0)))
                    try emit(inner)
                }
                for split in splits { program[split] = .split(split + 1, program.count) }
            } else {
                let split = try append(.split(0, 0))
                try emit(inner)
                try append(.jump(split))
                program[split] = .split(split + 1, program.count)
            }
        }
    }
}

import MCPCore

/// A path into a call's arguments: member names separated by `.`, array positions as
/// `[n]`, and `[*]` for "any element", for example `repo.name`, `files[0].path` or
/// `paths[*]`. Member names cannot contain `.`, `[` or `]`.
struct ArgumentPath: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case member(String)
        case position(Int)
        case anyElement
    }

    let segments: [Segment]
    let description: String

    /// Parses a path.
    ///
    /// - Throws: ``PolicyError/Code/invalidPath`` for an empty path, an empty member name,
    ///   an unclosed or non-numeric bracket, or more than `maxSegments` segments.
    init(_ text: String, maxSegments: Int, at keyPath: String) throws(PolicyError) {
        let bytes = Array(text.utf8)
        var segments: [Segment] = []
        var index = 0
        func bad(_ message: String) -> PolicyError { PolicyError(.invalidPath, at: keyPath, message) }
        guard !bytes.isEmpty else { throw bad("an argument path is empty") }
        var expectMember = true
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "[") {
                guard let close = bytes[index...].firstIndex(of: UInt8(ascii: "]")) else {
                    throw bad("an argument path has an unclosed bracket")
                }
                let inner = String(decoding: bytes[(index + 1)..<close], as: UTF8.self)
                if inner == "*" {
                    segments.append(.anyElement)
                } else if let number = Int(inner), number >= 0, inner.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
                    segments.append(.position(number))
                } else {
                    throw bad("an argument path has a bracket that is neither a position nor *")
                }
                index = close + 1
                expectMember = false
                if index < bytes.count {
                    if bytes[index] == UInt8(ascii: ".") {
                        index += 1
                        expectMember = true
                        guard index < bytes.count else { throw bad("an argument path ends with a dot") }
                    } else if bytes[index] != UInt8(ascii: "[") {
                        throw bad("an argument path has a name right after a bracket")
                    }
                }
                continue
            }
            guard expectMember else { throw bad("an argument path has a misplaced name") }
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: "."), bytes[end] != UInt8(ascii: "[") {
                guard bytes[end] != UInt8(ascii: "]") else { throw bad("an argument path has a stray bracket") }
                end += 1
            }
            guard end > index else { throw bad("an argument path has an empty member name") }
            segments.append(.member(String(decoding: bytes[index..<end], as: UTF8.self)))
            index = end
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard index < bytes.count else { throw bad("an argument path ends with a dot") }
            } else {
                expectMember = false
            }
        }
        guard segments.count <= maxSegments else {
            throw PolicyError(.limitExceeded, at: keyPath, "an argument path has more than \(maxSegments) segments")
        }
        self.segments = segments
        description = text
    }

    /// Calls `body` with each value the path reaches in `root` until `body` returns true;
    /// returns whether it did.
    func anyValue(in root: JSONValue, where body: (JSONValue) -> Bool) -> Bool {
        Self.visit(root, segments[...], body)
    }

    private static func visit(_ value: JSONValue, _ rest: ArraySlice<Segment>, _ body: (JSONValue) -> Bool) -> Bool {
        guard let segment = rest.first else { return body(value) }
        let remaining = rest.dropFirst()
        switch segment {
        case .member(let name):
            guard case .object(let object) = value, let member = object[name] else { return false }
            return visit(member, remaining, body)
        case .position(let position):
            guard case .array(let elements) = value, position < elements.count else { return false }
            return visit(elements[position], remaining, body)
        case .anyElement:
            guard case .array(let elements) = value else { return false }
            for element in elements where visit(element, remaining, body) { return true }
            return false
        }
    }
}

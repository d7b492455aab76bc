/// A JSON number, kept as the exact text it was written with.
///
/// A gateway forwards numbers it does not understand; converting them to `Double` and back
/// would change a 64-bit id such as `9007199254740993` or a decimal such as `0.1000`. This
/// type keeps the text, validated against the RFC 8259 grammar, and converts only on demand.
public struct JSONNumber: Sendable {
    /// The number as written: `-`? int frac? exp?, per RFC 8259 section 6.
    public let text: String

    /// Creates a number from text already known to match the grammar.
    @usableFromInline
    init(validatedText: String) {
        self.text = validatedText
    }

    /// Creates a number from its text, or `nil` when the text is not a JSON number.
    ///
    /// - Parameter text: for example `"42"`, `"-0.5"` or `"1e100"`; leading zeros, a
    ///   leading `+`, `NaN` and surrounding spaces are refused.
    public init?(text: String) {
        let bytes = Array(text.utf8)
        let length = bytes.withUnsafeBufferPointer { JSONNumber.grammarLength($0, from: 0) }
        guard let length, length == bytes.count else { return nil }
        self.text = text
    }

    /// Creates an integer number.
    public init(_ value: Int64) { text = String(value) }

    /// Creates an integer number.
    public init(_ value: Int) { text = String(value) }

    /// Creates an integer number.
    public init(_ value: UInt64) { text = String(value) }

    /// Creates a number from a double in its shortest exact form, or `nil` for NaN and
    /// infinities, which JSON cannot express. Integral values below 2^53 are written
    /// without a fraction (`3`, not `3.0`).
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            text = String(Int64(value))
        } else {
            text = String(describing: value)
        }
    }

    /// Whether the text has no fraction and no exponent.
    public var isIntegerLiteral: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as an `Int64` when it is an integer that fits exactly (`1`, `1.0` and
    /// `1e2` qualify; `1.5` and `1e30` do not).
    public var int64Value: Int64? {
        if isIntegerLiteral { return Int64(text) }
        guard let double = Double(text), double == double.rounded(),
            abs(double) <= 9_007_199_254_740_992
        else { return nil }
        return Int64(double)
    }

    /// The value as a `UInt64` when it is a non-negative integer that fits exactly.
    public var uint64Value: UInt64? {
        if isIntegerLiteral { return UInt64(text) }
        guard let value = int64Value, value >= 0 else { return nil }
        return UInt64(value)
    }

    /// The value as the nearest `Double` (an out-of-range value becomes an infinity).
    public var doubleValue: Double {
        Double(text) ?? .nan
    }

    /// The length of the longest prefix of `bytes[start...]` that matches the number
    /// grammar, or `nil` when no number starts there or the digits break a rule (a leading
    /// zero followed by a digit, a `.` or an exponent with no digits).
    @usableFromInline
    static func grammarLength(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var position = start
        let end = bytes.count
        if position < end, bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < end else { return nil }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < end, isDigit(bytes[position]) { return nil }
        } else if isDigit(bytes[position]) {
            while position < end, isDigit(bytes[position]) { position += 1 }
        } else {
            return nil
        }
        if position < end, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < end, isDigit(bytes[position]) else { return nil }
            while position < end, isDigit(bytes[position]) { position += 1 }
        }
        if position < end, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < end, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < end, isDigit(bytes[position]) else { return nil }
            while position < end, isDigit(bytes[position]) { position += 1 }
        }
        return position - start
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}

extension JSONNumber: Hashable {
    /// Numbers are equal when they denote the same value: integer literals compare exactly,
    /// anything else compares as `Double`.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if lhs.text == rhs.text { return true }
        if lhs.isIntegerLiteral, rhs.isIntegerLiteral {
            if let left = Int64(lhs.text), let right = Int64(rhs.text) { return left == right }
            if let left = UInt64(lhs.text), let right = UInt64(rhs.text) { return left == right }
        }
        return lhs.doubleValue == rhs.doubleValue
    }

    /// Hashes the `Double` value, which equal numbers share.
    public func hash(into hasher: inout Hasher) {
        let double = doubleValue
        hasher.combine(double == 0 ? 0 : double)
    }
}

extension JSONNumber: CustomStringConvertible {
    /// The number's text.
    public var description: String { text }
}

extension JSONNumber: ExpressibleByIntegerLiteral {
    /// Creates an integer number.
    public init(integerLiteral value: Int64) { self.init(value) }
}

/// A strict RFC 8259 JSON parser over UTF-8 bytes.
///
/// It refuses everything RFC 8259 leaves out or leaves ambiguous: invalid UTF-8, lone
/// surrogate escapes, raw control characters in strings, leading zeros, trailing data,
/// and duplicate object keys (two members that Swift would read as one key). Every error
/// is a ``JSONError`` with the byte offset where it was found. Inputs beyond the
/// ``JSONLimits`` are refused before they can use memory or stack.
///
/// ```swift
/// let value = try JSONParser().parse(Array(#"{"id":1}"#.utf8))
/// ```
public struct JSONParser: Sendable {
    /// The bounds on accepted input.
    public var limits: JSONLimits

    /// Creates a parser.
    ///
    /// - Parameter limits: the bounds on accepted input.
    public init(limits: JSONLimits = .default) {
        self.limits = limits
    }

    /// Parses one JSON value, surrounded only by white space.
    ///
    /// - Parameter bytes: UTF-8 text.
    /// - Returns: the value, numbers kept as written and members in order.
    /// - Throws: ``JSONError`` for malformed input or input beyond the limits.
    public func parse(_ bytes: some Collection<UInt8>) throws(JSONError) -> JSONValue {
        try withBuffer(bytes) { (scanner: inout JSONScanner) throws(JSONError) in try scanner.parseDocument() }
    }

    /// Parses one JSON value from a string.
    ///
    /// - Parameter text: the JSON text.
    /// - Returns: the value.
    /// - Throws: ``JSONError`` for malformed input or input beyond the limits.
    public func parse(_ text: String) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8))
    }

    /// Checks that the bytes are one valid JSON value within the limits, building nothing.
    ///
    /// - Parameter bytes: UTF-8 text.
    /// - Throws: ``JSONError`` for malformed input or input beyond the limits.
    public func validate(_ bytes: some Collection<UInt8>) throws(JSONError) {
        try withBuffer(bytes) { (scanner: inout JSONScanner) throws(JSONError) in try scanner.validateDocument() }
    }

    private func withBuffer<Result>(
        _ bytes: some Collection<UInt8>,
        _ body: (inout JSONScanner) throws(JSONError) -> Result
    ) throws(JSONError) -> Result {
        let outcome = bytes.withContiguousStorageIfAvailable { buffer in
            Self.run(buffer, limits: limits, body)
        }
        if let outcome { return try outcome.get() }
        return try Array(bytes).withUnsafeBufferPointer { buffer in
            Self.run(buffer, limits: limits, body)
        }.get()
    }

    private static func run<Result>(
        _ buffer: UnsafeBufferPointer<UInt8>,
        limits: JSONLimits,
        _ body: (inout JSONScanner) throws(JSONError) -> Result
    ) -> Swift.Result<Result, JSONError> {
        var scanner = JSONScanner(bytes: buffer, limits: limits)
        do {
            return .success(try body(&scanner))
        } catch {
            return .failure(error)
        }
    }
}

extension JSONValue {
    /// Parses one JSON value with the default limits.
    ///
    /// - Parameter bytes: UTF-8 text.
    /// - Throws: ``JSONError`` for malformed input.
    public init(parsing bytes: some Collection<UInt8>) throws(JSONError) {
        self = try JSONParser().parse(bytes)
    }

    /// Parses one JSON value from a string with the default limits.
    ///
    /// - Parameter text: the JSON text.
    /// - Throws: ``JSONError`` for malformed input.
    public init(parsing text: String) throws(JSONError) {
        self = try JSONParser().parse(text)
    }
}

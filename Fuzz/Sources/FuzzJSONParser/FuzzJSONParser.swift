import MCPCore

/// Checks the JSON parser on arbitrary bytes: it never crashes; parsing and validating
/// agree on acceptance, error code and offset; an accepted value serializes to text that
/// parses back to an equal value, and serializing is deterministic.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let parser = JSONParser(limits: JSONLimits(maxBytes: 1 << 20, maxDepth: 48))
    let parsed = Result { () throws(JSONError) -> JSONValue in try parser.parse(bytes) }
    let validated = Result { () throws(JSONError) -> Void in try parser.validate(bytes) }
    switch (parsed, validated) {
    case (.success(let value), .success):
        let text = value.serialized
        guard let again = try? parser.parse(text) else { fatalError("serialized output does not parse") }
        guard again == value else { fatalError("round trip changed the value") }
        guard again.serialized == text else { fatalError("serialization is not deterministic") }
        let pretty = JSONSerializer(options: [.prettyPrinted, .sortedKeys]).serialize(value)
        guard (try? parser.parse(pretty)) == value else { fatalError("pretty output does not round-trip") }
    case (.failure(let parseError), .failure(let validateError)):
        guard parseError == validateError else { fatalError("parse and validate disagree: \(parseError) vs \(validateError)") }
        guard parseError.offset >= 0, parseError.offset <= max(bytes.count, parser.limits.maxBytes) else {
            fatalError("error offset out of range")
        }
    default:
        fatalError("parse and validate disagree on acceptance")
    }
    return 0
}

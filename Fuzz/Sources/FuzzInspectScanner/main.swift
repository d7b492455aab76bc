import MCPCore
import MCPInspect

/// Checks the streaming inspector on arbitrary bytes, with every detector set to redact:
/// it never crashes; in plain mode what comes out does not depend on how the input is
/// split; in JSON mode valid JSON in stays valid JSON out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = size > 0 ? Int(bytes[0]) % max(size, 1) : 0
    let whole = scan(bytes, mode: .plainText, splitAt: nil)
    guard scan(bytes, mode: .plainText, splitAt: split) == whole else {
        fatalError("plain output depends on the split")
    }
    let json = scan(bytes, mode: .json, splitAt: split)
    if (try? JSONParser().validate(bytes)) != nil {
        guard (try? JSONParser().validate(json)) != nil else { fatalError("valid JSON in, invalid JSON out") }
    }
    return 0
}

private let inspector: Inspector = {
    var configuration = InspectionConfiguration()
    for detector in DetectorID.all { configuration.rules.setAction(.redact, for: detector, in: .result) }
    return try! configuration.makeInspector()
}()

private func scan(_ bytes: [UInt8], mode: StreamScanner.Mode, splitAt split: Int?) -> [UInt8] {
    var scanner = inspector.makeScanner(direction: .result, mode: mode)
    var output: [UInt8] = []
    if let split {
        output += scanner.feed(bytes[..<split]).bytes
        output += scanner.feed(bytes[split...]).bytes
    } else {
        output += scanner.feed(bytes).bytes
    }
    output += scanner.finish().bytes
    return output
}

import MCPTransport

/// Checks the HTTP request parser on arbitrary bytes: it never crashes; the events do not
/// depend on how the bytes are split; after an error nothing more comes out.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = HTTPParserLimits(
        maxRequestLineBytes: 512, maxHeaderSectionBytes: 2048, maxFieldCount: 20, maxBodyBytes: 4096,
        maxChunkExtensionBytes: 64, maxTrailerSectionBytes: 512)
    let whole = events(bytes, limits: limits, split: bytes.count)
    let split = size > 0 ? Int(bytes[0] % 7) + 1 : 1
    let pieces = events(bytes, limits: limits, split: split)
    guard whole == pieces else { fatalError("events depend on the split") }
    return 0
}

private enum Outcome: Equatable {
    case head(String, String)
    case body([UInt8])
    case end
    case error(String)
}

private func events(_ bytes: [UInt8], limits: HTTPParserLimits, split: Int) -> [Outcome] {
    var parser = HTTPRequestParser(limits: limits)
    var outcomes: [Outcome] = []
    var body: [UInt8] = []
    var index = 0
    var failed = false
    while index < bytes.count && !failed {
        let end = min(index + split, bytes.count)
        parser.append(bytes[index..<end])
        index = end
        while true {
            do {
                guard let event = try parser.next() else { break }
                switch event {
                case .head(let head):
                    outcomes.append(.head(head.method.rawValue, head.target))
                case .body(let slice):
                    body += slice
                case .end:
                    if !body.isEmpty { outcomes.append(.body(body)) }
                    body = []
                    outcomes.append(.end)
                }
            } catch {
                outcomes.append(.error(error.code.description))
                failed = true
                break
            }
        }
    }
    if failed {
        // A failed parser stays failed.
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        if case .some = try? parser.next() { fatalError("a failed parser produced an event") }
    }
    return outcomes
}

import MCPTransport

/// Checks the SSE parser on arbitrary bytes: it never crashes, and the events do not depend
/// on how the bytes are split.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let whole = events(bytes, split: max(bytes.count, 1))
    let split = size > 0 ? Int(bytes[0] % 5) + 1 : 1
    guard events(bytes, split: split) == whole else { fatalError("events depend on the split") }
    return 0
}

private func events(_ bytes: [UInt8], split: Int) -> [String] {
    var parser = SSEParser(maxEventBytes: 4096, maxLineBytes: 1024)
    var out: [String] = []
    var index = 0
    while index < bytes.count {
        let end = min(index + split, bytes.count)
        parser.append(bytes[index..<end])
        index = end
        while true {
            do {
                guard let event = try parser.next() else { break }
                out.append("\(event.event ?? "")|\(event.id ?? "")|\(event.data ?? [])|\(event.retry ?? -1)")
            } catch {
                out.append("error \(error.code)")
                return out
            }
        }
    }
    return out
}

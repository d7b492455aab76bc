import MCPCore

/// Checks the lazy envelope on arbitrary bytes: it never crashes; it accepts only what the
/// full parser accepts; rewriting the id keeps every routing field, and putting the raw id
/// back restores the exact bytes; rewriting `_meta` gives a message that reads again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let limits = JSONLimits(maxBytes: 1 << 20, maxDepth: 48)
    guard let envelope = try? MessageEnvelope(parsing: bytes, limits: limits) else {
        _ = try? MessageFrame.read(bytes, revision: .v2025_03_26, limits: limits)
        return 0
    }
    guard (try? JSONParser(limits: limits).parse(bytes)) != nil else {
        fatalError("the envelope accepted what the parser refuses")
    }
    if envelope.kind == .request || envelope.kind == .response || envelope.id != nil {
        let rewritten = envelope.replacingID(with: "fuzz-\u{e9}\"id")
        guard let again = try? MessageEnvelope(parsing: rewritten, limits: JSONLimits(maxBytes: 2 << 20, maxDepth: 48)) else {
            fatalError("a rewritten id does not read")
        }
        guard again.kind == envelope.kind, again.method == envelope.method, again.name == envelope.name,
            again.uri == envelope.uri, again.id == "fuzz-\u{e9}\"id"
        else { fatalError("rewriting the id changed the routing fields") }
        // Back with the kept raw bytes: the original message, byte for byte.
        guard let raw = envelope.rawID, again.replacingID(withRawJSON: raw) == bytes else {
            fatalError("rewriting the raw id back does not restore the bytes")
        }
        // Back with the decoded id: an equal id (its spelling may differ).
        let back = again.replacingID(with: envelope.id)
        guard let decoded = try? MessageEnvelope(parsing: back, limits: JSONLimits(maxBytes: 2 << 20, maxDepth: 48)),
            decoded.id == envelope.id
        else { fatalError("rewriting the decoded id back does not give an equal id") }
    }
    let metas: [JSONObject?] = [["k": "v"], nil]
    for meta in metas {
        let rewritten = envelope.replacingMeta(with: meta)
        guard let again = try? MessageEnvelope(parsing: rewritten, limits: JSONLimits(maxBytes: 2 << 20, maxDepth: 48)) else {
            fatalError("a rewritten _meta does not read")
        }
        guard again.kind == envelope.kind, again.method == envelope.method, again.id == envelope.id else {
            fatalError("rewriting _meta changed the message")
        }
        if let meta, envelope.kind != .errorResponse, again.decodeMeta() != .object(meta) {
            fatalError("rewritten _meta is not the one written")
        }
    }
    return 0
}

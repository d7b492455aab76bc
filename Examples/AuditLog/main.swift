// mcp-audit-log: MCPAudit used alone, as a generic tamper-evident log.
//
//   mcp-audit-log append --db FILE [--mode acknowledged|async|failClosed] [--signing-key KEYFILE]
//                        [--checkpoint-every N]
//       reads one JSON event per line from standard input and prints "ack <sequence>" for
//       each once it is committed ("time" defaults to now; see AuditEvent's JSON form).
//   mcp-audit-log verify --db FILE [--public-key HEX]
//       checks the chain and the checkpoints' signatures; prints "ok ..." (exit 0) or the
//       first bad record (exit 1).
//   mcp-audit-log query --db FILE [--subject S] [--team T] [--organization O] [--upstream U]
//                       [--tool T] [--status S] [--category C] [--from µs] [--until µs]
//                       [--limit N] [--format jsonl|csv]
//   mcp-audit-log keygen --out KEYFILE
//       writes a new Ed25519 private key (hexadecimal, mode 0600) and prints its public key.
//
// A key's id is the first 16 hexadecimal digits of the SHA-256 of its public key.

import MCPAudit
import MCPCore
import MCPCrypto

#if canImport(Glibc)
    import Glibc
#endif

/// Writes a whole line to a descriptor with one write call (atomic on a pipe).
func emit(_ line: String, to descriptor: Int32 = 1) {
    let bytes = Array((line + "\n").utf8)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
        if written < 0 {
            if errno == EINTR { continue }
            return
        }
        offset += written
    }
}

func fail(_ message: String, status: Int32 = 2) -> Never {
    emit("mcp-audit-log: \(message)", to: 2)
    exit(status)
}

struct Options {
    var values: [String: String] = [:]

    init(_ arguments: ArraySlice<String>) {
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            guard name.hasPrefix("--"), let value = iterator.next() else { fail("expected --name value, got \(name)") }
            values[String(name.dropFirst(2))] = value
        }
    }

    subscript(name: String) -> String? { values[name] }

    func integer(_ name: String) -> Int64? {
        guard let text = values[name] else { return nil }
        guard let value = Int64(text) else { fail("--\(name) needs an integer") }
        return value
    }
}

func readFile(_ path: String) -> String? {
    guard let file = fopen(path, "r") else { return nil }
    defer { fclose(file) }
    var buffer = [CChar](repeating: 0, count: 256)
    guard fgets(&buffer, Int32(buffer.count), file) != nil else { return nil }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        .trimmingSuffix()
}

func writeKeyFile(_ path: String, _ key: Ed25519.PrivateKey) throws {
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { fail("cannot create \(path) (errno \(errno))") }
    defer { close(descriptor) }
    emit(Hexadecimal.encode(try key.rawRepresentation), to: descriptor)
    fsync(descriptor)
}

func signingKey(_ path: String) throws -> Ed25519.PrivateKey {
    if let text = readFile(path) {
        guard let bytes = Hexadecimal.decode(text), bytes.count == 32 else {
            fail("\(path) does not hold a hexadecimal Ed25519 key")
        }
        return try Ed25519.PrivateKey(rawRepresentation: bytes)
    }
    let key = try Ed25519.PrivateKey()
    try writeKeyFile(path, key)
    return key
}

extension String {
    func trimmingSuffix() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}

func append(_ options: Options) async throws {
    guard let path = options["db"] else { fail("append needs --db FILE") }
    var configuration = AuditLogConfiguration(path: path)
    switch options["mode"] ?? "acknowledged" {
    case "acknowledged": configuration.durability = .acknowledged
    case "async": configuration.durability = .async
    case "failClosed": configuration.durability = .failClosed
    default: fail("--mode is acknowledged, async or failClosed")
    }
    if let every = options.integer("checkpoint-every") { configuration.checkpointEveryRecords = Int(every) }
    if let keyPath = options["signing-key"] {
        let key = try signingKey(keyPath)
        configuration.signer = AuditSigner(keyID: AuditSigner.keyID(of: key.publicKey.rawRepresentation), key: key)
    }
    configuration.onDrop = { reason in emit("mcp-audit-log: dropped an event (\(reason))", to: 2) }
    let clock = SystemAuditClock()
    try await AuditLog.withAuditLog(configuration: configuration) { log in
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if line.allSatisfy(\.isWhitespace) { continue }
            let event: AuditEvent
            do {
                event = try AuditEvent(json: try JSONParser().parse(line), defaultTime: clock.now)
            } catch {
                emit("mcp-audit-log: line \(lineNumber): \(error)", to: 2)
                continue
            }
            while true {
                do {
                    try log.submit(event) { result in
                        switch result {
                        case .success(let sequence): emit("ack \(sequence)")
                        case .failure(let error): emit("mcp-audit-log: not recorded: \(error)", to: 2)
                        }
                    }
                    break
                } catch let error as AuditError where error.code == .queueFull {
                    try await Task.sleep(for: .milliseconds(1))
                }
            }
        }
    }
}

func verify(_ options: Options) throws -> Int32 {
    guard let path = options["db"] else { fail("verify needs --db FILE") }
    var keys: [String: any VerifyingKey] = [:]
    if let text = options["public-key"] {
        guard let bytes = Hexadecimal.decode(text) else { fail("--public-key needs hexadecimal") }
        switch bytes.count {
        case 32:
            let key = try Ed25519.PublicKey(rawRepresentation: bytes)
            keys[AuditSigner.keyID(of: bytes)] = key
        case 65:
            let key = try P256.PublicKey(x963Representation: bytes)
            keys[AuditSigner.keyID(of: bytes)] = key
        default: fail("--public-key is a 32-byte Ed25519 or 65-byte P-256 key")
        }
    }
    let report = try AuditVerifier(keys: keys).verify(path: path)
    if let problem = report.firstProblem {
        emit("FAILED \(problem)")
        return 1
    }
    emit(
        "ok \(report.recordCount) records, \(report.tombstoneCount) removed, \(report.checkpointCount) checkpoints, "
            + "sequences \(report.firstSequence)-\(report.lastSequence), signatures "
            + (report.signaturesChecked ? "checked" : "not checked"))
    return 0
}

func query(_ options: Options) throws {
    guard let path = options["db"] else { fail("query needs --db FILE") }
    var query = AuditQuery(limit: Int(options.integer("limit") ?? 10_000))
    query.subject = options["subject"]
    query.team = options["team"]
    query.organization = options["organization"]
    query.upstream = options["upstream"]
    query.target = options["tool"]
    query.status = options["status"]
    query.category = options["category"]
    query.from = options.integer("from").map(AuditTime.init(microsecondsSinceEpoch:))
    query.until = options.integer("until").map(AuditTime.init(microsecondsSinceEpoch:))
    let format: AuditExportFormat
    switch options["format"] ?? "jsonl" {
    case "jsonl": format = .jsonLines
    case "csv": format = .csv
    default: fail("--format is jsonl or csv")
    }
    let records = try AuditReader(path: path).records(matching: query)
    let bytes = format.render(records)
    var offset = 0
    while offset < bytes.count {
        let written = bytes.withUnsafeBytes { write(1, $0.baseAddress! + offset, $0.count - offset) }
        if written <= 0 { break }
        offset += written
    }
}

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    fail("usage: mcp-audit-log append|verify|query|keygen --db FILE [options]")
}
do {
    let options = Options(arguments.dropFirst(2))
    switch arguments[1] {
    case "append": try await append(options)
    case "verify": exit(try verify(options))
    case "query": try query(options)
    case "keygen":
        guard let path = options["out"] else { fail("keygen needs --out FILE") }
        let key = try Ed25519.PrivateKey()
        try writeKeyFile(path, key)
        emit(Hexadecimal.encode(key.publicKey.rawRepresentation))
    default: fail("unknown command \(arguments[1])")
    }
} catch {
    fail("\(error)")
}

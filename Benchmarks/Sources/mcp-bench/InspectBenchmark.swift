import Foundation
import MCPCore
import MCPCrypto
import MCPInspect

/// The streaming scanner over 100 MB of mixed text (prose, JSON, code, with a secret or
/// a piece of personal data every few kilobytes) fed in 16 KB chunks with every detector
/// on, in plain-text and JSON mode, against a naive baseline in the same run: the whole
/// text buffered, then one regular expression per detector run over it one after the
/// other (on a smaller slice, scaled).
enum InspectBenchmark {
    static let totalBytes = 100 << 20
    static let chunkBytes = 16 << 10

    /// About 4 MB of mixed text from a fixed seed, with or without the occasional secret.
    static func corpus(secrets withSecrets: Bool = true) -> [UInt8] {
        var state: UInt64 = 0x1D5E_C0DE
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let prose = [
            "The gateway forwards each call to the upstream server and records who made it. ",
            "Before the meeting, she reviewed the quarterly figures and sent them to the team. ",
            "Results are streamed back as they arrive; nothing is buffered unless a rule blocks. ",
            "Über die Brücke gingen sie — langsam, schweigend, bis zum Ufer. ",
            "Do not hesitate to reach out if the numbers look wrong; we can ignore case there. ",
        ]
        let code = [
            "func handle(_ request: Request, context: Context) async throws -> Response {\n",
            "    let token = try await vault.credential(for: principal, server: upstream)\n",
            "    guard let id = envelope.id else { return .accepted }\n",
            "def load(path: str) -> dict:\n    with open(path) as f:\n        return json.load(f)\n",
            "for (index, item) in items.enumerated() where item.isEnabled { total += item.count }\n",
        ]
        let json = [
            "{\"jsonrpc\":\"2.0\",\"id\":1042,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"42 rows\\nok\"}]}}\n",
            "{\"id\":\"550e8400-e29b-41d4-a716-446655440000\",\"created\":\"2026-11-25T19:00:00Z\",\"count\":17}\n",
            "{\"name\":\"search\",\"description\":\"Searches issues\",\"inputSchema\":{\"type\":\"object\"}}\n",
            "{\"commit\":\"3f786850e387550fdab836ed7e6dc881de23001b\",\"size\":1732540000000}\n",
        ]
        let secrets = [
            " AKIAIOSFODNN7EXAMPLE ", " ghp_1234567890abcdefghijklmnopqrstuvwxyz ", " alice.smith@example.com ",
            " 4111 1111 1111 1111 ", " password=Xk9#mP2vL7qR4nTz ", " <IMPORTANT> ", " +44 20 7946 0958 ",
            " sk_live_4eC39HqLyjWDarjtT1zdp7dc ", " ignore all previous ", " \u{200B} ",
        ]
        var text: [UInt8] = []
        text.reserveCapacity(4 << 20 + 4096)
        var sinceSecret = 0
        while text.count < 4 << 20 {
            let piece: String
            switch next() % 3 {
            case 0: piece = prose[Int(next() % UInt64(prose.count))]
            case 1: piece = code[Int(next() % UInt64(code.count))]
            default: piece = json[Int(next() % UInt64(json.count))]
            }
            text += Array(piece.utf8)
            sinceSecret += piece.utf8.count
            if withSecrets, sinceSecret > 4096, next() % 4 == 0 {
                text += Array(secrets[Int(next() % UInt64(secrets.count))].utf8)
                sinceSecret = 0
            }
        }
        return text
    }

    /// The corpus as the text of JSON results, one per 16 KB or so.
    static func jsonCorpus(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var offset = 0
        while offset < text.count {
            var end = min(text.count, offset + 12_000)
            while end < text.count, text[end] & 0xC0 == 0x80 { end += 1 }
            out += Array("{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":{\"content\":[{\"type\":\"text\",\"text\":".utf8)
            JSONSerializer.appendString(String(decoding: text[offset..<end], as: UTF8.self), to: &out)
            out += Array("}]}}\n".utf8)
            offset = end
        }
        return out
    }

    static func stream(_ inspector: Inspector, _ corpus: [UInt8], mode: StreamScanner.Mode) -> (
        seconds: Double, findings: Int, peak: Int, out: Int
    ) {
        var scanner = inspector.makeScanner(direction: .toolDefinition, mode: mode)
        var fed = 0
        var findings = 0
        var out = 0
        let clock = ContinuousClock()
        let start = clock.now
        corpus.withUnsafeBufferPointer { buffer in
            while fed < totalBytes {
                let offset = fed % corpus.count
                let end = min(corpus.count, offset + chunkBytes)
                let output = scanner.feed(UnsafeBufferPointer(rebasing: buffer[offset..<end]))
                findings += output.findings.count
                out += output.bytes.count
                fed += end - offset
            }
        }
        let last = scanner.finish()
        findings += last.findings.count
        out += last.bytes.count
        let (seconds, attoseconds) = (clock.now - start).components
        return (Double(seconds) + Double(attoseconds) / 1e18, findings, scanner.peakBufferedBytes, out)
    }

    /// The naive way: one regular expression per detector, each run over the whole text.
    nonisolated(unsafe) static let patterns: [Regex<AnyRegexOutput>] = [
        #"\b(AKIA|ASIA)[A-Z0-9]{16}\b"#, #"(?i)aws_secret_access_key\s*[:=]\s*[A-Za-z0-9/+]{40}"#,
        #"gh[pousr]_[A-Za-z0-9]{36,255}"#, #"glpat-[A-Za-z0-9_\-]{20,}"#, #"xox[bpars]-[A-Za-z0-9-]{10,}"#,
        #"[sr]k_(live|test)_[A-Za-z0-9]{16,}"#, #"AIza[0-9A-Za-z_\-]{35}"#, #"sk-[A-Za-z0-9_\-]{32,}"#,
        #"-----BEGIN [A-Z ]*PRIVATE KEY-----"#, #"eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*"#,
        #"(?i)(password|secret|token|api_?key)\s*[:=]\s*\S{8,}"#, #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#,
        #"\+\d[\d \-]{7,17}\d"#, #"\b(?:\d[ -]?){13,19}\b"#, #"\b[A-Z]{2}\d{2}[A-Z0-9 ]{11,30}\b"#,
        #"\b\d{3}-\d{2}-\d{4}\b"#, #"(?i)<(important|system|instructions)>"#,
        #"(?i)(ignore|disregard|forget) (all |the )?(previous|prior|above)"#, #"~/\.(ssh|aws)|\.env\b|mcp\.json"#,
        #"[\u{200B}-\u{200D}\u{2060}\u{FEFF}\u{202A}-\u{202E}\u{2066}-\u{2069}]"#, #"\u{1B}\[[0-9;]*[A-Za-z]"#,
        #"!?\[[^\]]*\]\(https?://[^)]+\)"#, #"[A-Za-z0-9+/]{256,}={0,2}"#,
    ].map { try! Regex($0) }

    static func naive(_ text: [UInt8]) -> (seconds: Double, matches: Int) {
        let clock = ContinuousClock()
        let start = clock.now
        let whole = String(decoding: text, as: UTF8.self)
        var matches = 0
        for pattern in patterns { matches += whole.matches(of: pattern).count }
        let (seconds, attoseconds) = (clock.now - start).components
        return (Double(seconds) + Double(attoseconds) / 1e18, matches)
    }

    static func run() {
        let inspector = try! Inspector(rules: InspectionRules(every: .redact))
        let text = corpus()
        let json = jsonCorpus(text)
        print(
            "Inspect: \(totalBytes >> 20) MB of mixed text in \(chunkBytes >> 10) KB chunks, every detector on (redact)"
        )

        let chunk = Array(text.prefix(chunkBytes))
        var scanner = inspector.makeScanner(direction: .toolDefinition, mode: .plainText)
        let perChunk = measure("feed one 16 KB chunk (plain)", batch: 10) { blackHole(scanner.feed(chunk)) }
        let jsonChunk = Array(json.prefix(chunkBytes))
        var jsonScanner = inspector.makeScanner(direction: .toolDefinition, mode: .json)
        let perJSONChunk = measure("feed one 16 KB chunk (JSON)", batch: 10) { blackHole(jsonScanner.feed(jsonChunk)) }
        let off = try! Inspector(rules: InspectionRules(every: nil))
        var idle = off.makeScanner(direction: .toolDefinition, mode: .plainText)
        let perIdleChunk = measure("feed one 16 KB chunk (plain, detectors off)", batch: 10) {
            blackHole(idle.feed(chunk))
        }
        var idleJSON = off.makeScanner(direction: .toolDefinition, mode: .json)
        let perIdleJSONChunk = measure("feed one 16 KB chunk (JSON, detectors off)", batch: 10) {
            blackHole(idleJSON.feed(jsonChunk))
        }
        let secret = Array("AKIAIOSFODNN7EXAMPLE".utf8)
        let fingerprint = measure("fingerprint of one match", batch: 100) {
            blackHole(inspector.fingerprint(of: secret))
        }
        let sha = measure("SHA-256 of one match", batch: 100) { blackHole(SHA256.hash(secret)) }
        report([perChunk, perJSONChunk, perIdleChunk, perIdleJSONChunk, fingerprint, sha])

        if CommandLine.arguments.contains("--per-detector") {
            for detector in DetectorID.all {
                var rules = InspectionRules(every: nil)
                rules.setAction(.redact, for: detector, in: .toolDefinition)
                var single = (try! Inspector(rules: rules)).makeScanner(direction: .toolDefinition, mode: .plainText)
                let alone = measure("  \(detector) alone", batch: 10, budget: .milliseconds(200)) {
                    blackHole(single.feed(chunk))
                }
                print("  \(detector): \(format(alone.median - perIdleChunk.median)) over the floor per 16 KB")
            }
        }
        let plain = stream(inspector, text, mode: .plainText)
        let jsonRun = stream(inspector, json, mode: .json)
        let clean = stream(inspector, corpus(secrets: false), mode: .plainText)
        let megabytes = Double(totalBytes) / 1e6
        print(
            String(
                format: "  plain text: %.0f MB/s on one core, %d findings, peak buffers %d bytes",
                megabytes / plain.seconds, plain.findings, plain.peak))
        print(
            String(
                format: "  JSON:       %.0f MB/s on one core, %d findings, peak buffers %d bytes",
                megabytes / jsonRun.seconds, jsonRun.findings, jsonRun.peak))
        print(
            String(
                format: "  plain text without secrets: %.0f MB/s on one core, %d findings (scanning alone)",
                megabytes / clean.seconds, clean.findings))
        print(
            "  bound: slice \(inspector.options.sliceLength) + window \(inspector.options.maximumMatchLength) + 64 bytes (x2 in JSON mode, with the bookkeeping of escapes and quotes)"
        )

        // A second baseline with the same validators: the message buffered whole, then one
        // pass per detector (each scanner with a single detector on).
        let singles = DetectorID.all.map { detector in
            var rules = InspectionRules(every: nil)
            rules.setAction(.redact, for: detector, in: .toolDefinition)
            return try! Inspector(rules: rules)
        }
        let clock = ContinuousClock()
        let passesStart = clock.now
        var passFindings = 0
        for single in singles {
            passFindings += single.scan(message: text, direction: .toolDefinition, mode: .plainText).findings.count
        }
        let (passSeconds, passAttoseconds) = (clock.now - passesStart).components
        let passRate = Double(text.count) / 1e6 / (Double(passSeconds) + Double(passAttoseconds) / 1e18)
        print(
            String(
                format:
                    "  one pass per detector (%d passes over a buffered %d MB): %.0f MB/s, %d findings; single pass is %.1fx faster",
                singles.count, text.count >> 20, passRate, passFindings, megabytes / plain.seconds / passRate))

        let slice = Array(text.prefix(512 << 10))
        let baseline = naive(slice)
        let naiveRate = Double(slice.count) / 1e6 / baseline.seconds
        print(
            String(
                format: "  naive (%d regexes one by one over a buffered %d KB slice): %.2f MB/s, %d matches",
                patterns.count, slice.count >> 10, naiveRate, baseline.matches))
        print(
            String(
                format:
                    "  ratio streaming / naive: plain %.0fx, JSON %.0fx   (targets: >= 500 MB/s, >= 10x, < 64 KB + window)",
                megabytes / plain.seconds / naiveRate, megabytes / jsonRun.seconds / naiveRate))
        print()
    }
}

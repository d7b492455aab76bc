/// The compiled rules of one organization, indexed so that a decision looks only at
/// rules that can match: by kind, then upstream (or any), then exact name (or any), with
/// globs kept apart and bucketed by their first two literal bytes.
struct OrganizationIndex: Sendable {
    struct BucketKey: Hashable, Sendable {
        let kind: UInt8
        let upstream: String?
        let name: String?
    }

    struct GlobKey: Hashable, Sendable {
        let kind: UInt8
        let upstream: String?
    }

    /// Globs of one bucket: those whose literal prefix has at least two bytes, keyed by
    /// those two bytes, and the rest.
    struct GlobList: Sendable {
        var byPrefix: [UInt16: [(Int32, Glob)]] = [:]
        var short: [(Int32, Glob)] = []

        mutating func add(_ ordinal: Int32, _ glob: Glob) {
            if glob.literalPrefix.count >= 2 {
                byPrefix[UInt16(glob.literalPrefix[0]) << 8 | UInt16(glob.literalPrefix[1]), default: []].append((ordinal, glob))
            } else {
                short.append((ordinal, glob))
            }
        }

        func collect(_ name: String, into output: inout [Int32]) {
            var name = name
            name.withUTF8 { bytes in
                for (ordinal, glob) in short where glob.matches(bytes: bytes) { output.append(ordinal) }
                guard bytes.count >= 2, let list = byPrefix[UInt16(bytes[0]) << 8 | UInt16(bytes[1])] else { return }
                for (ordinal, glob) in list where glob.matches(bytes: bytes) { output.append(ordinal) }
            }
        }
    }

    var rules: [CompiledRule] = []
    var defaultEffect: DefaultEffect = .deny
    var defaultDocumentID: String?
    var loopDetection: LoopDetectionSpec?
    var buckets: [BucketKey: [Int32]] = [:]
    var globs: [GlobKey: GlobList] = [:]
    var declaredExact: [String: [Int]] = [:]
    var declaredGlobs: [Int] = []
    var declarations: [ToolDeclaration] = []

    mutating func add(_ document: PolicyDocument) {
        if !document.shadow {
            for declaration in document.declarations {
                let position = declarations.count
                declarations.append(declaration)
                for name in declaration.names.exact { declaredExact[name, default: []].append(position) }
                if !declaration.names.globs.isEmpty { declaredGlobs.append(position) }
            }
        }
        for rule in document.rules {
            let ordinal = Int32(rules.count)
            rules.append(
                CompiledRule(
                    ordinal: ordinal, rule: rule, documentID: document.id, layer: document.layer,
                    team: document.team, subject: document.subject, shadow: document.shadow || rule.shadow))
            let conditions = rule.conditions
            let upstreams: [String?] = conditions.upstreams.map { $0.sorted().map(Optional.some) } ?? [nil]
            for kind in 0..<UInt8(OperationKind.allCases.count) where conditions.kinds & (1 << kind) != 0 {
                for upstream in upstreams {
                    if let names = conditions.names {
                        for name in names.exact {
                            buckets[BucketKey(kind: kind, upstream: upstream, name: name), default: []].append(ordinal)
                        }
                        for glob in names.globs {
                            globs[GlobKey(kind: kind, upstream: upstream), default: GlobList()].add(ordinal, glob)
                        }
                    } else {
                        buckets[BucketKey(kind: kind, upstream: upstream, name: nil), default: []].append(ordinal)
                    }
                }
            }
        }
    }

    /// The ordinals of the rules that may match, sorted, without duplicates.
    func candidates(for request: PolicyRequest) -> [Int32] {
        let kind = UInt8(request.kind.index)
        var found: [Int32] = []
        for upstream in [request.upstream, nil] as [String?] {
            if let list = buckets[BucketKey(kind: kind, upstream: upstream, name: request.name)] { found += list }
            if let list = buckets[BucketKey(kind: kind, upstream: upstream, name: nil)] { found += list }
            globs[GlobKey(kind: kind, upstream: upstream)]?.collect(request.name, into: &found)
        }
        if found.count > 1 {
            found.sort()
            var unique = 1
            for index in 1..<found.count where found[index] != found[unique - 1] {
                found[unique] = found[index]
                unique += 1
            }
            found.removeLast(found.count - unique)
        }
        return found
    }

    /// The traits the organization declares for a tool, and the ones in effect.
    func toolFacts(for request: PolicyRequest) -> ToolFacts {
        guard request.kind == .toolCall else { return ToolFacts(declared: nil, effective: []) }
        var declared: ToolTraits?
        func consider(_ declaration: ToolDeclaration) {
            if let upstreams = declaration.upstreams, !upstreams.contains(request.upstream) { return }
            guard declaration.names.matches(request.name) else { return }
            declared = (declared ?? []).union(declaration.traits)
        }
        if let positions = declaredExact[request.name] {
            for position in positions { consider(declarations[position]) }
        }
        for position in declaredGlobs {
            let declaration = declarations[position]
            // A declaration with both exact names and globs is considered once.
            if declaration.names.exact.contains(request.name) { continue }
            consider(declaration)
        }
        return ToolFacts(declared: declared, effective: declared ?? request.annotations.hintedTraits)
    }
}

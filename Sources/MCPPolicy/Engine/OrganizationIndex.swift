/// The compiled rules of one organization, indexed so that a decision looks only at
/// rules that can match: by upstream (or any upstream), then kind, then exact name (or
/// any name), with globs kept apart and bucketed by their first two literal bytes.
final class OrganizationIndex: Sendable {
    /// Globs of one bucket: those whose literal prefix has at least two bytes, keyed by
    /// those two bytes, and the rest.
    struct GlobList: Sendable {
        var byPrefix: [UInt16: [(Int32, Glob)]] = [:]
        var short: [(Int32, Glob)] = []
        var isEmpty: Bool { byPrefix.isEmpty && short.isEmpty }

        mutating func add(_ ordinal: Int32, _ glob: Glob) {
            if glob.literalPrefix.count >= 2 {
                byPrefix[UInt16(glob.literalPrefix[0]) << 8 | UInt16(glob.literalPrefix[1]), default: []].append(
                    (ordinal, glob))
            } else {
                short.append((ordinal, glob))
            }
        }

        func collect(_ bytes: UnsafeBufferPointer<UInt8>, into output: inout [Int32]) {
            for (ordinal, glob) in short where glob.matches(bytes: bytes) { output.append(ordinal) }
            guard bytes.count >= 2, let list = byPrefix[UInt16(bytes[0]) << 8 | UInt16(bytes[1])] else { return }
            for (ordinal, glob) in list where glob.matches(bytes: bytes) { output.append(ordinal) }
        }
    }

    /// The rules of one upstream (or of any upstream) and one kind.
    struct KindRules: Sendable {
        var byName: [String: [Int32]] = [:]
        var anyName: [Int32] = []
        var globs = GlobList()
    }

    /// Builds an index document by document.
    struct Builder {
        var rules: [CompiledRule] = []
        var defaultEffect: DefaultEffect = .deny
        var defaultDocumentID: String?
        var loopDetection: LoopDetectionSpec?
        var byUpstream: [String: [KindRules]] = [:]
        var anyUpstream = [KindRules](repeating: KindRules(), count: OperationKind.allCases.count)
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
                func insert(into kinds: inout [KindRules]) {
                    for kind in 0..<OperationKind.allCases.count where conditions.kinds & (1 << kind) != 0 {
                        if let names = conditions.names {
                            for name in names.exact { kinds[kind].byName[name, default: []].append(ordinal) }
                            for glob in names.globs { kinds[kind].globs.add(ordinal, glob) }
                        } else {
                            kinds[kind].anyName.append(ordinal)
                        }
                    }
                }
                if let upstreams = conditions.upstreams {
                    for upstream in upstreams.sorted() {
                        var kinds =
                            byUpstream[upstream]
                            ?? [KindRules](repeating: KindRules(), count: OperationKind.allCases.count)
                        insert(into: &kinds)
                        byUpstream[upstream] = kinds
                    }
                } else {
                    insert(into: &anyUpstream)
                }
            }
        }
    }

    let rules: [CompiledRule]
    let defaultEffect: DefaultEffect
    let loopDetection: LoopDetectionSpec?
    let byUpstream: [String: [KindRules]]
    let anyUpstream: [KindRules]
    let declaredExact: [String: [Int]]
    let declaredGlobs: [Int]
    let declarations: [ToolDeclaration]

    init(_ builder: Builder) {
        rules = builder.rules
        defaultEffect = builder.defaultEffect
        loopDetection = builder.loopDetection
        byUpstream = builder.byUpstream
        anyUpstream = builder.anyUpstream
        declaredExact = builder.declaredExact
        declaredGlobs = builder.declaredGlobs
        declarations = builder.declarations
    }

    /// The ordinals of the rules that may match, sorted, without duplicates.
    func candidates(for request: PolicyRequest) -> [Int32] {
        let kind = request.kind.index
        var found: [Int32] = []
        var name = request.name
        name.withUTF8 { bytes in
            func collect(_ rules: KindRules) {
                if !rules.byName.isEmpty, let list = rules.byName[request.name] { found += list }
                found += rules.anyName
                if !rules.globs.isEmpty { rules.globs.collect(bytes, into: &found) }
            }
            if let kinds = byUpstream[request.upstream] { collect(kinds[kind]) }
            collect(anyUpstream[kind])
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
        if !declaredExact.isEmpty, let positions = declaredExact[request.name] {
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

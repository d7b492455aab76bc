/// A name pattern: `*` matches any run of characters (none included), `?` exactly one;
/// everything else matches itself. Matching is linear in the name's length times the
/// pattern's, with no backtracking blow-up.
struct NamePattern: Sendable, Hashable {
    private let pattern: [Character]

    init(_ text: String) {
        pattern = Array(text)
    }

    /// Whether `name` matches the whole pattern.
    func matches(_ name: String) -> Bool {
        let text = Array(name)
        var p = 0
        var t = 0
        var star: Int?
        var resume = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == "?" || pattern[p] == text[t] {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == "*" {
                star = p
                resume = t
                p += 1
            } else if let star {
                p = star + 1
                resume += 1
                t = resume
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == "*" { p += 1 }
        return p == pattern.count
    }
}

/// Which names of each list a virtual server exposes.
struct ExposureFilter: Sendable, Hashable {
    var tools: [NamePattern]?
    var prompts: [NamePattern]?
    var resources: [NamePattern]?

    init(server: GatewayConfiguration.VirtualServer) {
        tools = server.tools?.map(NamePattern.init)
        prompts = server.prompts?.map(NamePattern.init)
        resources = server.resources?.map(NamePattern.init)
    }

    init() {}

    /// Whether a name (or URI) of a list is exposed.
    func exposes(_ list: UpstreamCatalog.List, _ name: String) -> Bool {
        let patterns: [NamePattern]?
        switch list {
        case .tools: patterns = tools
        case .prompts: patterns = prompts
        case .resources, .resourceTemplates: patterns = resources
        }
        guard let patterns else { return true }
        return patterns.contains { $0.matches(name) }
    }
}

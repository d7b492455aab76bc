import MCPCore

/// The merged view of every upstream's catalog: the names clients see, in a deterministic
/// order (upstreams in configuration order, each upstream's items in its own order), and
/// where each name leads.
///
/// Tools and prompts are exposed as `<prefix><separator><name>` (or unchanged for an
/// upstream without a prefix); resources and resource templates keep their URIs. A name
/// two upstreams expose is resolved by the collision rule, and reported.
struct RouteTable: Sendable {
    struct Route: Sendable {
        /// The upstream's index in the configuration.
        var upstream: Int
        /// The name (or URI) as the upstream knows it.
        var name: String
        /// The upstream's definition.
        var definition: JSONObject
    }

    /// A name that more than one upstream exposes.
    struct Collision: Sendable, Hashable {
        var list: UpstreamCatalog.List
        var name: String
        var upstreams: [String]
    }

    private(set) var items: [UpstreamCatalog.List: [JSONObject]] = [:]
    private var routes: [UpstreamCatalog.List: [String: Route]] = [:]
    /// Resource templates as (the text before the first `{`, upstream), longest first.
    private var templatePrefixes: [(prefix: String, upstream: Int)] = []
    private(set) var collisions: [Collision] = []

    /// Builds the table from the upstreams' catalogs, indexed as in the configuration,
    /// keeping only the names `filter` exposes.
    init(configuration: GatewayConfiguration, catalogs: [UpstreamCatalog?], filter: ExposureFilter = ExposureFilter()) {
        for list in UpstreamCatalog.List.allCases {
            var exposed: [(name: String, item: JSONObject, route: Route)] = []
            var owners: [String: [Int]] = [:]
            for (index, catalog) in catalogs.enumerated() {
                guard let catalog, let upstreamItems = catalog.items[list] else { continue }
                let upstream = configuration.upstreams[index]
                let prefix = configuration.prefix(of: upstream)
                for item in upstreamItems {
                    let key = list == .resources ? "uri" : (list == .resourceTemplates ? "uriTemplate" : "name")
                    guard let original = item[key]?.stringValue else { continue }
                    var renamed = item
                    var name = original
                    if list == .tools || list == .prompts, !prefix.isEmpty {
                        name = prefix + configuration.namespacing.separator + original
                        renamed["name"] = .string(name)
                    }
                    guard filter.exposes(list, name) else { continue }
                    owners[name, default: []].append(index)
                    exposed.append((name, renamed, Route(upstream: index, name: original, definition: item)))
                }
            }
            var kept: [JSONObject] = []
            var table: [String: Route] = [:]
            for entry in exposed {
                let owning = owners[entry.name] ?? []
                let distinct = Array(Set(owning)).sorted()
                if distinct.count > 1 {
                    // Reported once per name.
                    if entry.route.upstream == distinct[0], table[entry.name] == nil {
                        collisions.append(
                            Collision(
                                list: list, name: entry.name,
                                upstreams: distinct.map { configuration.upstreams[$0].name }))
                    }
                    if configuration.namespacing.onCollision == .hide { continue }
                }
                // The first upstream (and, within it, the first item) keeps the name.
                guard table[entry.name] == nil else { continue }
                table[entry.name] = entry.route
                kept.append(entry.item)
            }
            items[list] = kept
            routes[list] = table
            if list == .resourceTemplates {
                templatePrefixes = table.map { (name, route) in
                    (String(name.prefix { $0 != "{" }), route.upstream)
                }.filter { !$0.prefix.isEmpty }.sorted {
                    $0.prefix.count > $1.prefix.count
                        || ($0.prefix.count == $1.prefix.count && $0.upstream < $1.upstream)
                }
            }
        }
    }

    /// The route of a tool or prompt name as clients see it.
    func route(_ list: UpstreamCatalog.List, named name: String) -> Route? {
        routes[list]?[name]
    }

    /// The upstream that serves a resource URI: the one that listed it, else the one with
    /// the longest matching template prefix.
    func upstream(forResource uri: String) -> Int? {
        if let route = routes[.resources]?[uri] { return route.upstream }
        return templatePrefixes.first { uri.hasPrefix($0.prefix) }?.upstream
    }
}

import MCPCore
import Testing

@testable import MCPGateway

/// The merged view of several catalogs: names, order, collisions and resource routing.
@Suite("Route table")
struct RouteTableTests {
    func catalog(tools: [String], prompts: [String] = [], resources: [String] = [], templates: [String] = [])
        -> UpstreamCatalog
    {
        var catalog = UpstreamCatalog(initializeResult: [
            "capabilities": ["tools": [:], "prompts": [:], "resources": [:]]
        ])
        catalog.items[.tools] = tools.map { ["name": .string($0), "inputSchema": ["type": "object"]] }
        catalog.items[.prompts] = prompts.map { ["name": .string($0)] }
        catalog.items[.resources] = resources.map { ["uri": .string($0), "name": "r"] }
        catalog.items[.resourceTemplates] = templates.map { ["uriTemplate": .string($0), "name": "t"] }
        return catalog
    }

    func configuration(_ upstreams: [(String, String?)], rule: GatewayConfiguration.CollisionRule = .first)
        -> GatewayConfiguration
    {
        GatewayConfiguration(
            upstreams: upstreams.map { name, prefix in
                GatewayConfiguration.Upstream(
                    name: name, endpoint: .streamableHTTP(url: "http://x/\(name)"), prefix: prefix)
            },
            namespacing: .init(separator: "__", onCollision: rule))
    }

    func names(_ table: RouteTable, _ list: UpstreamCatalog.List) -> [String] {
        (table.items[list] ?? []).compactMap { $0[list == .resources ? "uri" : "name"]?.stringValue }
    }

    @Test func prefixesNamesAndKeepsTheOrderOfConfigurationThenUpstream() {
        let table = RouteTable(
            configuration: configuration([("a", nil), ("b", nil)]),
            catalogs: [catalog(tools: ["z", "y"], prompts: ["p"]), catalog(tools: ["x"])])
        #expect(names(table, .tools) == ["a__z", "a__y", "b__x"])
        #expect(names(table, .prompts) == ["a__p"])
        #expect(table.route(.tools, named: "b__x")?.upstream == 1)
        #expect(table.route(.tools, named: "b__x")?.name == "x")
        #expect(table.route(.tools, named: "x") == nil)
        #expect(table.collisions.isEmpty)
    }

    @Test func aNameTwoUpstreamsExposeGoesToTheFirstOrToNeither() {
        // Both without a prefix: the same name twice.
        for rule in [GatewayConfiguration.CollisionRule.first, .hide] {
            let table = RouteTable(
                configuration: configuration([("a", ""), ("b", "")], rule: rule),
                catalogs: [catalog(tools: ["same", "onlyA"]), catalog(tools: ["same", "onlyB"])])
            #expect(table.collisions == [.init(list: .tools, name: "same", upstreams: ["a", "b"])])
            if rule == .first {
                #expect(names(table, .tools) == ["same", "onlyA", "onlyB"])
                #expect(table.route(.tools, named: "same")?.upstream == 0)
            } else {
                #expect(names(table, .tools) == ["onlyA", "onlyB"])
                #expect(table.route(.tools, named: "same") == nil)
            }
        }
        // A prefixed name that equals another upstream's own name collides too.
        let table = RouteTable(
            configuration: configuration([("a", nil), ("b", "")]),
            catalogs: [catalog(tools: ["t"]), catalog(tools: ["a__t"])])
        #expect(table.collisions.map(\.name) == ["a__t"])
    }

    @Test func resourcesGoToTheUpstreamThatListedThemOrTheLongestTemplate() {
        let table = RouteTable(
            configuration: configuration([("a", nil), ("b", nil), ("c", nil)]),
            catalogs: [
                catalog(tools: [], resources: ["file:///a.txt"], templates: ["file:///{path}"]),
                catalog(tools: [], templates: ["file:///logs/{name}"]),
                nil,
            ])
        #expect(table.upstream(forResource: "file:///a.txt") == 0)
        #expect(table.upstream(forResource: "file:///logs/today") == 1)
        #expect(table.upstream(forResource: "file:///other") == 0)
        #expect(table.upstream(forResource: "https://elsewhere") == nil)
    }

    @Test func theCursorRoundTripsAndRefusesForgeries() {
        for offset in [0, 1, 99, 123_456] {
            #expect(ListCursor(ListCursor(offset: offset).text)?.offset == offset)
        }
        for forged in [
            "", "zz", "6731", "67312e2d31", "67312e", String(repeating: "61", count: 40), "G1.5", "67312E35",
        ] {
            #expect(ListCursor(forged) == nil, "\(forged)")
        }
    }
}

// swift-tools-version:6.0
//
// libFuzzer targets for the gateway's parsers. Built only with `--sanitize=fuzzer`
// (see `make fuzz`): each target defines LLVMFuzzerTestOneInput and libFuzzer supplies
// `main`. The dependency is the gateway package itself, by path.
import PackageDescription

let package = Package(
    name: "mcp-gateway-fuzz",
    dependencies: [.package(name: "mcp-gateway", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzJSONParser",
            dependencies: [.product(name: "MCPCore", package: "mcp-gateway")]
        ),
        .executableTarget(
            name: "FuzzEnvelope",
            dependencies: [.product(name: "MCPCore", package: "mcp-gateway")]
        ),
        .executableTarget(
            name: "FuzzHTTPParser",
            dependencies: [.product(name: "MCPTransport", package: "mcp-gateway")]
        ),
        .executableTarget(
            name: "FuzzSSEParser",
            dependencies: [.product(name: "MCPTransport", package: "mcp-gateway")]
        ),
        .executableTarget(
            name: "FuzzInspectScanner",
            dependencies: [
                .product(name: "MCPInspect", package: "mcp-gateway"), .product(name: "MCPCore", package: "mcp-gateway"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

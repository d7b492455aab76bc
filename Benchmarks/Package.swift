// swift-tools-version:6.0
//
// The gateway's benchmarks (`make bench`): one release executable that prints figures
// against baselines measured in the same run. It never asserts them.
import PackageDescription

let package = Package(
    name: "mcp-gateway-benchmarks",
    dependencies: [.package(name: "mcp-gateway", path: "..")],
    targets: [
        .executableTarget(
            name: "mcp-bench",
            dependencies: [
                .product(name: "MCPCore", package: "mcp-gateway"),
                .product(name: "MCPTransport", package: "mcp-gateway"),
                .product(name: "MCPPolicy", package: "mcp-gateway"),
                .product(name: "MCPAudit", package: "mcp-gateway"),
                .product(name: "MCPStore", package: "mcp-gateway"),
                .product(name: "MCPInspect", package: "mcp-gateway"),
                .product(name: "MCPCrypto", package: "mcp-gateway"),
                .product(name: "MCPAuth", package: "mcp-gateway"),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)

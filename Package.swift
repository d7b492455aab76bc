// swift-tools-version:6.0
//
// The MCP gateway as a layered Swift library. No Swift package dependencies: only the
// toolchain and the system libraries libcurl, sqlite3 and OpenSSL (see ../DESIGN.md in
// the shared notes and README.md for the module map).
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "mcp-gateway",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "MCPCore", targets: ["MCPCore"]),
        .library(name: "MCPCrypto", targets: ["MCPCrypto"]),
        .library(name: "MCPStore", targets: ["MCPStore"]),
        .library(name: "MCPTransport", targets: ["MCPTransport"]),
        .library(name: "MCPPolicy", targets: ["MCPPolicy"]),
        .library(name: "MCPInspect", targets: ["MCPInspect"]),
        .library(name: "MCPGateway", targets: ["MCPGateway"]),
        .library(name: "MCPAudit", targets: ["MCPAudit"]),
        .library(name: "MCPAuth", targets: ["MCPAuth"]),
        .executable(name: "gatewayd", targets: ["gatewayd"]),
        .executable(name: "mcp-example-server", targets: ["mcp-example-server"]),
        .executable(name: "mcp-embedded-gateway", targets: ["mcp-embedded-gateway"]),
        .executable(name: "mcp-policy-example", targets: ["mcp-policy-example"]),
        .executable(name: "mcp-audit-log", targets: ["mcp-audit-log"]),
        .executable(name: "mcp-protected-service", targets: ["mcp-protected-service"]),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Linux calls Glibc does not export (epoll, eventfd, accept4, pidfd, spawn helpers).
        .systemLibrary(name: "CLinux"),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "openssl",
            providers: [.apt(["libssl-dev"])]
        ),

        // MARK: Support
        .target(
            name: "MCPCrypto",
            dependencies: ["COpenSSL"],
            swiftSettings: strict
        ),
        .target(
            name: "MCPStore",
            dependencies: ["CSQLite"],
            swiftSettings: strict
        ),

        // MARK: Core
        .target(
            name: "MCPCore",
            swiftSettings: strict,
            // Float and Double rounding call libm; programs that link MCPCore without
            // Foundation must still find it.
            linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
        ),

        // MARK: I/O
        .target(
            name: "MCPTransport",
            dependencies: ["MCPCore", "MCPCrypto", "CLinux", "CCurl", "COpenSSL"],
            swiftSettings: strict
        ),

        // MARK: Governance
        .target(
            name: "MCPPolicy", dependencies: ["MCPCore", "MCPCrypto"], exclude: ["PolicyFormat.md"],
            swiftSettings: strict),
        .target(
            name: "MCPAuth", dependencies: ["MCPCore", "MCPCrypto", "MCPStore", "MCPTransport"],
            swiftSettings: strict),
        .target(name: "MCPAudit", dependencies: ["MCPCore", "MCPCrypto", "MCPStore"], swiftSettings: strict),
        .target(
            name: "MCPInspect",
            dependencies: ["MCPCore", "MCPCrypto", "MCPStore"],
            swiftSettings: strict
        ),

        // MARK: Gateway
        .target(
            name: "MCPGateway",
            dependencies: ["MCPCore", "MCPCrypto", "MCPTransport", "MCPPolicy", "MCPAudit", "MCPInspect", "MCPAuth"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "gatewayd",
            dependencies: [
                "MCPGateway", "MCPCore", "MCPCrypto", "MCPTransport", "MCPPolicy", "MCPAudit", "MCPInspect", "MCPAuth",
            ],
            swiftSettings: strict
        ),

        // MARK: Examples
        .executableTarget(
            name: "mcp-example-server",
            dependencies: ["MCPCore", "MCPTransport"],
            path: "Examples/ExampleServer",
            swiftSettings: strict
        ),

        .executableTarget(
            name: "mcp-embedded-gateway",
            dependencies: ["MCPGateway", "MCPTransport"],
            path: "Examples/EmbeddedGateway",
            swiftSettings: strict
        ),

        .executableTarget(
            name: "mcp-policy-example", dependencies: ["MCPPolicy", "MCPCore"], path: "Examples/PolicyGuard",
            swiftSettings: strict),
        .executableTarget(
            name: "mcp-protected-service", dependencies: ["MCPAuth", "MCPCore", "MCPTransport"],
            path: "Examples/ProtectedService", swiftSettings: strict),
        .executableTarget(
            name: "mcp-audit-log", dependencies: ["MCPAudit", "MCPCore", "MCPCrypto"], path: "Examples/AuditLog",
            swiftSettings: strict),

        // MARK: Tests
        .target(
            name: "MCPTestSupport",
            path: "Tests/MCPTestSupport",
            swiftSettings: strict
        ),
        .testTarget(name: "MCPCoreTests", dependencies: ["MCPCore"], swiftSettings: strict),
        .testTarget(name: "MCPCryptoTests", dependencies: ["MCPCrypto"], swiftSettings: strict),
        .testTarget(name: "MCPStoreTests", dependencies: ["MCPStore"], swiftSettings: strict),
        .testTarget(
            name: "MCPTransportTests", dependencies: ["MCPTransport", "MCPCore", "MCPTestSupport", "mcp-example-server"],
            swiftSettings: strict),
        .testTarget(
            name: "MCPGatewayTests",
            dependencies: [
                "MCPGateway", "MCPCore", "MCPCrypto", "MCPPolicy", "MCPInspect", "MCPAudit", "MCPAuth", "MCPTransport", "MCPTestSupport", "mcp-example-server", "gatewayd",
                "mcp-embedded-gateway",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "MCPPolicyTests", dependencies: ["MCPPolicy", "MCPCore", "MCPCrypto"], swiftSettings: strict),
        .testTarget(
            name: "MCPAuditTests",
            dependencies: ["MCPAudit", "MCPCore", "MCPCrypto", "MCPStore", "MCPTestSupport", "mcp-audit-log"],
            swiftSettings: strict),
        .testTarget(name: "MCPInspectTests", dependencies: ["MCPInspect", "MCPCore", "MCPCrypto", "MCPStore"], swiftSettings: strict),
        .testTarget(
            name: "MCPAuthTests",
            dependencies: [
                "MCPAuth", "MCPCore", "MCPCrypto", "MCPStore", "MCPTransport", "MCPTestSupport", "mcp-protected-service",
            ],
            swiftSettings: strict),
        .testTarget(
            name: "MCPAuthAttackTests",
            dependencies: ["MCPAuth", "MCPCore", "MCPCrypto", "MCPTransport", "MCPTestSupport"],
            swiftSettings: strict),
        .testTarget(name: "CCurlTests", dependencies: ["CCurl"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)

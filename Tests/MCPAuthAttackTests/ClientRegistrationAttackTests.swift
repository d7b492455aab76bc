import MCPCore
import Testing

/// Dynamic Client Registration attacks (RFC 7591 §2, §3.2.2): redirect URIs that would send
/// codes to a script or over plain HTTP, and registration floods.
///
/// Each test runs its own server with room for a single dynamic client, so that a refused
/// registration that was stored anyway would make the next valid one fail.
@Suite("Client registration attacks")
struct ClientRegistrationAttackTests {
    private static func metadata(redirectURIs: [String]) -> JSONValue {
        [
            "client_name": "Agent", "token_endpoint_auth_method": "none",
            "redirect_uris": .array(redirectURIs.map { .string($0) }),
        ]
    }

    private static let valid = metadata(redirectURIs: ["https://agent.example/cb"])

    private static func withServer(
        registrationsPerMinute: Int = 10, _ body: (AuthorizationServerHarness) async throws -> Void
    ) async throws {
        try await AuthorizationServerHarness.withServer(
            configure: { configuration in
                configuration.dynamicRegistration.maximumClients = 1
                configuration.dynamicRegistration.registrationsPerMinute = registrationsPerMinute
            }, body)
    }

    /// Expects a refused registration, then proves nothing was stored: the one free place
    /// is still free, and the client the refused request would have been is unknown.
    private static func expectRefused(
        _ metadata: JSONValue, error: String, in harness: AuthorizationServerHarness,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let refused = try await harness.post("/register", json: metadata)
        harness.expectOAuthError(refused, status: 400, error: error, sourceLocation: sourceLocation)
        #expect(refused.json?["client_id"] == nil, sourceLocation: sourceLocation)

        let accepted = try await harness.post("/register", json: valid)
        #expect(
            accepted.status == 201, "the refused client took the only place: \(accepted.text)",
            sourceLocation: sourceLocation)
    }

    @Test func javascriptRedirectIsRefused() async throws {
        try await Self.withServer { harness in
            try await Self.expectRefused(
                Self.metadata(redirectURIs: ["javascript:alert(document.cookie)//"]), error: "invalid_redirect_uri",
                in: harness)
        }
    }

    @Test func plainHTTPRedirectOffLoopbackIsRefused() async throws {
        try await Self.withServer { harness in
            try await Self.expectRefused(
                Self.metadata(redirectURIs: ["https://agent.example/cb", "http://agent.example/cb"]),
                error: "invalid_redirect_uri", in: harness)
        }
    }

    @Test func dataRedirectIsRefused() async throws {
        try await Self.withServer { harness in
            try await Self.expectRefused(
                Self.metadata(redirectURIs: ["data:text/html,<script>alert(1)</script>"]),
                error: "invalid_redirect_uri", in: harness)
        }
    }

    @Test func redirectWithFragmentIsRefused() async throws {
        try await Self.withServer { harness in
            try await Self.expectRefused(
                Self.metadata(redirectURIs: ["https://agent.example/cb#token"]), error: "invalid_redirect_uri",
                in: harness)
        }
    }

    @Test func implicitResponseTypeIsRefused() async throws {
        try await Self.withServer { harness in
            var metadata = try #require(Self.valid.objectValue)
            metadata["response_types"] = ["token"]
            try await Self.expectRefused(.object(metadata), error: "invalid_client_metadata", in: harness)
        }
    }

    @Test func registeredClientCanStartASignIn() async throws {
        try await Self.withServer { harness in
            let registered = try await harness.post("/register", json: Self.valid)
            #expect(registered.status == 201)
            let clientID = try #require(registered.json?["client_id"]?.stringValue)
            let answer = try await harness.browser.open(
                .code(
                    clientID: clientID, redirectURI: "https://agent.example/cb", pkce: try PKCE(),
                    resource: harness.resource))
            harness.expectSignInPage(answer)
        }
    }

    @Test func registrationFloodIsRateLimited() async throws {
        try await AuthorizationServerHarness.withServer(
            configure: { $0.dynamicRegistration.registrationsPerMinute = 2 }
        ) { harness in
            for _ in 0..<2 {
                #expect(try await harness.post("/register", json: Self.valid).status == 201)
            }
            let limited = try await harness.post("/register", json: Self.valid)
            harness.expectOAuthError(limited, status: 429, error: "temporarily_unavailable")
            #expect(limited.json?["client_id"] == nil)

            // The limit is per minute.
            harness.clock.advance(by: 60)
            #expect(try await harness.post("/register", json: Self.valid).status == 201)
        }
    }
}

import MCPCore
import Testing

/// Client ID Metadata Document attacks: a client id URL that points the authorization
/// server at the gateway's own network (server-side request forgery), and documents that
/// claim to describe another client. Every refusal is the error page: such a client and
/// its redirect URIs are not trusted.
@Suite("Client metadata document attacks")
struct MetadataDocumentAttackTests {
    private static func document(clientID: String) -> JSONValue {
        [
            "client_id": .string(clientID), "client_name": "Agent", "redirect_uris": ["https://agent.example/cb"],
            "token_endpoint_auth_method": "none",
        ]
    }

    private static func open(
        _ clientID: String, in harness: AuthorizationServerHarness
    ) async throws -> HTTPAnswer {
        try await harness.browser.open(
            .code(
                clientID: clientID, redirectURI: "https://agent.example/cb", pkce: try PKCE(),
                resource: harness.resource))
    }

    @Test func documentOnAnInternalAddressIsNeverFetched() async throws {
        try await MetadataDocumentHost.withHost { host in
            let clientID = host.url("/client.json")
            host.publish(Self.document(clientID: clientID), at: "/client.json")
            try await AuthorizationServerHarness.withServer(
                configure: { configuration in
                    configuration.metadataDocuments.allowsHTTP = true
                    configuration.metadataDocuments.allowsInternalAddresses = false
                }
            ) { harness in
                harness.expectErrorPage(try await Self.open(clientID, in: harness))
                #expect(host.requestedPaths.isEmpty, "the server fetched \(host.requestedPaths)")
            }
        }
    }

    @Test func documentNamingAnotherClientIDIsRefused() async throws {
        try await MetadataDocumentHost.withHost { host in
            let clientID = host.url("/client.json")
            host.publish(Self.document(clientID: host.url("/trusted-client.json")), at: "/client.json")
            try await AuthorizationServerHarness.withServer(
                configure: { configuration in
                    configuration.metadataDocuments.allowsHTTP = true
                    configuration.metadataDocuments.allowsInternalAddresses = true
                }
            ) { harness in
                harness.expectErrorPage(try await Self.open(clientID, in: harness))
                #expect(host.requestedPaths == ["/client.json"])
            }
        }
    }

    @Test func documentCarryingASecretIsRefused() async throws {
        try await MetadataDocumentHost.withHost { host in
            let clientID = host.url("/client.json")
            var document = try #require(Self.document(clientID: clientID).objectValue)
            document["client_secret"] = "shared-secret"
            document["token_endpoint_auth_method"] = "client_secret_post"
            host.publish(.object(document), at: "/client.json")
            try await AuthorizationServerHarness.withServer(
                configure: { configuration in
                    configuration.metadataDocuments.allowsHTTP = true
                    configuration.metadataDocuments.allowsInternalAddresses = true
                }
            ) { harness in
                harness.expectErrorPage(try await Self.open(clientID, in: harness))
            }
        }
    }

    @Test func matchingDocumentIsTheControl() async throws {
        try await MetadataDocumentHost.withHost { host in
            let clientID = host.url("/client.json")
            host.publish(Self.document(clientID: clientID), at: "/client.json")
            try await AuthorizationServerHarness.withServer(
                configure: { configuration in
                    configuration.metadataDocuments.allowsHTTP = true
                    configuration.metadataDocuments.allowsInternalAddresses = true
                }
            ) { harness in
                harness.expectSignInPage(try await Self.open(clientID, in: harness))
                // A redirect URI the document does not list is still refused.
                let answer = try await harness.browser.open(
                    .code(
                        clientID: clientID, redirectURI: "https://evil.example/cb", pkce: try PKCE(),
                        resource: harness.resource))
                harness.expectErrorPage(answer)
            }
        }
    }
}

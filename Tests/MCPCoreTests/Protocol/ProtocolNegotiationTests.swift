import Testing

@testable import MCPCore

@Suite("Protocol revisions")
struct ProtocolNegotiationTests {
    @Test func revisionsOrderByDate() {
        #expect(ProtocolRevision.allCases.map(\.rawValue) == ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25", "2026-07-28"])
        #expect(ProtocolRevision.allCases.sorted() == ProtocolRevision.allCases)
        #expect(ProtocolRevision.latest == .v2026_07_28)
    }

    @Test(arguments: ProtocolRevision.allCases)
    func featuresFollowTheEra(revision: ProtocolRevision) {
        let features = revision.features
        #expect(features.hasInitialize == revision.isLegacyEra)
        #expect(features.hasServerDiscover == !revision.isLegacyEra)
        #expect(features.hasSessions == revision.isLegacyEra)
        #expect(features.allowsBatches == (revision == .v2025_03_26))
        #expect((features.serverRequests == .multiRoundTrip) == !revision.isLegacyEra)
        #expect((features.notificationChannel == .subscriptionsListen) == !revision.isLegacyEra)
        #expect(features.requiresRoutingHeaders == !revision.isLegacyEra)
        #expect(features.hasResultType == !revision.isLegacyEra)
        #expect((features.httpTransport == .httpWithSSE) == (revision == .v2024_11_05))
        #expect(features.hasTasks == (revision == .v2025_11_25))
        #expect(features.requiresProtocolVersionHeader == (revision >= .v2025_06_18))
        #expect(features.resourceNotFoundCode == (revision.isLegacyEra ? .resourceNotFound : .invalidParams))
        #expect(features.hasResumableStreams == (revision.isLegacyEra && revision != .v2024_11_05))
    }

    @Test func serverAnswersInitialize() {
        let all = ProtocolNegotiation()
        #expect(all.answerInitialize(requested: "2025-06-18") == .v2025_06_18)
        #expect(all.answerInitialize(requested: "2024-11-05") == .v2024_11_05)
        // Unknown, future and modern-era revisions get the newest legacy revision.
        #expect(all.answerInitialize(requested: "2099-01-01") == .v2025_11_25)
        #expect(all.answerInitialize(requested: "2026-07-28") == .v2025_11_25)
        #expect(all.answerInitialize(requested: "garbage") == .v2025_11_25)
        let old = ProtocolNegotiation(supported: [.v2024_11_05, .v2025_03_26])
        #expect(old.answerInitialize(requested: "2025-11-25") == .v2025_03_26)
        let modernOnly = ProtocolNegotiation(supported: [.v2026_07_28])
        #expect(modernOnly.answerInitialize(requested: "2025-11-25") == nil)
    }

    @Test func serverChecksModernRequests() throws {
        let negotiation = ProtocolNegotiation(supported: [.v2026_07_28, .v2025_11_25])
        #expect(try negotiation.checkRequest(requested: "2026-07-28").get() == .v2026_07_28)
        guard case .failure(let error) = negotiation.checkRequest(requested: "1900-01-01") else {
            Issue.record("accepted an unknown revision")
            return
        }
        #expect(error.code == .unsupportedProtocolVersion)
        #expect(error.code.rawValue == -32022)
        // The same shape as the specification's example.
        let example = try JSONValue(parsing: #"{"supported":["2026-07-28","2025-11-25"],"requested":"1900-01-01"}"#)
        #expect(error.data == example)
        #expect(negotiation.checkRequest(requested: "2025-03-26").isFailure)
    }

    @Test func httpHeader() {
        let all = ProtocolNegotiation()
        #expect(all.revision(forHeader: nil) == .v2025_03_26)
        #expect(all.revision(forHeader: "2025-06-18") == .v2025_06_18)
        #expect(all.revision(forHeader: "2025-6-18") == nil)
        #expect(ProtocolNegotiation(supported: [.v2026_07_28]).revision(forHeader: nil) == nil)
    }

    @Test func clientRole() {
        let client = ProtocolNegotiation(supported: [.v2025_06_18, .v2025_03_26, .v2026_07_28])
        #expect(client.initializeRequest == .v2025_06_18)
        #expect(client.acceptInitializeResult(answered: "2025-03-26") == .v2025_03_26)
        #expect(client.acceptInitializeResult(answered: "2024-11-05") == nil)
        #expect(client.acceptInitializeResult(answered: "2026-07-28") == nil)
        #expect(client.choose(fromOffered: ["2026-07-28", "2025-11-25"]) == .v2026_07_28)
        #expect(client.choose(fromOffered: ["2025-11-25", "2025-03-26", "bogus"]) == .v2025_03_26)
        #expect(client.choose(fromOffered: ["2024-11-05"]) == nil)
    }
}

extension Result {
    fileprivate var isFailure: Bool {
        if case .failure = self { return true }
        return false
    }
}

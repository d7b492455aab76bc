import MCPAuth
import MCPCore
import MCPTransport

/// Who a message to an upstream is sent for, set around each send by the connection so
/// the transport attaches that user's credential.
enum UpstreamCaller {
    @TaskLocal static var subject: String?
    @TaskLocal static var revision: ProtocolRevision?
}

/// The credentials of one upstream, from the broker: the header of the user a message is
/// sent for (or of the catalog's user, for the gateway's own requests), and the retry once
/// after the upstream refused it.
struct UpstreamCredentials: Sendable {
    let broker: UpstreamCredentialBroker
    let upstream: String
    let quirks: ProviderQuirks
    /// Whose credential the gateway's own requests (initialize, lists) use.
    let catalogSubject: String?

    /// Whether an upstream answer means the credential was refused.
    var refusal: @Sendable (Int, String?, [UInt8]) -> Bool {
        let quirks = self.quirks
        return { status, challenge, body in quirks.refusesToken(status: status, challenge: challenge, body: body) }
    }

    /// Sends with the caller's credential; once the upstream refuses it, refreshes (single
    /// flight) and sends once more.
    func send(_ body: ([(name: String, value: String)]) async throws -> Void) async throws {
        let subject = UpstreamCaller.subject ?? catalogSubject ?? ""
        var header = try await credential(subject)
        do {
            try await body([header])
        } catch let error as StreamableHTTPClientError where error.code == .credentialRefused {
            broker.refused(subject: subject, upstream: upstream, header: header)
            header = try await credential(subject)
            do {
                try await body([header])
            } catch let error as StreamableHTTPClientError where error.code == .credentialRefused {
                throw UpstreamAccessError.reconnectNeeded(
                    upstream: upstream, reason: "it refuses the credential even after a refresh",
                    link: broker.link(subject, upstream))
            }
        }
    }

    private func credential(_ subject: String) async throws(UpstreamAccessError) -> (name: String, value: String) {
        try await broker.header(subject: subject, upstream: upstream)
    }

    /// The JSON-RPC error code of a call whose upstream credentials are missing or ended.
    static let credentialsRequiredCode = JSONRPCErrorCode(-32035)

    /// The JSON-RPC error a client gets when its call cannot be authenticated upstream: a
    /// URL elicitation (-32042) that opens the connect page, for clients of 2025-11-25 on;
    /// otherwise -32035 with the link in the message and the data.
    static func clientError(_ error: UpstreamAccessError, revision: ProtocolRevision?) -> JSONRPCError {
        let message = error.description
        if let link = error.link, let revision, revision.features.hasURLElicitation,
            let elicitation = try? JSONRPCError.urlElicitationRequired(
                message: message,
                elicitations: [
                    ElicitRequestURLParams(
                        message: message, url: link,
                        elicitationId: link.split(separator: "=").last.map(String.init))
                ])
        {
            return elicitation
        }
        var data: JSONObject = [:]
        if let link = error.link { data["connectURL"] = .string(link) }
        return JSONRPCError(
            code: Self.credentialsRequiredCode, message: message, data: data.isEmpty ? nil : .object(data))
    }
}

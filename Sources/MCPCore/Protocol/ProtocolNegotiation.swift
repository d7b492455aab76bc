/// Chooses the protocol revision of a connection, in the server role or the client role.
///
/// Legacy-era peers negotiate once in `initialize`: the client names the revision it wants;
/// the server answers with that revision if it supports it, otherwise with another it
/// supports, and the client either accepts the answer or disconnects. Modern-era requests
/// each name their revision; a server refuses one it does not support with -32022 and the
/// list of what it does support.
public struct ProtocolNegotiation: Sendable, Hashable {
    /// The revisions this side supports, newest first.
    public let supported: [ProtocolRevision]

    /// Creates a negotiation for the revisions this side supports.
    ///
    /// - Parameter supported: the revisions; all five by default.
    public init(supported: some Sequence<ProtocolRevision> = ProtocolRevision.allCases) {
        self.supported = Set(supported).sorted(by: >)
    }

    /// Whether a revision is supported.
    public func supports(_ revision: ProtocolRevision) -> Bool {
        supported.contains(revision)
    }

    // MARK: Server role

    /// The revision to answer an `initialize` request with.
    ///
    /// - Parameter requested: the client's `protocolVersion`, as sent.
    /// - Returns: the requested revision when it is a supported legacy-era revision,
    ///   otherwise the newest supported legacy-era revision; `nil` when this side supports
    ///   no legacy-era revision (then `initialize` is not offered at all).
    public func answerInitialize(requested: String) -> ProtocolRevision? {
        if let revision = ProtocolRevision(rawValue: requested), revision.isLegacyEra, supports(revision) {
            return revision
        }
        return supported.first(where: \.isLegacyEra)
    }

    /// Checks the revision a modern-era request names.
    ///
    /// - Parameter requested: the revision from `_meta` or the `MCP-Protocol-Version`
    ///   header.
    /// - Returns: the revision, or the -32022 UnsupportedProtocolVersion error whose data
    ///   lists the supported revisions and echoes the request, as 2026-07-28 specifies.
    public func checkRequest(requested: String) -> Result<ProtocolRevision, JSONRPCError> {
        if let revision = ProtocolRevision(rawValue: requested), supports(revision) {
            return .success(revision)
        }
        return .failure(unsupportedVersionError(requested: requested))
    }

    /// The -32022 error for a revision this side does not support.
    ///
    /// - Parameter requested: the revision the peer asked for.
    public func unsupportedVersionError(requested: String) -> JSONRPCError {
        JSONRPCError(
            code: .unsupportedProtocolVersion,
            message: "Unsupported protocol version",
            data: [
                "supported": .array(supported.map { .string($0.rawValue) }),
                "requested": .string(requested),
            ]
        )
    }

    /// The revision of a Streamable HTTP request from its `MCP-Protocol-Version` header.
    ///
    /// - Parameter header: the header's value, or `nil` when absent.
    /// - Returns: the revision (2025-03-26 when the header is absent, as 2025-06-18 and
    ///   later specify), or `nil` when the header names a revision that is unknown or not
    ///   supported, which the server answers with HTTP 400.
    public func revision(forHeader header: String?) -> ProtocolRevision? {
        guard let header else {
            return supports(ProtocolRevision.assumedWithoutHeader) ? ProtocolRevision.assumedWithoutHeader : nil
        }
        guard let revision = ProtocolRevision(rawValue: header), supports(revision) else { return nil }
        return revision
    }

    // MARK: Client role

    /// The revision a client asks for in `initialize`: its newest legacy-era revision.
    public var initializeRequest: ProtocolRevision? {
        supported.first(where: \.isLegacyEra)
    }

    /// Checks a server's answer to `initialize`.
    ///
    /// - Parameter answered: the server's `protocolVersion`.
    /// - Returns: the revision when this side supports it, or `nil`, in which case the
    ///   client should disconnect.
    public func acceptInitializeResult(answered: String) -> ProtocolRevision? {
        guard let revision = ProtocolRevision(rawValue: answered), revision.isLegacyEra, supports(revision) else {
            return nil
        }
        return revision
    }

    /// Chooses a revision from what a server lists in `server/discover` or in the data of
    /// an UnsupportedProtocolVersion error.
    ///
    /// - Parameter offered: the server's supported revisions, as sent.
    /// - Returns: the newest revision both sides support, or `nil` when none is shared.
    public func choose(fromOffered offered: [String]) -> ProtocolRevision? {
        let theirs = Set(offered.compactMap(ProtocolRevision.init(rawValue:)))
        return supported.first(where: theirs.contains)
    }
}

import MCPCore
import Synchronization

/// The revision negotiated by `initialize`, for the legacy-era session on standard input.
final class RevisionState: Sendable {
    private let value = Mutex(ProtocolRevision.v2025_03_26)

    var revision: ProtocolRevision { value.withLock { $0 } }

    func set(_ revision: ProtocolRevision) { value.withLock { $0 = revision } }
}

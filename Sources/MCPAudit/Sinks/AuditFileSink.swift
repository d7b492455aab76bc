internal import MCPCore
internal import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Appends records to a file as JSON Lines (one ``AuditRecord/exportJSON`` object per
/// line), creating it with mode 0600 when missing.
///
/// ```swift
/// configuration.sinks = [try AuditFileSink(path: "/var/log/gateway/audit.jsonl", sync: .everyExport)]
/// ```
public final class AuditFileSink: AuditSink {
    /// When the file is synced to disk.
    public enum SyncPolicy: Hashable, Sendable {
        /// Never explicitly; the operating system writes back when it chooses.
        case never
        /// After every export call (one batch of records).
        case everyExport
        /// After at least this many records since the last sync.
        case everyRecords(Int)
    }

    private struct State {
        var descriptor: Int32
        var unsynced = 0
    }

    /// The file's path.
    public let path: String
    /// When the file is synced.
    public let sync: SyncPolicy
    private let state: Mutex<State>

    /// Opens (creating) the file for appending.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - sync: when to sync it to disk.
    /// - Throws: ``AuditError`` with ``AuditError/Code/sinkFailure`` when it cannot be
    ///   opened, ``AuditError/Code/invalidConfiguration`` for a non-positive record count.
    public init(path: String, sync: SyncPolicy = .everyExport) throws(AuditError) {
        if case .everyRecords(let count) = sync, count <= 0 {
            throw AuditError(.invalidConfiguration, message: "the sync record count must be positive")
        }
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw AuditError(.sinkFailure, message: "cannot open the export file (errno \(errno))")
        }
        self.path = path
        self.sync = sync
        self.state = Mutex(State(descriptor: descriptor))
    }

    deinit {
        close()
    }

    /// Appends the records, one JSON object per line, then syncs as the policy says.
    ///
    /// - Parameter records: the records.
    /// - Throws: ``AuditError`` with ``AuditError/Code/sinkFailure`` when a write or sync
    ///   fails or the sink is closed.
    public func export(_ records: [AuditRecord]) throws(AuditError) {
        var bytes: [UInt8] = []
        let serializer = JSONSerializer(options: .sortedKeys)
        for record in records {
            serializer.append(record.exportJSON, to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        let policy = sync
        try state.withLock { state throws(AuditError) in
            guard state.descriptor >= 0 else { throw AuditError(.sinkFailure, message: "the export file is closed") }
            try Self.writeAll(state.descriptor, bytes)
            state.unsynced += records.count
            let due: Bool
            switch policy {
            case .never: due = false
            case .everyExport: due = true
            case .everyRecords(let count): due = state.unsynced >= count
            }
            if due {
                guard fsync(state.descriptor) == 0 else {
                    throw AuditError(.sinkFailure, message: "cannot sync the export file (errno \(errno))")
                }
                state.unsynced = 0
            }
        }
    }

    /// Syncs and closes the file.
    public func close() {
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            if state.unsynced > 0 { _ = fsync(state.descriptor) }
            _ = Glibc.close(state.descriptor)
            state.descriptor = -1
        }
    }

    static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) throws(AuditError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                throw AuditError(.sinkFailure, message: "cannot write the export file (errno \(errno))")
            }
            offset += written
        }
    }
}

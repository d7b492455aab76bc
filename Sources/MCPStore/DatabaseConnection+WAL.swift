internal import CSQLite

/// How far a checkpoint goes in moving the write-ahead log into the database file.
public enum CheckpointMode: Hashable, Sendable {
    /// Copies what it can without waiting for readers or writers; never busy.
    case passive
    /// Waits (up to the busy timeout) for writers, then copies the whole log.
    case full
    /// Like ``full``, then waits for readers so that the next writer restarts the log
    /// from its beginning.
    case restart
    /// Like ``restart``, then truncates the log file to zero bytes.
    case truncate

    var rawValue: Int32 {
        switch self {
        case .passive: SQLITE_CHECKPOINT_PASSIVE
        case .full: SQLITE_CHECKPOINT_FULL
        case .restart: SQLITE_CHECKPOINT_RESTART
        case .truncate: SQLITE_CHECKPOINT_TRUNCATE
        }
    }
}

/// What a checkpoint did, in WAL frames (one frame per page written).
public struct CheckpointResult: Hashable, Sendable {
    /// The frames in the log when the checkpoint ended; -1 when the database is not in WAL
    /// mode.
    public var logFrameCount: Int

    /// The frames of the log now copied into the database file; -1 when the database is
    /// not in WAL mode.
    public var checkpointedFrameCount: Int

    /// Creates a result.
    ///
    /// - Parameters:
    ///   - logFrameCount: the frames in the log.
    ///   - checkpointedFrameCount: the frames copied into the database file.
    public init(logFrameCount: Int, checkpointedFrameCount: Int) {
        self.logFrameCount = logFrameCount
        self.checkpointedFrameCount = checkpointedFrameCount
    }
}

extension DatabaseConnection {
    /// Copies committed pages from the write-ahead log into the database file.
    ///
    /// SQLite checkpoints on its own when the log passes 1000 pages; an explicit
    /// checkpoint bounds the log after a burst of writes, or empties it before a backup.
    /// Run it outside a transaction.
    ///
    /// - Parameter mode: how far to go.
    /// - Returns: the log's size and how much of it reached the database file.
    /// - Throws: ``StoreError`` with ``StoreError/Code/busy`` when a ``CheckpointMode/full``
    ///   or stronger checkpoint could not finish within the busy timeout, or when called
    ///   inside a transaction.
    @discardableResult
    public func checkpoint(_ mode: CheckpointMode = .passive) throws(StoreError) -> CheckpointResult {
        var logFrames: Int32 = 0
        var checkpointedFrames: Int32 = 0
        let result = sqlite3_wal_checkpoint_v2(handle, nil, mode.rawValue, &logFrames, &checkpointedFrames)
        guard result == SQLITE_OK else {
            var error = StoreError(resultCode: result, connection: handle, sql: nil)
            error.message = "checkpoint failed: \(error.message)"
            throw error
        }
        return CheckpointResult(logFrameCount: Int(logFrames), checkpointedFrameCount: Int(checkpointedFrames))
    }

    /// The journal mode in force (`PRAGMA journal_mode`).
    ///
    /// - Returns: the mode, such as ``DatabaseConfiguration/JournalMode/wal``.
    /// - Throws: ``StoreError`` when the pragma fails or reports a mode this code does not
    ///   know.
    public func journalMode() throws(StoreError) -> DatabaseConfiguration.JournalMode {
        let name = try scalar(sql: "PRAGMA journal_mode", as: String.self) ?? ""
        guard let mode = DatabaseConfiguration.JournalMode(rawValue: name.lowercased()) else {
            throw StoreError(.failure, message: "unknown journal mode \(name)", sql: "PRAGMA journal_mode")
        }
        return mode
    }
}

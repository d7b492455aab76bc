public import MCPStore
internal import Synchronization

/// Tool pins kept in SQLite (through MCPStore), so that a definition that changed while
/// the gateway was down is still caught as a rug pull after a restart.
///
/// Reads come from memory (every pin is loaded when the store opens); each change is
/// written through at once. A write that fails leaves the pin in force in memory and is
/// counted in ``writeFailures``, so the store never stops inspection.
public final class SQLiteToolPinStore: ToolPinStore {
    private struct Key: Hashable {
        let server: String
        let tool: String
    }

    private let database: Database
    private let pins = Mutex<[Key: ToolPin]>([:])
    private let failures = Mutex(0)

    static let migrator = DatabaseMigrator([
        Migration(
            "1-create-tool-pins",
            sql: """
                CREATE TABLE tool_pins (
                    server TEXT NOT NULL, tool TEXT NOT NULL, approved BLOB NOT NULL, latest BLOB NOT NULL,
                    PRIMARY KEY (server, tool)
                )
                """)
    ])

    /// Opens (or creates) the store at `path` and loads its pins.
    ///
    /// - Parameter path: the SQLite file.
    /// - Throws: `StoreError` when the file cannot be opened or read, or holds a pin that is
    ///   not a fingerprint.
    public init(path: String) throws {
        database = try Database(configuration: DatabaseConfiguration(.file(path)), migrator: Self.migrator)
        let rows = try database.read { db in try db.query(sql: "SELECT server, tool, approved, latest FROM tool_pins") }
        var loaded: [Key: ToolPin] = [:]
        for row in rows {
            let approved: [UInt8] = try row.value(at: 2)
            let latest: [UInt8] = try row.value(at: 3)
            loaded[Key(server: try row.value(at: 0), tool: try row.value(at: 1))] = ToolPin(
                approved: try ToolFingerprint(digest: approved), latest: try ToolFingerprint(digest: latest))
        }
        pins.withLock { $0 = loaded }
    }

    /// How many writes failed since the store opened.
    public var writeFailures: Int { failures.withLock { $0 } }

    public func pin(server: String, tool: String) -> ToolPin? {
        pins.withLock { $0[Key(server: server, tool: tool)] }
    }

    public func setPin(_ pin: ToolPin?, server: String, tool: String) {
        pins.withLock { $0[Key(server: server, tool: tool)] = pin }
        do {
            try database.write { db in
                if let pin {
                    try db.execute(
                        sql: """
                            INSERT INTO tool_pins (server, tool, approved, latest) VALUES (?, ?, ?, ?)
                            ON CONFLICT (server, tool) DO UPDATE SET approved = excluded.approved, latest = excluded.latest
                            """,
                        arguments: [server, tool, pin.approved.digest, pin.latest.digest])
                } else {
                    try db.execute(
                        sql: "DELETE FROM tool_pins WHERE server = ? AND tool = ?", arguments: [server, tool])
                }
            }
        } catch {
            failures.withLock { $0 += 1 }
        }
    }

    public func servers(offering tool: String) -> [String] {
        pins.withLock { pins in pins.keys.filter { $0.tool == tool }.map(\.server) }.sorted()
    }
}

import Foundation
import MCPStore

/// Opens the SQLite files of the authorization layer (identities and keys, the credential
/// vault): created readable by their owner only (SQLite gives its journal and WAL files the
/// database file's permissions), or in memory for tests and tools.
enum PrivateDatabase {
    /// Opens (or creates) a database and applies its migrations.
    ///
    /// - Parameters:
    ///   - path: the file, or `nil` for memory.
    ///   - migrator: the schema.
    ///   - what: what the database is, for the error message.
    /// - Throws: ``AuthError`` with ``AuthError/Code/storeFailure``.
    static func open(_ path: String?, migrator: DatabaseMigrator, what: String) throws(AuthError) -> Database {
        let location: DatabaseConfiguration.Location
        if let path {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            location = .file(path)
        } else {
            location = .inMemory
        }
        do {
            return try Database(configuration: DatabaseConfiguration(location), migrator: migrator)
        } catch {
            throw AuthError(.storeFailure, "the \(what) cannot be opened: \(error)")
        }
    }
}

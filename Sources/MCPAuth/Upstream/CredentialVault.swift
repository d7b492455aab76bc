import Foundation
public import MCPCore
import MCPCrypto
import MCPStore

/// The encrypted credential vault: what the gateway holds for each (principal, upstream)
/// pair, and its client registrations at upstream authorization servers, in a SQLite file
/// of its own.
///
/// Every value is sealed with AES-256-GCM under the ``MasterKey``, authenticated together
/// with what it is (the subject and the upstream), and records the key id it was sealed
/// with. A row altered on disk, or moved to another pair, does not open: the vault reports
/// it as tampered instead of handing out garbage. ``reseal(with:)`` moves every value to a
/// new master key.
public final class CredentialVault: Sendable {
    let database: Database
    private let keys: [String: MasterKey]
    /// The key new values are sealed with.
    public let currentKey: MasterKey
    private let clock: AuthClock

    static let migrator = DatabaseMigrator([
        Migration(
            "1-vault",
            sql: """
                CREATE TABLE credentials (
                    subject TEXT NOT NULL, upstream TEXT NOT NULL, key_id TEXT NOT NULL, sealed BLOB NOT NULL,
                    updated INTEGER NOT NULL, PRIMARY KEY (subject, upstream)
                );
                CREATE TABLE registrations (
                    upstream TEXT NOT NULL, issuer TEXT NOT NULL, key_id TEXT NOT NULL, sealed BLOB NOT NULL,
                    updated INTEGER NOT NULL, PRIMARY KEY (upstream, issuer)
                );
                """)
    ])

    /// Opens (or creates) the vault.
    ///
    /// - Parameters:
    ///   - path: the SQLite file (created readable by its owner only), or `nil` for memory.
    ///   - masterKey: the key new values are sealed with.
    ///   - previousKeys: keys values sealed before a rotation may still be under.
    ///   - clock: the time source.
    public init(path: String?, masterKey: MasterKey, previousKeys: [MasterKey] = [], clock: AuthClock = .system)
        throws(AuthError)
    {
        database = try PrivateDatabase.open(path, migrator: Self.migrator, what: "credential vault")
        var keys: [String: MasterKey] = [:]
        for key in previousKeys { keys[key.keyID] = key }
        keys[masterKey.keyID] = masterKey
        self.keys = keys
        self.currentKey = masterKey
        self.clock = clock
    }

    // MARK: Credentials

    /// The credential held for a pair.
    ///
    /// - Throws: ``AuthError`` with ``AuthError/Code/tamperedSecret`` when the stored value
    ///   was altered or moved.
    public func credential(subject: String, upstream: String) throws(AuthError) -> UpstreamCredential? {
        let row = try read { db in
            try db.query(
                sql: "SELECT key_id, sealed FROM credentials WHERE subject = ? AND upstream = ?",
                arguments: [subject, upstream]
            ).first.map { row -> (String, [UInt8]) in (try row.value(at: 0), try row.value(at: 1)) }
        }
        guard let (keyID, sealed) = row else { return nil }
        let plain = try open(sealed, keyID: keyID, context: Self.context(subject, upstream))
        guard let value = try? JSONValue(parsing: plain), let credential = UpstreamCredential(json: value) else {
            throw AuthError(.tamperedSecret, "the credential of \(subject) for \(upstream) is not readable")
        }
        return credential
    }

    /// Stores (or replaces, atomically) the credential of a pair.
    public func store(_ credential: UpstreamCredential, subject: String, upstream: String) throws(AuthError) {
        var credential = credential
        credential.updated = clock.now()
        let sealed = try seal(JSONSerializer().serialize(credential.json), context: Self.context(subject, upstream))
        let keyID = currentKey.keyID
        let now = credential.updated
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO credentials (subject, upstream, key_id, sealed, updated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (subject, upstream) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
                        updated = excluded.updated
                    """, arguments: [subject, upstream, keyID, sealed, now])
        }
    }

    /// Removes the credential of a pair.
    ///
    /// - Returns: whether there was one.
    @discardableResult
    public func remove(subject: String, upstream: String) throws(AuthError) -> Bool {
        try write { db in
            try db.execute(
                sql: "DELETE FROM credentials WHERE subject = ? AND upstream = ?", arguments: [subject, upstream])
            return db.changes > 0
        }
    }

    /// Removes every credential a subject holds (a deleted user's).
    ///
    /// - Returns: how many were removed.
    @discardableResult
    public func removeAll(subject: String) throws(AuthError) -> Int {
        try write { db in
            try db.execute(sql: "DELETE FROM credentials WHERE subject = ?", arguments: [subject])
            return db.changes
        }
    }

    /// The upstreams a subject holds credentials for, with when each was stored.
    public func upstreams(of subject: String) throws(AuthError) -> [(upstream: String, updated: Int64)] {
        try read { db in
            try db.query(
                sql: "SELECT upstream, updated FROM credentials WHERE subject = ? ORDER BY upstream",
                arguments: [subject]
            ).map { row in (try row.value(at: 0), try row.value(at: 1)) }
        }
    }

    /// The subjects holding credentials for an upstream, the most recently stored first.
    public func subjects(of upstream: String, limit: Int = 100) throws(AuthError) -> [String] {
        try read { db in
            try db.query(
                sql:
                    "SELECT subject FROM credentials WHERE upstream = ? AND subject <> '' ORDER BY updated DESC LIMIT ?",
                arguments: [upstream, limit]
            ).map { row in try row.value(at: 0) }
        }
    }

    // MARK: Registrations at upstream authorization servers

    /// The gateway's registration at an upstream's authorization server, keyed by issuer.
    public func registration(upstream: String, issuer: String) throws(AuthError) -> JSONObject? {
        let row = try read { db in
            try db.query(
                sql: "SELECT key_id, sealed FROM registrations WHERE upstream = ? AND issuer = ?",
                arguments: [upstream, issuer]
            ).first.map { row -> (String, [UInt8]) in (try row.value(at: 0), try row.value(at: 1)) }
        }
        guard let (keyID, sealed) = row else { return nil }
        let plain = try open(sealed, keyID: keyID, context: "registration:\(upstream):\(issuer)")
        return (try? JSONValue(parsing: plain))?.objectValue
    }

    /// Stores the gateway's registration at an upstream's authorization server.
    public func storeRegistration(_ registration: JSONObject, upstream: String, issuer: String) throws(AuthError) {
        let sealed = try seal(
            JSONSerializer().serialize(.object(registration)), context: "registration:\(upstream):\(issuer)")
        let keyID = currentKey.keyID
        let now = clock.now()
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO registrations (upstream, issuer, key_id, sealed, updated) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (upstream, issuer) DO UPDATE SET key_id = excluded.key_id, sealed = excluded.sealed,
                        updated = excluded.updated
                    """, arguments: [upstream, issuer, keyID, sealed, now])
        }
    }

    // MARK: Keys

    /// Seals every value again with `newKey` (a master key rotation), in one transaction.
    ///
    /// - Returns: how many values were sealed again.
    /// - Throws: ``AuthError`` with ``AuthError/Code/tamperedSecret`` when some value does
    ///   not open; nothing is changed then.
    @discardableResult
    public func reseal(with newKey: MasterKey) throws(AuthError) -> Int {
        try write { db in
            var count = 0
            for row in try db.query(sql: "SELECT subject, upstream, key_id, sealed FROM credentials") {
                let subject: String = try row.value(at: 0)
                let upstream: String = try row.value(at: 1)
                let context = Self.context(subject, upstream)
                let plain = try open(try row.value(at: 3), keyID: try row.value(at: 2), context: context)
                try db.execute(
                    sql: "UPDATE credentials SET key_id = ?, sealed = ? WHERE subject = ? AND upstream = ?",
                    arguments: [newKey.keyID, try Self.seal(plain, with: newKey, context: context), subject, upstream])
                count += 1
            }
            for row in try db.query(sql: "SELECT upstream, issuer, key_id, sealed FROM registrations") {
                let upstream: String = try row.value(at: 0)
                let issuer: String = try row.value(at: 1)
                let context = "registration:\(upstream):\(issuer)"
                let plain = try open(try row.value(at: 3), keyID: try row.value(at: 2), context: context)
                try db.execute(
                    sql: "UPDATE registrations SET key_id = ?, sealed = ? WHERE upstream = ? AND issuer = ?",
                    arguments: [newKey.keyID, try Self.seal(plain, with: newKey, context: context), upstream, issuer])
                count += 1
            }
            return count
        }
    }

    private static func context(_ subject: String, _ upstream: String) -> String {
        "credential:\(subject.utf8.count):\(subject):\(upstream)"
    }

    private func seal(_ plain: [UInt8], context: String) throws(AuthError) -> [UInt8] {
        try Self.seal(plain, with: currentKey, context: context)
    }

    private static func seal(_ plain: [UInt8], with key: MasterKey, context: String) throws(AuthError) -> [UInt8] {
        do {
            return try key.seal(plain, context: context)
        } catch {
            throw AuthError(.storeFailure, "a secret cannot be sealed")
        }
    }

    private func open(_ sealed: [UInt8], keyID: String, context: String) throws(AuthError) -> [UInt8] {
        guard let key = keys[keyID] else {
            throw AuthError(.tamperedSecret, "a secret is sealed with master key \(keyID), which is not configured")
        }
        return try key.open(sealed, context: context)
    }

    private func read<Result>(_ body: (DatabaseConnection) throws -> Result) throws(AuthError) -> Result {
        do {
            return try database.read(body)
        } catch let error as AuthError {
            throw error
        } catch {
            throw AuthError(.storeFailure, "the credential vault failed to read: \(error)")
        }
    }

    private func write<Result>(_ body: (DatabaseConnection) throws -> Result) throws(AuthError) -> Result {
        do {
            return try database.write(.immediate, body)
        } catch let error as AuthError {
            throw error
        } catch {
            throw AuthError(.storeFailure, "the credential vault failed to write: \(error)")
        }
    }
}

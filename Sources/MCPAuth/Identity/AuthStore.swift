import MCPStore

/// The SQLite file that holds the authorization server's state: the identity graph
/// (organizations, teams, users, memberships), registered clients, refresh tokens, revoked
/// access tokens and the sealed signing keys.
///
/// The stores of this module (``IdentityStore``, ``ClientStore``, ``RefreshTokenStore``,
/// ``SigningKeyRing``) share one ``AuthStore``; each writes in a transaction, so a refused
/// request changes nothing.
public final class AuthStore: Sendable {
    let database: Database

    static let migrator = DatabaseMigrator([
        Migration(
            "1-identity-graph",
            sql: """
                CREATE TABLE organizations (
                    name TEXT PRIMARY KEY, display_name TEXT NOT NULL, created INTEGER NOT NULL
                );
                CREATE TABLE teams (
                    organization TEXT NOT NULL REFERENCES organizations(name) ON DELETE CASCADE,
                    name TEXT NOT NULL, created INTEGER NOT NULL,
                    PRIMARY KEY (organization, name)
                );
                CREATE TABLE users (
                    username TEXT PRIMARY KEY,
                    organization TEXT NOT NULL REFERENCES organizations(name) ON DELETE CASCADE,
                    display_name TEXT NOT NULL, email TEXT, password_hash TEXT,
                    external_issuer TEXT, external_subject TEXT,
                    disabled INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL,
                    UNIQUE (external_issuer, external_subject)
                );
                CREATE TABLE memberships (
                    organization TEXT NOT NULL, team TEXT NOT NULL,
                    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE,
                    PRIMARY KEY (organization, team, username),
                    FOREIGN KEY (organization, team) REFERENCES teams(organization, name) ON DELETE CASCADE
                );
                CREATE TABLE clients (
                    issuer TEXT NOT NULL, client_id TEXT NOT NULL, kind TEXT NOT NULL,
                    secret_hash BLOB, metadata TEXT NOT NULL, created INTEGER NOT NULL,
                    PRIMARY KEY (issuer, client_id)
                );
                CREATE TABLE refresh_tokens (
                    hash BLOB PRIMARY KEY, family TEXT NOT NULL, issuer TEXT NOT NULL, client_id TEXT NOT NULL,
                    username TEXT NOT NULL, scope TEXT NOT NULL, resource TEXT NOT NULL,
                    created INTEGER NOT NULL, expires INTEGER NOT NULL, family_expires INTEGER NOT NULL,
                    used INTEGER, revoked INTEGER NOT NULL DEFAULT 0
                );
                CREATE INDEX refresh_tokens_family ON refresh_tokens(family);
                CREATE TABLE revoked_access_tokens (jti TEXT PRIMARY KEY, expires INTEGER NOT NULL);
                CREATE TABLE signing_keys (
                    kid TEXT PRIMARY KEY, master_key_id TEXT NOT NULL, sealed BLOB NOT NULL,
                    public_key BLOB NOT NULL, created INTEGER NOT NULL, retired INTEGER
                );
                """),
        Migration(
            "2-client-last-used",
            sql: """
                ALTER TABLE clients ADD COLUMN last_used INTEGER;
                CREATE INDEX refresh_tokens_client ON refresh_tokens(issuer, client_id);
                """),
    ])

    /// Opens (or creates) the store.
    ///
    /// - Parameter path: the SQLite file, or `nil` for a store in memory (tests, tools).
    /// - Throws: ``AuthError`` with ``AuthError/Code/storeFailure``.
    public init(path: String?) throws(AuthError) {
        database = try PrivateDatabase.open(path, migrator: Self.migrator, what: "authorization store")
    }

    /// Runs a read, mapping store failures to ``AuthError``.
    func read<Result>(_ body: (DatabaseConnection) throws -> Result) throws(AuthError) -> Result {
        do {
            return try database.read(body)
        } catch let error as AuthError {
            throw error
        } catch {
            throw AuthError(.storeFailure, "the authorization store failed to read: \(error)")
        }
    }

    /// Runs a write transaction, mapping store failures to ``AuthError``.
    func write<Result>(_ body: (DatabaseConnection) throws -> Result) throws(AuthError) -> Result {
        do {
            return try database.write(.immediate, body)
        } catch let error as AuthError {
            throw error
        } catch let error as StoreError where error.code == .uniqueViolation {
            throw AuthError(.alreadyExists, "it exists already")
        } catch {
            throw AuthError(.storeFailure, "the authorization store failed to write: \(error)")
        }
    }
}

import MCPStore
import Testing

/// A store written against the protocols only, as the audit log or the vault would be.
private struct GrantStore<Backend: SQLDatabase> {
    let backend: Backend

    func create() throws {
        try backend.write(.immediate) { executor in
            try executor.execute(
                sql: "CREATE TABLE grants (id TEXT PRIMARY KEY, scope TEXT NOT NULL)", arguments: .none)
        }
    }

    func insert(_ grants: [(String, String)]) throws {
        try backend.write(.immediate) { executor in
            for (id, scope) in grants {
                try executor.execute(sql: "INSERT INTO grants VALUES (?, ?)", arguments: [id, scope])
            }
        }
    }

    func insertKeepingValid(_ grants: [(String, String)]) throws -> Int {
        try backend.write(.immediate) { executor in
            var kept = 0
            for (id, scope) in grants {
                do {
                    try executor.transaction(.deferred) {
                        try executor.execute(sql: "INSERT INTO grants VALUES (?, ?)", arguments: [id, scope])
                    }
                    kept += 1
                } catch let error as StoreError where error.code == .uniqueViolation {
                    continue
                }
            }
            return kept
        }
    }

    func scopes() throws -> [String] {
        try backend.read { executor in
            try executor.query(sql: "SELECT scope FROM grants ORDER BY id", arguments: .none).map { row in
                try row.value(named: "scope", as: String.self)
            }
        }
    }
}

@Suite("Backend protocols")
struct SQLExecutorTests {
    @Test("code written against SQLDatabase and SQLExecutor runs on SQLite")
    func genericStore() throws {
        let store = GrantStore(backend: try Database(configuration: DatabaseConfiguration(.inMemory)))
        try store.create()
        try store.insert([("a", "read"), ("b", "write")])
        expectStoreError(.uniqueViolation) { try store.insert([("c", "admin"), ("a", "again")]) }
        #expect(try store.scopes() == ["read", "write"])
        #expect(try store.insertKeepingValid([("c", "admin"), ("a", "again"), ("d", "list")]) == 2)
        #expect(try store.scopes() == ["read", "write", "admin", "list"])
    }
}

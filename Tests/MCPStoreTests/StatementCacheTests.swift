import MCPStore
import Testing

@Suite("Statement cache")
struct StatementCacheTests {
    private func connection(capacity: Int) throws -> DatabaseConnection {
        var configuration = DatabaseConfiguration(.inMemory)
        configuration.statementCacheCapacity = capacity
        return try DatabaseConnection(configuration: configuration)
    }

    @Test("the cache never holds more statements than its capacity")
    func bounded() throws {
        let db = try connection(capacity: 4)
        for value in 0..<50 {
            #expect(try db.scalar(sql: "SELECT \(value)", as: Int.self) == value)
            #expect(db.cachedStatementCount <= 4)
        }
        #expect(db.cachedStatementCount == 4)
    }

    @Test("the least recently used statement leaves first")
    func leastRecentlyUsed() throws {
        let db = try connection(capacity: 3)
        for sql in ["SELECT 1", "SELECT 2", "SELECT 3"] {
            try db.execute(sql: sql)
        }
        try db.execute(sql: "SELECT 1")  // now the most recent
        try db.execute(sql: "SELECT 4")  // evicts SELECT 2
        #expect(db.isStatementCached(sql: "SELECT 1"))
        #expect(!db.isStatementCached(sql: "SELECT 2"))
        #expect(db.isStatementCached(sql: "SELECT 3"))
        #expect(db.isStatementCached(sql: "SELECT 4"))
    }

    @Test("a cached statement is reused with new arguments")
    func reuse() throws {
        let db = try connection(capacity: 8)
        try db.execute(sql: "CREATE TABLE t (v INTEGER)")
        let insert = "INSERT INTO t VALUES (?)"
        for value in 0..<100 {
            try db.execute(sql: insert, arguments: [value])
        }
        #expect(db.isStatementCached(sql: insert))
        #expect(db.cachedStatementCount == 2)
        #expect(try db.scalar(sql: "SELECT sum(v) FROM t", as: Int.self) == 4950)
    }

    @Test("capacity zero compiles every statement anew and caches none")
    func disabled() throws {
        let db = try connection(capacity: 0)
        try db.execute(sql: "CREATE TABLE t (v INTEGER)")
        try db.execute(sql: "INSERT INTO t VALUES (1)")
        #expect(try db.scalar(sql: "SELECT v FROM t", as: Int.self) == 1)
        #expect(db.cachedStatementCount == 0)
    }

    @Test("a cached statement follows schema changes")
    func schemaChange() throws {
        let db = try connection(capacity: 8)
        try db.execute(sql: "CREATE TABLE t (a INTEGER)")
        try db.execute(sql: "INSERT INTO t VALUES (1)")
        #expect(try db.queryFirst(sql: "SELECT * FROM t")?.columnNames == ["a"])
        try db.execute(sql: "ALTER TABLE t ADD COLUMN b TEXT DEFAULT 'x'")
        let row = try #require(try db.queryFirst(sql: "SELECT * FROM t"))
        #expect(row.columnNames == ["a", "b"])
        #expect(row.values == [.integer(1), .text("x")])
    }
}

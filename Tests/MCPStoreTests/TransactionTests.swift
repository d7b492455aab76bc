import MCPStore
import Testing

@Suite("Transactions")
struct TransactionTests {
    private func database() throws -> Database {
        let database = try Database(configuration: DatabaseConfiguration(.inMemory))
        try database.write { db in try db.execute(sql: "CREATE TABLE t (v INTEGER)") }
        return database
    }

    private func values(_ database: Database) throws -> [Int] {
        try database.read { db in
            try db.query(sql: "SELECT v FROM t ORDER BY v").map { row in try row.value(at: 0, as: Int.self) }
        }
    }

    @Test("write commits when its body returns and returns the body's value")
    func commit() throws {
        let database = try database()
        let rowID = try database.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            return db.lastInsertRowID
        }
        #expect(rowID == 1)
        #expect(try values(database) == [1])
        database.withConnection { db in #expect(!db.isInTransaction) }
    }

    @Test("write rolls back when its body throws, and rethrows the body's error")
    func rollbackOnThrow() throws {
        let database = try database()
        expectAbort {
            try database.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (1)")
                #expect(db.isInTransaction)
                throw Abort()
            }
        }
        expectStoreError(.invalidStatement) {
            try database.write { db in
                try db.execute(sql: "INSERT INTO t VALUES (2)")
                try db.execute(sql: "INSERT INTO nowhere VALUES (3)")
            }
        }
        #expect(try values(database) == [])
        database.withConnection { db in #expect(!db.isInTransaction) }
    }

    @Test("a nested transaction is a savepoint: its failure undoes only the inner work")
    func nestedSavepoint() throws {
        let database = try database()
        try database.write { db in
            try db.execute(sql: "INSERT INTO t VALUES (1)")
            expectAbort {
                try db.transaction {
                    try db.execute(sql: "INSERT INTO t VALUES (2)")
                    try db.transaction {
                        try db.execute(sql: "INSERT INTO t VALUES (3)")
                    }
                    throw Abort()
                }
            }
            try db.transaction(.exclusive) {  // the kind is ignored for a savepoint
                try db.execute(sql: "INSERT INTO t VALUES (4)")
                try? db.transaction {
                    try db.execute(sql: "INSERT INTO t VALUES (5)")
                    throw Abort()
                }
            }
            #expect(db.isInTransaction)
        }
        #expect(try values(database) == [1, 4])
    }

    @Test("an inner success is still undone when the outer transaction fails")
    func outerFailureUndoesInner() throws {
        let database = try database()
        expectAbort {
            try database.write { db in
                try db.transaction { try db.execute(sql: "INSERT INTO t VALUES (1)") }
                throw Abort()
            }
        }
        #expect(try values(database) == [])
    }

    @Test("every kind of transaction commits and rolls back on a bare connection")
    func kinds() throws {
        let db = try DatabaseConnection(configuration: DatabaseConfiguration(.inMemory))
        try db.execute(sql: "CREATE TABLE t (v INTEGER)")
        for (index, kind) in [TransactionKind.deferred, .immediate, .exclusive].enumerated() {
            try db.transaction(kind) { try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [index]) }
            expectAbort {
                try db.transaction(kind) {
                    try db.execute(sql: "INSERT INTO t VALUES (99)")
                    throw Abort()
                }
            }
        }
        #expect(try db.query(sql: "SELECT v FROM t ORDER BY v").map { try $0.value(at: 0, as: Int.self) } == [0, 1, 2])
    }

    @Test("read refuses statements that write, in scripts too, and stays usable")
    func readRefusesWrites() throws {
        let database = try database()
        expectStoreError(.readOnly) {
            try database.read { db in try db.execute(sql: "INSERT INTO t VALUES (1)") }
        }
        expectStoreError(.readOnly) {
            try database.read { db in try db.executeScript(sql: "SELECT 1; DELETE FROM t;") }
        }
        expectStoreError(.readOnly) {
            try database.read { db in _ = try db.query(sql: "UPDATE t SET v = 2 RETURNING v") }
        }
        let count = try database.read { db in
            try db.transaction { try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) }
        }
        #expect(count == 0)
        try database.write { db in try db.execute(sql: "INSERT INTO t VALUES (1)") }
        #expect(try values(database) == [1])
    }

    @Test("a group of many inserts commits in one immediate transaction")
    func groupCommit() throws {
        let database = try database()
        let batch = Array(1...1000)
        try database.write(.immediate) { db in
            for value in batch {
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [value])
            }
        }
        #expect(try values(database) == batch)
    }
}

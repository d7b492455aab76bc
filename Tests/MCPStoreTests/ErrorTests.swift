import MCPStore
import Testing

@Suite("Errors")
struct ErrorTests {
    private func schema() throws -> DatabaseConnection {
        let db = try DatabaseConnection(configuration: DatabaseConfiguration(.inMemory))
        try db.executeScript(
            sql: """
                CREATE TABLE accounts (
                    id INTEGER PRIMARY KEY,
                    email TEXT NOT NULL UNIQUE,
                    balance INTEGER NOT NULL CHECK (balance >= 0)
                );
                CREATE TABLE tokens (
                    value TEXT PRIMARY KEY,
                    account_id INTEGER NOT NULL REFERENCES accounts (id)
                );
                CREATE TABLE strict_numbers (n INTEGER) STRICT;
                CREATE TRIGGER no_deletes BEFORE DELETE ON accounts BEGIN SELECT RAISE(ABORT, 'kept'); END;
                INSERT INTO accounts (id, email, balance) VALUES (1, 'a@example.com', 10);
                """)
        return db
    }

    /// The error `body` throws, which must be a StoreError.
    private func error(_ body: () throws -> Void) throws -> StoreError {
        do {
            try body()
        } catch let error as StoreError {
            return error
        }
        Issue.record("no error thrown")
        throw Abort()
    }

    @Test("constraint violations map to distinct codes with SQLite's extended result codes")
    func constraintCodes() throws {
        let db = try schema()
        let unique = try error {
            try db.execute(sql: "INSERT INTO accounts (email, balance) VALUES (?, 0)", arguments: ["a@example.com"])
        }
        #expect(unique.code == .uniqueViolation)
        #expect(unique.resultCode == 2067)  // SQLITE_CONSTRAINT_UNIQUE
        #expect(unique.primaryResultCode == 19)  // SQLITE_CONSTRAINT
        #expect(unique.message.contains("UNIQUE constraint failed: accounts.email"))

        let primaryKey = try error { try db.execute(sql: "INSERT INTO accounts VALUES (1, 'b@example.com', 0)") }
        #expect(primaryKey.code == .uniqueViolation)
        #expect(primaryKey.resultCode == 1555)  // SQLITE_CONSTRAINT_PRIMARYKEY

        let notNull = try error { try db.execute(sql: "INSERT INTO accounts (email, balance) VALUES (NULL, 0)") }
        #expect(notNull.code == .notNullViolation)
        #expect(notNull.resultCode == 1299)

        let check = try error { try db.execute(sql: "UPDATE accounts SET balance = -1") }
        #expect(check.code == .checkViolation)
        #expect(check.resultCode == 275)

        let foreignKey = try error { try db.execute(sql: "INSERT INTO tokens VALUES ('t', 99)") }
        #expect(foreignKey.code == .foreignKeyViolation)
        #expect(foreignKey.resultCode == 787)

        let trigger = try error { try db.execute(sql: "DELETE FROM accounts") }
        #expect(trigger.code == .constraintViolation)
        #expect(trigger.message == "kept")

        let datatype = try error { try db.execute(sql: "INSERT INTO strict_numbers VALUES ('x')") }
        #expect(datatype.code == .constraintViolation)
        #expect(datatype.primaryResultCode == 19)
    }

    @Test("a failing statement's error never contains its bound arguments")
    func argumentsStayOut() throws {
        let db = try schema()
        let secret = "sk-live-7d1f0c5e9b3a42a8"
        try db.execute(sql: "INSERT INTO tokens VALUES (?, 1)", arguments: [secret])
        var errors: [StoreError] = []
        errors.append(try error { try db.execute(sql: "INSERT INTO tokens VALUES (?, 1)", arguments: [secret]) })
        errors.append(
            try error { try db.execute(sql: "INSERT INTO tokens VALUES (?, ?)", arguments: [secret + "2", 42]) })
        errors.append(
            try error { try db.execute(sql: "INSERT INTO tokens VALUES (?, NULL)", arguments: [secret + "3"]) })
        errors.append(try error { try db.execute(sql: "INSERT INTO strict_numbers VALUES (?)", arguments: [secret]) })
        errors.append(try error { try db.execute(sql: "SELECT ?, ?", arguments: [secret]) })
        errors.append(try error { try db.execute(sql: "SELECT :a", arguments: ["a": secret, "b": secret]) })
        errors.append(try error { _ = try db.scalar(sql: "SELECT ?", arguments: [secret], as: Int.self) })
        errors.append(
            try error { _ = try db.scalar(sql: "SELECT json(?)", arguments: ["{" + secret], as: String.self) })
        let expectedCodes: [StoreError.Code] = [
            .uniqueViolation, .foreignKeyViolation, .notNullViolation, .constraintViolation,
            .invalidArguments, .invalidArguments, .typeMismatch, .failure,
        ]
        #expect(errors.map(\.code) == expectedCodes)
        for error in errors {
            for text in [error.description, String(reflecting: error), "\(error)", error.message, error.sql ?? ""] {
                #expect(!text.contains(secret), "\(error.code) leaks its argument")
            }
        }
        #expect(errors[0].description.contains("INSERT INTO tokens VALUES (?, 1)"))
    }

    @Test("errors compare and hash by code only")
    func equality() {
        let a = StoreError(.busy, message: "one", resultCode: 5, sql: "BEGIN")
        let b = StoreError(.busy, message: "two")
        let c = StoreError(.readOnly, message: "one", resultCode: 5, sql: "BEGIN")
        #expect(a == b)
        #expect(a != c)
        #expect(Set([a, b, c]).count == 2)
        #expect(a.hashValue == b.hashValue)
    }

    @Test("the description shows message, code, result code and SQL")
    func description() {
        let error = StoreError(
            .uniqueViolation, message: "UNIQUE constraint failed: t.v", resultCode: 2067, sql: "INSERT")
        #expect(error.description == "UNIQUE constraint failed: t.v (uniqueViolation, SQLite 2067) in `INSERT`")
        #expect(StoreError(.typeMismatch, message: "m").description == "m (typeMismatch)")
        #expect(StoreError(.typeMismatch, message: "m").primaryResultCode == 0)
    }

    @Test("every code has a distinct, stable name")
    func codeNames() {
        let codes: [StoreError.Code] = [
            .cannotOpen, .invalidStatement, .invalidArguments, .uniqueViolation, .foreignKeyViolation,
            .notNullViolation, .checkViolation, .constraintViolation, .busy, .readOnly, .typeMismatch,
            .noSuchColumn, .migrationFailed, .schemaTooNew, .corrupt, .ioFailure, .full, .misuse, .failure,
        ]
        let names = codes.map(\.description)
        #expect(Set(names).count == codes.count)
        #expect(names.first == "cannotOpen")
        #expect(names.last == "failure")
    }

    @Test("SQLite's message survives; the statement stays usable after a failure")
    func recovery() throws {
        let db = try schema()
        let sql = "INSERT INTO accounts (email, balance) VALUES (?, ?)"
        expectStoreError(.checkViolation) { try db.execute(sql: sql, arguments: ["x@example.com", -5]) }
        try db.execute(sql: sql, arguments: ["x@example.com", 5])
        #expect(db.changes == 1)
    }
}

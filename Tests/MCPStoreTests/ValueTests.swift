import MCPStore
import Testing

@Suite("Binding and reading values")
struct ValueTests {
    private func connection() throws -> DatabaseConnection {
        let connection = try DatabaseConnection(configuration: DatabaseConfiguration(.inMemory))
        try connection.execute(sql: "CREATE TABLE t (v)")
        return connection
    }

    /// Stores a value in an untyped column and reads it back.
    private func roundTrip(_ value: DatabaseValue, on db: DatabaseConnection) throws -> DatabaseValue {
        try db.execute(sql: "DELETE FROM t")
        try db.execute(sql: "INSERT INTO t (v) VALUES (?)", arguments: [value])
        let rows = try db.query(sql: "SELECT v FROM t")
        try #require(rows.count == 1)
        return rows[0][0]
    }

    @Test("every storage class round-trips exactly")
    func everyStorageClass() throws {
        let db = try connection()
        let values: [DatabaseValue] = [
            .null,
            .integer(0), .integer(-1), .integer(.max), .integer(.min),
            .real(0.5), .real(-1e300), .real(.greatestFiniteMagnitude), .real(.leastNonzeroMagnitude),
            .text(""), .text("plain"), .text("grüße, 日本語, 🌍"), .text("before\u{0}after"), .text("\u{0}"),
            .blob([]), .blob([0]), .blob([0, 255, 1, 254]), .blob([UInt8](repeating: 0xAB, count: 100_000)),
        ]
        for value in values {
            #expect(try roundTrip(value, on: db) == value)
        }
    }

    @Test("an empty blob is a zero-length BLOB, not NULL; empty text is TEXT")
    func emptyIsNotNull() throws {
        let db = try connection()
        try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [[UInt8]()])
        try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [""])
        let types = try db.query(sql: "SELECT typeof(v), length(v) FROM t ORDER BY rowid").map { row in
            try row.value(at: 0, as: String.self) + ":" + String(try row.value(at: 1, as: Int.self))
        }
        #expect(types == ["blob:0", "text:0"])
    }

    @Test("text with NUL and non-ASCII characters is bound byte for byte")
    func textBytes() throws {
        let db = try connection()
        let text = "a\u{0}é🌍"
        let hex = try db.scalar(sql: "SELECT hex(?)", arguments: [text], as: String.self)
        #expect(hex == "6100C3A9F09F8C8D")
        #expect(try db.scalar(sql: "SELECT ?", arguments: [text], as: String.self) == text)
    }

    @Test("Swift types convert both ways")
    func swiftTypes() throws {
        let db = try connection()
        try db.execute(
            sql: "CREATE TABLE typed (i INTEGER, i64 INTEGER, d REAL, b INTEGER, s TEXT, bytes BLOB, o TEXT, n TEXT)")
        let none: String? = nil
        try db.execute(
            sql: "INSERT INTO typed VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            arguments: [42, Int64.min, 2.25, true, "s", [UInt8]([1, 2]), Optional("o"), none]
        )
        let row = try #require(try db.queryFirst(sql: "SELECT * FROM typed"))
        #expect(row.count == 8)
        #expect(row.columnNames == ["i", "i64", "d", "b", "s", "bytes", "o", "n"])
        #expect(try row.value(named: "i", as: Int.self) == 42)
        #expect(try row.value(named: "i64", as: Int64.self) == .min)
        #expect(try row.value(named: "d", as: Double.self) == 2.25)
        #expect(try row.value(named: "b", as: Bool.self) == true)
        #expect(try row.value(named: "s", as: String.self) == "s")
        #expect(try row.value(named: "bytes", as: [UInt8].self) == [1, 2])
        #expect(try row.value(named: "o", as: String?.self) == "o")
        #expect(try row.value(named: "n", as: String?.self) == nil)
        #expect(try row.value(named: "n", as: DatabaseValue.self) == .null)
        #expect(try row.value(at: 0, as: Double.self) == 42)  // INTEGER widens to Double
        let inferred: Int = try row.value(at: 0)
        #expect(inferred == 42)
        #expect(row["S"] == .text("s"))  // names ignore ASCII case
        #expect(row.index(ofColumn: "BYTES") == 5)
        #expect(row["missing"] == nil)
    }

    @Test("Bool reads 0 as false and any other integer as true")
    func booleans() throws {
        let db = try connection()
        #expect(try db.scalar(sql: "SELECT 0", as: Bool.self) == false)
        #expect(try db.scalar(sql: "SELECT 1", as: Bool.self) == true)
        #expect(try db.scalar(sql: "SELECT -5", as: Bool.self) == true)
        #expect(false.databaseValue == .integer(0))
    }

    @Test("DatabaseValue conversions and names")
    func databaseValueProtocol() {
        #expect(DatabaseValue(databaseValue: .text("x")) == .text("x"))
        #expect(DatabaseValue.null.isNull)
        #expect(!DatabaseValue.integer(0).isNull)
        #expect(
            [DatabaseValue.null, .integer(1), .real(1), .text(""), .blob([])].map(\.storageClass)
                == ["NULL", "INTEGER", "REAL", "TEXT", "BLOB"])
        #expect(Int(databaseValue: .integer(.max)) == Int.max)
        #expect(Int(databaseValue: .real(1)) == nil)
        #expect(String(databaseValue: .blob([65])) == nil)
        #expect([UInt8](databaseValue: .text("A")) == nil)
        #expect(String?(databaseValue: .integer(1)) == nil)
        #expect(Optional<Int>.none.databaseValue == .null)
    }

    @Test("a value of the wrong type throws typeMismatch, naming types but not the value")
    func typeMismatch() throws {
        let db = try connection()
        try db.execute(sql: "INSERT INTO t VALUES ('secret-text')")
        let row = try #require(try db.queryFirst(sql: "SELECT v FROM t"))
        do {
            _ = try row.value(at: 0, as: Int.self)
            Issue.record("read TEXT as Int")
        } catch {
            #expect(error.code == .typeMismatch)
            #expect(error.message.contains("TEXT"))
            #expect(error.message.contains("Int"))
            #expect(!error.description.contains("secret-text"))
        }
        expectStoreError(.typeMismatch) { try row.value(named: "v", as: [UInt8].self) }
        expectStoreError(.typeMismatch) { try db.scalar(sql: "SELECT 'x'", as: Int64.self) }
        expectStoreError(.typeMismatch) { try db.scalar(sql: "SELECT 1.5", as: Int.self) }
        expectStoreError(.typeMismatch) { try db.scalar(sql: "SELECT x'00'", as: String.self) }
        let null = try #require(try db.queryFirst(sql: "SELECT NULL AS n"))
        expectStoreError(.typeMismatch) { try null.value(named: "n", as: String.self) }
    }

    @Test("a missing column throws noSuchColumn")
    func noSuchColumn() throws {
        let db = try connection()
        let row = try #require(try db.queryFirst(sql: "SELECT 1 AS one"))
        expectStoreError(.noSuchColumn) { try row.value(named: "two", as: Int.self) }
        expectStoreError(.noSuchColumn) { try row.value(at: 1, as: Int.self) }
        expectStoreError(.noSuchColumn) { try row.value(at: -1, as: Int.self) }
        expectStoreError(.noSuchColumn) { try db.scalar(sql: "INSERT INTO t VALUES (1)", as: Int.self) }
        #expect(try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) == 0)  // not run
    }

    @Test("scalar returns nil for no row and for NULL")
    func scalars() throws {
        let db = try connection()
        #expect(try db.scalar(sql: "SELECT v FROM t", as: Int.self) == nil)
        #expect(try db.scalar(sql: "SELECT NULL", as: Int.self) == nil)
        #expect(try db.scalar(sql: "SELECT count(*) FROM t", as: Int.self) == 0)
        #expect(try db.queryFirst(sql: "SELECT v FROM t") == nil)
    }

    @Test("named parameters accept keys with or without their prefix")
    func namedParameters() throws {
        let db = try connection()
        try db.execute(sql: "CREATE TABLE people (name TEXT, age INTEGER, city TEXT)")
        try db.execute(
            sql: "INSERT INTO people VALUES (:name, @age, $city)",
            arguments: ["name": "Ada", "@age": 36, "city": "London"]
        )
        try db.execute(
            sql: "INSERT INTO people VALUES (:name, :age, :name)",
            arguments: StatementArguments(named: ["name": "Bo", "age": 7])
        )
        let rows = try db.query(sql: "SELECT name, age, city FROM people ORDER BY rowid")
        #expect(
            rows.map(\.values) == [
                [.text("Ada"), .integer(36), .text("London")],
                [.text("Bo"), .integer(7), .text("Bo")],
            ])
        let found = try db.scalar(
            sql: "SELECT count(*) FROM people WHERE age > :min", arguments: [":min": 10], as: Int.self)
        #expect(found == 1)
    }

    @Test("positional arguments fill numbered and named parameters by position")
    func positionalArguments() throws {
        let db = try connection()
        let values: [any DatabaseValueConvertible] = [1, "two"]
        let row = try #require(try db.queryFirst(sql: "SELECT ?2, ?1", arguments: StatementArguments(values)))
        #expect(row.values == [.text("two"), .integer(1)])
        #expect(try db.scalar(sql: "SELECT :only", arguments: [5], as: Int.self) == 5)
        #expect(StatementArguments.none == .positional([]))
    }

    @Test("arguments that do not fit the parameters throw invalidArguments")
    func argumentMismatch() throws {
        let db = try connection()
        expectStoreError(.invalidArguments) { try db.execute(sql: "SELECT ?, ?", arguments: [1]) }
        expectStoreError(.invalidArguments) { try db.execute(sql: "SELECT ?", arguments: [1, 2]) }
        expectStoreError(.invalidArguments) { try db.execute(sql: "SELECT ?") }
        expectStoreError(.invalidArguments) { try db.execute(sql: "SELECT 1", arguments: [1]) }
        expectStoreError(.invalidArguments) { try db.execute(sql: "SELECT :a", arguments: ["b": 1]) }
        expectStoreError(.invalidArguments) {
            try db.execute(sql: "SELECT :a", arguments: ["a": 1, "typo": 2])
        }
        expectStoreError(.invalidArguments) { try db.execute(sql: "SELECT ?", arguments: ["a": 1]) }
        // A failed bind leaves the cached statement usable.
        #expect(try db.scalar(sql: "SELECT :a", arguments: ["a": 3], as: Int.self) == 3)
    }

    @Test("bad SQL throws invalidStatement; several statements need executeScript")
    func invalidStatements() throws {
        let db = try connection()
        expectStoreError(.invalidStatement) { try db.execute(sql: "SELEC 1") }
        expectStoreError(.invalidStatement) { try db.execute(sql: "SELECT * FROM missing") }
        expectStoreError(.invalidStatement) { try db.execute(sql: "") }
        expectStoreError(.invalidStatement) { try db.execute(sql: "  -- only a comment") }
        expectStoreError(.invalidStatement) { try db.execute(sql: "SELECT 1; SELECT 2") }
        expectStoreError(.invalidStatement) { try db.execute(sql: "SELECT 1; garbage") }
        // Double quotes name identifiers only: a misspelled column is an error, not a string.
        expectStoreError(.invalidStatement) { try db.execute(sql: "SELECT \"no_such_column\" FROM t") }
        // Trailing whitespace, semicolons and comments are fine.
        #expect(try db.scalar(sql: "SELECT 1; -- done\n", as: Int.self) == 1)
    }

    @Test("a cursor reads rows one at a time and can stop early")
    func cursor() throws {
        let db = try connection()
        try db.transaction(.immediate) {
            for value in 1...100 {
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [value])
            }
        }
        let sum = try db.query(sql: "SELECT v FROM t ORDER BY v") { rows in
            var sum = 0
            while let row = try rows.next() {
                sum += try row.value(at: 0, as: Int.self)
            }
            #expect(try rows.next() == nil)  // stays done
            return sum
        }
        #expect(sum == 5050)
        let firstThree = try db.query(sql: "SELECT v FROM t WHERE v > ? ORDER BY v", arguments: [10]) { rows in
            var values: [Int] = []
            while values.count < 3, let row = try rows.next() {
                values.append(try row.value(at: 0))
            }
            return values
        }
        #expect(firstThree == [11, 12, 13])
        // The early stop reset the statement: it runs again from the start.
        #expect(try db.query(sql: "SELECT v FROM t WHERE v > ? ORDER BY v", arguments: [98]).count == 2)
    }

    @Test("the same SQL can run inside its own cursor loop")
    func reentrantStatement() throws {
        let db = try connection()
        try db.executeScript(sql: "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2); INSERT INTO t VALUES (3);")
        let sql = "SELECT v FROM t WHERE v >= ? ORDER BY v"
        let pairs = try db.query(sql: sql, arguments: [2]) { outer in
            var pairs: [[Int]] = []
            while let row = try outer.next() {
                let value: Int = try row.value(at: 0)
                let inner = try db.query(sql: sql, arguments: [value]).map { row in try row.value(at: 0, as: Int.self) }
                pairs.append(inner)
            }
            return pairs
        }
        #expect(pairs == [[2, 3], [3]])
    }

    @Test("changes, total changes and last insert rowid")
    func counters() throws {
        let db = try connection()
        try db.execute(sql: "INSERT INTO t VALUES (1)")
        try db.execute(sql: "INSERT INTO t VALUES (2)")
        #expect(db.lastInsertRowID == 2)
        #expect(db.changes == 1)
        try db.execute(sql: "UPDATE t SET v = v + 1")
        #expect(db.changes == 2)
        #expect(db.totalChanges == 4)
    }

    @Test("a script runs its statements in order and stops at the first failure")
    func scripts() throws {
        let db = try connection()
        try db.executeScript(sql: "")
        try db.executeScript(
            sql: """
                -- a schema
                CREATE TABLE a (id INTEGER PRIMARY KEY);
                INSERT INTO a VALUES (1);
                SELECT * FROM a;
                INSERT INTO a VALUES (2)
                """)
        #expect(try db.scalar(sql: "SELECT count(*) FROM a", as: Int.self) == 2)
        do {
            try db.executeScript(sql: "INSERT INTO a VALUES (3); INSERT INTO a VALUES (1); INSERT INTO a VALUES (4);")
            Issue.record("a duplicate key was accepted")
        } catch {
            #expect(error.code == .uniqueViolation)
            #expect(error.sql == "INSERT INTO a VALUES (1);")
        }
        #expect(
            try db.query(sql: "SELECT id FROM a ORDER BY id").map { try $0.value(at: 0, as: Int.self) } == [1, 2, 3])
        expectStoreError(.invalidStatement) { try db.executeScript(sql: "SELECT 1; NOT SQL;") }
    }

    @Test("Row's memberwise initializer keeps names and values")
    func rowInitializer() throws {
        let row = Row(columnNames: ["a", "b"], values: [.integer(1), .text("x")])
        #expect(row[1] == .text("x"))
        #expect(try row.value(named: "a", as: Int.self) == 1)
        #expect(row == Row(columnNames: ["a", "b"], values: [.integer(1), .text("x")]))
    }
}

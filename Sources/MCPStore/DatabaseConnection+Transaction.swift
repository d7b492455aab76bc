extension DatabaseConnection {
    /// Runs `body` in a transaction: committed when `body` returns, rolled back when it
    /// throws.
    ///
    /// Called while a transaction is already open (from inside another `transaction`, a
    /// ``Database/write(_:_:)`` or a ``Database/read(_:)``), it runs `body` in a savepoint
    /// instead, so that a failure inside rolls back only the inner work and the outer
    /// transaction goes on:
    ///
    /// ```swift
    /// try database.write { db in
    ///     try db.execute(sql: "INSERT INTO events (kind) VALUES ('a')")
    ///     try? db.transaction {
    ///         try db.execute(sql: "INSERT INTO events (kind) VALUES ('b')")
    ///         throw Cancelled()   // undoes 'b' only
    ///     }
    /// }   // commits 'a'
    /// ```
    ///
    /// Do not run `BEGIN`, `COMMIT` or `ROLLBACK` yourself inside `body`.
    ///
    /// - Parameters:
    ///   - kind: when an outermost transaction takes the write lock; ignored for a
    ///     savepoint. Use ``TransactionKind/immediate`` for transactions that write.
    ///   - body: the work.
    /// - Returns: what `body` returns.
    /// - Throws: what `body` throws, after rolling back; or ``StoreError`` when the
    ///   transaction cannot begin (``StoreError/Code/busy`` past the busy timeout) or
    ///   commit (it is then rolled back).
    public func transaction<Result>(
        _ kind: TransactionKind = .deferred,
        _ body: () throws -> Result
    ) throws -> Result {
        if isInTransaction {
            return try savepoint(body)
        }
        try executeUncached("BEGIN \(kind.keyword) TRANSACTION")
        let result: Result
        do {
            result = try body()
        } catch {
            rollbackIfActive()
            throw error
        }
        do {
            try executeUncached("COMMIT TRANSACTION")
        } catch {
            rollbackIfActive()
            throw error
        }
        return result
    }

    private func savepoint<Result>(_ body: () throws -> Result) throws -> Result {
        savepointDepth += 1
        defer { savepointDepth -= 1 }
        let name = "mcp_savepoint_\(savepointDepth)"
        try executeUncached("SAVEPOINT \(name)")
        let result: Result
        do {
            result = try body()
        } catch {
            // SQLite may already have rolled back the whole transaction (after an I/O
            // error, say); the savepoint is then gone and there is nothing to undo.
            if isInTransaction {
                try? executeUncached("ROLLBACK TRANSACTION TO SAVEPOINT \(name)")
                try? executeUncached("RELEASE SAVEPOINT \(name)")
            }
            throw error
        }
        try executeUncached("RELEASE SAVEPOINT \(name)")
        return result
    }

    private func rollbackIfActive() {
        if isInTransaction {
            try? executeUncached("ROLLBACK TRANSACTION")
        }
    }
}

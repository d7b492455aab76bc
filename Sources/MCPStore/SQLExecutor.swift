/// What callers of the store need from a database connection, so that another backend
/// (a PostgreSQL connection for gateways that share state) can stand behind the same calls.
public protocol SQLExecutor {
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: StatementArguments) throws(StoreError)
    /// Runs a query and returns its rows.
    func query(_ sql: String, _ arguments: StatementArguments) throws(StoreError) -> [Row]
    /// Runs `body` in a transaction, committed on return and rolled back on a throw.
    func transaction<Result>(_ kind: DatabaseConnection.TransactionKind, _ body: () throws -> Result) throws -> Result
}

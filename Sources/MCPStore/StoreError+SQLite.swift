internal import CSQLite

extension StoreError {
    /// The error for a result code SQLite returned on a connection, with SQLite's message.
    ///
    /// Call it at once, before any other call on the connection replaces the message.
    ///
    /// - Parameters:
    ///   - resultCode: the (extended) result code the failing call returned.
    ///   - connection: the connection the call ran on, for `sqlite3_errmsg`.
    ///   - sql: the statement that failed, if any.
    ///   - compiling: whether the failure came from compiling SQL, which turns a generic
    ///     `SQLITE_ERROR` into ``Code/invalidStatement``.
    init(resultCode: Int32, connection: OpaquePointer?, sql: String?, compiling: Bool = false) {
        let message =
            if let connection, let text = sqlite3_errmsg(connection) {
                String(cString: text)
            } else {
                String(cString: sqlite3_errstr(resultCode))
            }
        var code = Self.code(forResultCode: resultCode)
        if compiling, resultCode & 0xFF == SQLITE_ERROR {
            code = .invalidStatement
        }
        self.init(code, message: message, resultCode: resultCode, sql: sql)
    }

    /// The store's code for an SQLite result code, extended or primary.
    ///
    /// - Parameter resultCode: an SQLite result code other than `SQLITE_OK`, `SQLITE_ROW`
    ///   and `SQLITE_DONE`.
    /// - Returns: the matching code; ``Code/failure`` when none is more precise.
    static func code(forResultCode resultCode: Int32) -> Code {
        switch resultCode {
        case csqlite_constraint_unique, csqlite_constraint_primarykey:
            return .uniqueViolation
        case csqlite_constraint_foreignkey:
            return .foreignKeyViolation
        case csqlite_constraint_notnull:
            return .notNullViolation
        case csqlite_constraint_check:
            return .checkViolation
        default:
            break
        }
        switch resultCode & 0xFF {
        case SQLITE_CONSTRAINT: return .constraintViolation
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_READONLY: return .readOnly
        case SQLITE_CANTOPEN, SQLITE_PERM, SQLITE_AUTH: return .cannotOpen
        case SQLITE_CORRUPT, SQLITE_NOTADB: return .corrupt
        case SQLITE_IOERR, SQLITE_PROTOCOL: return .ioFailure
        case SQLITE_FULL: return .full
        case SQLITE_RANGE: return .invalidArguments
        case SQLITE_MISMATCH: return .typeMismatch
        case SQLITE_MISUSE: return .misuse
        default: return .failure
        }
    }
}

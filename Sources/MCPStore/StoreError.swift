/// An error raised by the store.
///
/// An error carries a stable ``code``, SQLite's extended result code when SQLite reported
/// the failure, SQLite's message, and the text of the SQL statement that failed. It never
/// carries the values bound to that statement: a token or a secret passed as an argument
/// cannot reach a log through an error. (SQL text is included, so pass secrets as
/// arguments, never inside the SQL.)
///
/// Two errors are equal when their codes are equal; the message is for people and may
/// change between releases. Match on codes:
///
/// ```swift
/// do {
///     try db.execute(sql: "INSERT INTO clients (id) VALUES (?)", arguments: [id])
/// } catch let error as StoreError where error.code == .uniqueViolation {
///     // the client exists
/// }
/// ```
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable identifier for the kind of failure, safe to use as a metric label.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Kind: String, Hashable, Sendable {
            case cannotOpen
            case invalidStatement
            case invalidArguments
            case uniqueViolation
            case foreignKeyViolation
            case notNullViolation
            case checkViolation
            case constraintViolation
            case busy
            case readOnly
            case typeMismatch
            case noSuchColumn
            case migrationFailed
            case schemaTooNew
            case corrupt
            case ioFailure
            case full
            case misuse
            case failure
        }

        private let kind: Kind

        private init(_ kind: Kind) {
            self.kind = kind
        }

        /// The database could not be opened: a missing directory or file, no permission,
        /// or a journal mode the file system does not support.
        public static let cannotOpen = Code(.cannotOpen)

        /// The SQL does not compile (a syntax error, an unknown table or column), is empty,
        /// or holds several statements where one is expected.
        public static let invalidStatement = Code(.invalidStatement)

        /// The arguments do not fit the statement's parameters: a wrong count, a missing or
        /// unused name.
        public static let invalidArguments = Code(.invalidArguments)

        /// A UNIQUE or PRIMARY KEY constraint refused the change.
        public static let uniqueViolation = Code(.uniqueViolation)

        /// A FOREIGN KEY constraint refused the change.
        public static let foreignKeyViolation = Code(.foreignKeyViolation)

        /// A NOT NULL constraint refused the change.
        public static let notNullViolation = Code(.notNullViolation)

        /// A CHECK constraint refused the change.
        public static let checkViolation = Code(.checkViolation)

        /// Another constraint (a trigger's RAISE, a STRICT table's column type) refused the
        /// change.
        public static let constraintViolation = Code(.constraintViolation)

        /// Another connection held a lock past the busy timeout.
        public static let busy = Code(.busy)

        /// A write was attempted on a read-only connection or inside a read.
        public static let readOnly = Code(.readOnly)

        /// A column's value is not of the requested Swift type.
        public static let typeMismatch = Code(.typeMismatch)

        /// A row has no column of the requested name or position.
        public static let noSuchColumn = Code(.noSuchColumn)

        /// A migration failed; the database is as it was before that migration began.
        public static let migrationFailed = Code(.migrationFailed)

        /// The database has applied migrations this code does not know: a newer version
        /// wrote it.
        public static let schemaTooNew = Code(.schemaTooNew)

        /// The file is not a database, or is damaged.
        public static let corrupt = Code(.corrupt)

        /// The operating system failed a read, a write or a lock.
        public static let ioFailure = Code(.ioFailure)

        /// The disk or the database is full.
        public static let full = Code(.full)

        /// The SQLite API was used in a way it does not allow.
        public static let misuse = Code(.misuse)

        /// Any other failure, such as an error raised by an SQL function while a statement
        /// runs.
        public static let failure = Code(.failure)

        /// The code's stable name, such as `uniqueViolation`.
        public var description: String { kind.rawValue }
    }

    /// The kind of failure.
    public var code: Code

    /// SQLite's extended result code, such as 2067 (`SQLITE_CONSTRAINT_UNIQUE`), or 0 when
    /// the store itself raised the error.
    public var resultCode: Int32

    /// What went wrong, for people: SQLite's message or the store's. Never contains bound
    /// argument values.
    public var message: String

    /// The text of the SQL statement that failed, if any.
    public var sql: String?

    /// Creates an error.
    ///
    /// Another backend behind ``SQLExecutor`` throws these, with `resultCode` 0 or its own
    /// numeric code.
    ///
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - message: what went wrong, for people; must not contain argument values.
    ///   - resultCode: the backend's numeric result code, 0 when there is none.
    ///   - sql: the statement that failed, if any.
    public init(_ code: Code, message: String, resultCode: Int32 = 0, sql: String? = nil) {
        self.code = code
        self.message = message
        self.resultCode = resultCode
        self.sql = sql
    }

    /// SQLite's primary result code, the low byte of ``resultCode``: 19
    /// (`SQLITE_CONSTRAINT`) for every constraint violation, for example.
    public var primaryResultCode: Int32 { resultCode & 0xFF }

    /// The error for people and logs: `"<message> (<code>, SQLite <result code>) in <sql>"`,
    /// without argument values.
    public var description: String {
        var text = "\(message) (\(code)"
        if resultCode != 0 {
            text += ", SQLite \(resultCode)"
        }
        text += ")"
        if let sql {
            text += " in `\(sql)`"
        }
        return text
    }

    /// Whether two errors have the same code; messages and result codes are not compared.
    ///
    /// - Parameters:
    ///   - lhs: an error.
    ///   - rhs: another error.
    /// - Returns: `true` when the codes are equal.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistently with ``==(_:_:)``.
    ///
    /// - Parameter hasher: the hasher to feed.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

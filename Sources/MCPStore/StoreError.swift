/// An error from the store: a stable code, SQLite's result codes and message, and the
/// SQL that failed.
///
/// The description names the SQL but never the values bound to it, so that a token or a
/// secret passed as an argument cannot reach a log through an error. Equality compares the
/// code only.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable, and safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case cannotOpen, invalidSQL, uniqueViolation, foreignKeyViolation, notNullViolation, checkViolation
            case constraintViolation, busy, readOnly, typeMismatch, noSuchColumn, migrationFailed, schemaTooNew
            case corrupt, ioFailure, full, failure
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The database file could not be opened or created.
        public static let cannotOpen = Code(.cannotOpen)
        /// The SQL does not compile, or the arguments do not fit its parameters.
        public static let invalidSQL = Code(.invalidSQL)
        /// A UNIQUE or PRIMARY KEY constraint refused the change.
        public static let uniqueViolation = Code(.uniqueViolation)
        /// A FOREIGN KEY constraint refused the change.
        public static let foreignKeyViolation = Code(.foreignKeyViolation)
        /// A NOT NULL constraint refused the change.
        public static let notNullViolation = Code(.notNullViolation)
        /// A CHECK constraint refused the change.
        public static let checkViolation = Code(.checkViolation)
        /// Another constraint refused the change.
        public static let constraintViolation = Code(.constraintViolation)
        /// The database stayed locked by another connection past the busy timeout.
        public static let busy = Code(.busy)
        /// A write on a read-only connection or file.
        public static let readOnly = Code(.readOnly)
        /// A column's value is not of the requested type.
        public static let typeMismatch = Code(.typeMismatch)
        /// A row has no column of the requested name.
        public static let noSuchColumn = Code(.noSuchColumn)
        /// A migration failed; the database is as it was before that migration.
        public static let migrationFailed = Code(.migrationFailed)
        /// The database has migrations this code does not know: it was written by a newer
        /// version.
        public static let schemaTooNew = Code(.schemaTooNew)
        /// The file is not a database, or is damaged.
        public static let corrupt = Code(.corrupt)
        /// The operating system failed a read or a write.
        public static let ioFailure = Code(.ioFailure)
        /// The disk or the database is full.
        public static let full = Code(.full)
        /// Any other failure.
        public static let failure = Code(.failure)

        /// The code's stable name.
        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// SQLite's extended result code, or 0 for errors raised by the store itself.
    public let resultCode: Int32
    /// SQLite's message, or the store's.
    public let message: String
    /// The SQL that failed, if any.
    public let sql: String?

    /// Creates an error.
    public init(_ code: Code, resultCode: Int32 = 0, message: String, sql: String? = nil) {
        self.code = code
        self.resultCode = resultCode
        self.message = message
        self.sql = sql
    }

    /// SQLite's primary result code (the low byte of the extended code).
    public var primaryResultCode: Int32 { resultCode & 0xFF }

    /// `"<message> (<code>, SQLite <result code>) in <sql>"`, without bound values.
    public var description: String {
        var text = "\(message) (\(code)"
        if resultCode != 0 { text += ", SQLite \(resultCode)" }
        text += ")"
        if let sql { text += " in \(sql)" }
        return text
    }

    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

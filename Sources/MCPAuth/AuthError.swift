/// An error of the authentication layer that is not an answer to an OAuth client: a
/// master key that cannot be read, a secret that was altered at rest, a store that fails,
/// an identity command that cannot be carried out.
public struct AuthError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable, safe as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidMasterKey, tamperedSecret, storeFailure, notFound, alreadyExists, invalidValue
            case invalidConfiguration
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// The master key is missing, unreadable, exposed or of the wrong size.
        public static let invalidMasterKey = Code(.invalidMasterKey)
        /// A sealed secret does not open: it, its context or the key changed.
        public static let tamperedSecret = Code(.tamperedSecret)
        /// The store failed to read or write.
        public static let storeFailure = Code(.storeFailure)
        /// No organization, team, user or client of that name.
        public static let notFound = Code(.notFound)
        /// An organization, team, user or client of that name exists already.
        public static let alreadyExists = Code(.alreadyExists)
        /// A name, password or setting that is not acceptable.
        public static let invalidValue = Code(.invalidValue)
        /// The authorization settings are inconsistent.
        public static let invalidConfiguration = Code(.invalidConfiguration)

        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// What happened, for people; never a secret.
    public let message: String

    /// Creates an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code))" }

    public static func == (lhs: AuthError, rhs: AuthError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// An HTTP request method: a token such as `GET` or `POST` (RFC 9110 §9).
///
/// Methods are case-sensitive: `get` is not `GET`.
public struct HTTPMethod: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    /// The method token.
    public let rawValue: String

    /// Creates a method from its token.
    ///
    /// - Parameter rawValue: the method; must be a non-empty RFC 9110 token.
    /// - Returns: `nil` when `rawValue` is not a token.
    public init?(rawValue: String) {
        guard HTTPSyntax.isToken(rawValue.utf8) else { return nil }
        self.rawValue = rawValue
    }

    /// Creates a method from bytes already checked to be a token.
    init(validatedBytes bytes: ArraySlice<UInt8>) {
        self.rawValue = String(decoding: bytes, as: UTF8.self)
    }

    private init(constant: String) {
        self.rawValue = constant
    }

    /// The method token.
    public var description: String { rawValue }

    /// `GET`: transfer a current representation of the target resource.
    public static let get = HTTPMethod(constant: "GET")
    /// `HEAD`: like `GET`, but the response carries no content.
    public static let head = HTTPMethod(constant: "HEAD")
    /// `POST`: process the enclosed content.
    public static let post = HTTPMethod(constant: "POST")
    /// `PUT`: replace the target resource with the enclosed content.
    public static let put = HTTPMethod(constant: "PUT")
    /// `DELETE`: remove the target resource.
    public static let delete = HTTPMethod(constant: "DELETE")
    /// `CONNECT`: open a tunnel; refused by ``HTTPRequestParser``.
    public static let connect = HTTPMethod(constant: "CONNECT")
    /// `OPTIONS`: describe the communication options.
    public static let options = HTTPMethod(constant: "OPTIONS")
    /// `TRACE`: loop the request back.
    public static let trace = HTTPMethod(constant: "TRACE")
    /// `PATCH`: apply partial modifications (RFC 5789).
    public static let patch = HTTPMethod(constant: "PATCH")
}

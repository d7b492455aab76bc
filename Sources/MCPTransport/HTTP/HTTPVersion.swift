/// The version of HTTP/1.x a message is framed with.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    /// The major version, 1 for the versions this module speaks.
    public let major: Int
    /// The minor version.
    public let minor: Int

    /// Creates a version.
    ///
    /// - Parameters:
    ///   - major: the major version, one digit.
    ///   - minor: the minor version, one digit.
    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0: connections close after each message unless keep-alive is asked for.
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1: connections persist unless `Connection: close` is sent.
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// The version as written on the wire, such as `HTTP/1.1`.
    public var description: String { "HTTP/\(major).\(minor)" }
}

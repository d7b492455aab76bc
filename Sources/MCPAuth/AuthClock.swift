import Foundation

/// The time source of the authorization layer, in whole seconds since 1970, so tests can
/// move time forward.
public struct AuthClock: Sendable {
    private let source: @Sendable () -> Int64

    /// A clock that reads `source`.
    public init(_ source: @escaping @Sendable () -> Int64) { self.source = source }

    /// The current time, in seconds since 1970.
    public func now() -> Int64 { source() }

    /// The system clock.
    public static let system = AuthClock {
        Int64(Date().timeIntervalSince1970)
    }
}

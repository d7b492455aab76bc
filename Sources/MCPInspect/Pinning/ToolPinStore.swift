internal import Synchronization

/// What is pinned for one tool of one server.
public struct ToolPin: Sendable, Hashable {
    /// The fingerprint that was approved (or first seen).
    public var approved: ToolFingerprint
    /// The fingerprint seen last, which differs from `approved` after a change.
    public var latest: ToolFingerprint

    /// Creates a pin.
    ///
    /// - Parameters:
    ///   - approved: The approved fingerprint.
    ///   - latest: The fingerprint seen last.
    public init(approved: ToolFingerprint, latest: ToolFingerprint) {
        self.approved = approved
        self.latest = latest
    }

    /// Whether the tool changed since it was approved.
    public var isChanged: Bool { approved != latest }
}

/// Where tool pins are kept: in memory (``InMemoryToolPinStore``) or in a database of
/// the embedding service.
public protocol ToolPinStore: Sendable {
    /// The pin of a tool.
    ///
    /// - Parameters:
    ///   - server: The server's name.
    ///   - tool: The tool's name.
    /// - Returns: The pin, or `nil` when the tool was never pinned.
    func pin(server: String, tool: String) -> ToolPin?

    /// Stores (or, with `nil`, removes) the pin of a tool.
    ///
    /// - Parameters:
    ///   - pin: The pin, or `nil`.
    ///   - server: The server's name.
    ///   - tool: The tool's name.
    func setPin(_ pin: ToolPin?, server: String, tool: String)

    /// The servers that have a pin for a tool of this name.
    ///
    /// - Parameter tool: The tool's name.
    /// - Returns: The servers' names, sorted.
    func servers(offering tool: String) -> [String]
}

/// Tool pins in memory, for tests and single-process gateways.
public final class InMemoryToolPinStore: ToolPinStore {
    private struct Key: Hashable {
        let server: String
        let tool: String
    }

    private let pins = Mutex<[Key: ToolPin]>([:])

    /// Creates an empty store.
    public init() {}

    /// The pin of a tool.
    ///
    /// - Parameters:
    ///   - server: The server's name.
    ///   - tool: The tool's name.
    /// - Returns: The pin, or `nil`.
    public func pin(server: String, tool: String) -> ToolPin? {
        pins.withLock { $0[Key(server: server, tool: tool)] }
    }

    /// Stores or removes the pin of a tool.
    ///
    /// - Parameters:
    ///   - pin: The pin, or `nil` to remove it.
    ///   - server: The server's name.
    ///   - tool: The tool's name.
    public func setPin(_ pin: ToolPin?, server: String, tool: String) {
        pins.withLock { $0[Key(server: server, tool: tool)] = pin }
    }

    /// The servers with a pin for a tool of this name.
    ///
    /// - Parameter tool: The tool's name.
    /// - Returns: The servers' names, sorted.
    public func servers(offering tool: String) -> [String] {
        pins.withLock { pins in pins.keys.filter { $0.tool == tool }.map(\.server).sorted() }
    }
}

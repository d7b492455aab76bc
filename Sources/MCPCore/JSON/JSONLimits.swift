/// Bounds on what a JSON reader accepts, so that no input can exhaust memory or the stack.
public struct JSONLimits: Sendable, Hashable {
    /// The largest input, in bytes.
    public var maxBytes: Int
    /// The deepest nesting of arrays and objects; the top-level container is depth 1.
    public var maxDepth: Int
    /// The longest string, in bytes as written (escapes included).
    public var maxStringBytes: Int
    /// The most elements in one array or members in one object.
    public var maxMembers: Int

    /// Creates limits.
    ///
    /// - Parameters:
    ///   - maxBytes: the largest input, in bytes (default 4 MiB).
    ///   - maxDepth: the deepest nesting (default 64).
    ///   - maxStringBytes: the longest string as written (default: `maxBytes`).
    ///   - maxMembers: the most elements of one container (default 65,536).
    public init(
        maxBytes: Int = 4 << 20,
        maxDepth: Int = 64,
        maxStringBytes: Int? = nil,
        maxMembers: Int = 65_536
    ) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes ?? maxBytes
        self.maxMembers = maxMembers
    }

    /// 4 MiB, depth 64, strings up to the whole input, 65,536 elements per container.
    public static let `default` = JSONLimits()
}

import Dispatch

/// Work that blocks a thread (name resolution, password hashing), moved off the event
/// loops that serve every connection, with a bound on how much runs at once.
enum BlockingWork {
    private static let resolver = DispatchQueue(label: "mcp-auth.resolver", attributes: .concurrent)
    private static let resolverSlots = DispatchSemaphore(value: 4)
    /// Password hashes are memory-hard: one at a time.
    private static let hasher = DispatchQueue(label: "mcp-auth.passwords")

    /// Runs a name resolution on the resolver threads (at most four at once).
    static func resolving<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            resolver.async {
                resolverSlots.wait()
                defer { resolverSlots.signal() }
                continuation.resume(returning: body())
            }
        }
    }

    /// Runs a password hash on the hashing thread, one at a time.
    static func hashing<Result: Sendable>(_ body: @escaping @Sendable () -> Result) async -> Result {
        await withCheckedContinuation { continuation in
            hasher.async { continuation.resume(returning: body()) }
        }
    }
}

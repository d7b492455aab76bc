internal import MCPCrypto

/// The tokens the gateway holds, indexed for exact matching: each by the hash of its
/// first eight bytes, its length and its SHA-256 digest. The token itself is not kept.
struct HeldTokenIndex: Sendable {
    struct Entry: Sendable, Hashable {
        let length: Int
        let digest: [UInt8]
    }

    /// Entries by a hash of their first eight bytes.
    private(set) var entries: [UInt64: [Entry]] = [:]
    /// How many held tokens start with each pair of bytes.
    private var pairCounts: [Pair: Int] = [:]
    /// How many tokens are held.
    private(set) var count = 0

    /// The first two bytes of every held token.
    var firstPairs: [(UInt8, UInt8)] { pairCounts.keys.map { ($0.first, $0.second) } }

    struct Pair: Hashable, Sendable {
        let first: UInt8
        let second: UInt8
    }

    /// The shortest token that can be held: shorter ones would match ordinary text.
    static let minimumLength = 12
    /// The longest token that can be held.
    static let maximumLength = 4096

    var isEmpty: Bool { count == 0 }

    /// A hash of eight bytes, as the index keys them.
    @inline(__always)
    static func key(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        var key: UInt64 = 0xcbf2_9ce4_8422_2325
        for offset in 0..<8 { key = (key ^ UInt64(bytes[index + offset])) &* 0x100_0000_01b3 }
        return key
    }

    mutating func insert(_ token: [UInt8]) -> Bool {
        let key = token.withUnsafeBufferPointer { HeldTokenIndex.key($0, at: 0) }
        let entry = Entry(length: token.count, digest: SHA256.hash(token))
        if entries[key, default: []].contains(entry) { return false }
        entries[key, default: []].append(entry)
        pairCounts[Pair(first: token[0], second: token[1]), default: 0] += 1
        count += 1
        return true
    }

    mutating func remove(_ token: [UInt8]) -> Bool {
        let key = token.withUnsafeBufferPointer { HeldTokenIndex.key($0, at: 0) }
        let entry = Entry(length: token.count, digest: SHA256.hash(token))
        guard var list = entries[key], let position = list.firstIndex(of: entry) else { return false }
        list.remove(at: position)
        entries[key] = list.isEmpty ? nil : list
        let pair = Pair(first: token[0], second: token[1])
        pairCounts[pair]! -= 1
        if pairCounts[pair] == 0 { pairCounts[pair] = nil }
        count -= 1
        return true
    }
}

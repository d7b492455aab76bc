import MCPCore
import MCPCrypto

/// The SHA-256 of a call's canonical arguments (members sorted by key, numbers as
/// written), as 64 lowercase hexadecimal digits. Two calls with the same arguments in any
/// member order have the same hash; `1` and `1.0` are different arguments.
enum ArgumentsHash {
    static func of(_ arguments: JSONValue) -> String {
        Hexadecimal.encode(SHA256.hash(JSONSerializer(options: .sortedKeys).serialize(arguments)))
    }
}

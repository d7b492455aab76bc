public import MCPCore
internal import MCPCrypto

/// The SHA-256 of a tool's canonical definition together with its server's
/// instructions: what a pin records, so that any later change (a rug pull) shows.
///
/// The canonical form is the JSON of the tool's `name`, `title`, `description`,
/// `inputSchema`, `outputSchema` and `annotations` (other members, such as `_meta`, are
/// left out) and the server's instructions, with the members of every object sorted by
/// key, so the order a server writes them in does not matter.
public struct ToolFingerprint: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the digest.
    public let digest: [UInt8]

    /// The members of a tool definition that a fingerprint covers.
    public static let coveredMembers = ["name", "title", "description", "inputSchema", "outputSchema", "annotations"]

    /// Fingerprints a tool definition.
    ///
    /// - Parameters:
    ///   - tool: A tool definition from a `tools/list` result.
    ///   - serverInstructions: The server's `instructions`, if it gave any.
    /// - Throws: `InspectError` with code `invalidToolDefinition` when `tool` is not an
    ///   object with a string `name`.
    public init(tool: JSONValue, serverInstructions: String?) throws(InspectError) {
        guard let object = tool.objectValue, object["name"]?.stringValue != nil else {
            throw InspectError(.invalidToolDefinition, message: "a tool definition needs a string name")
        }
        var canonical = JSONObject()
        for key in Self.coveredMembers {
            if let value = object[key] { canonical[key] = value }
        }
        canonical["serverInstructions"] = serverInstructions.map { JSONValue.string($0) } ?? .null
        let text = JSONSerializer(options: .sortedKeys).serialize(.object(canonical))
        digest = SHA256.hash(text)
    }

    /// Creates a fingerprint from a stored digest.
    ///
    /// - Parameter digest: 32 bytes.
    /// - Throws: `InspectError` with code `invalidArgument` when it is not 32 bytes.
    public init(digest: [UInt8]) throws(InspectError) {
        guard digest.count == 32 else { throw InspectError(.invalidArgument, message: "a fingerprint has 32 bytes") }
        self.digest = digest
    }

    /// The digest in lowercase hexadecimal.
    public var description: String { Hexadecimal.encode(digest) }
}

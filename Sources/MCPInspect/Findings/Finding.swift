/// One hit of a detector.
///
/// A finding never carries the matched bytes: only a keyed fingerprint of them, so that
/// the same secret seen twice can be correlated without being stored.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    /// The detector that matched.
    public var detector: DetectorID
    /// Where the match is.
    public var location: Location
    /// The bytes that were inspected.
    public var direction: Direction
    /// The first 8 bytes of HMAC-SHA256 of the matched (decoded) bytes under the
    /// inspector's key, in lowercase hexadecimal; empty for held tokens.
    public var fingerprint: String
    /// What was done.
    public var action: InspectionAction

    /// Creates a finding.
    ///
    /// - Parameters:
    ///   - detector: The detector that matched.
    ///   - location: Where the match is.
    ///   - direction: The bytes that were inspected.
    ///   - fingerprint: A keyed fingerprint of the match, never the match itself.
    ///   - action: What was done.
    public init(
        detector: DetectorID, location: Location, direction: Direction, fingerprint: String, action: InspectionAction
    ) {
        self.detector = detector
        self.location = location
        self.direction = direction
        self.fingerprint = fingerprint
        self.action = action
    }

    /// The detector, direction, location and action, for logs.
    public var description: String {
        "\(detector) \(action) at \(location) (\(direction))"
    }

    /// Where a match is.
    public struct Location: Sendable, Hashable, CustomStringConvertible {
        /// The offset of the first byte of the match in the stream as it arrived (for
        /// JSON, the offset of the escape sequence that encodes the first byte).
        public var byteOffset: Int
        /// The number of bytes of the stream as it arrived that the match covers.
        public var byteLength: Int
        /// The JSON path of the value, such as `$.tools[2].description`, when known.
        public var jsonPath: String?

        /// Creates a location.
        ///
        /// - Parameters:
        ///   - byteOffset: The offset of the match's first byte.
        ///   - byteLength: The length of the match in input bytes.
        ///   - jsonPath: The JSON path of the value, when known.
        public init(byteOffset: Int, byteLength: Int, jsonPath: String? = nil) {
            self.byteOffset = byteOffset
            self.byteLength = byteLength
            self.jsonPath = jsonPath
        }

        /// `offset+length`, followed by the JSON path when known.
        public var description: String {
            "\(byteOffset)+\(byteLength)" + (jsonPath.map { " \($0)" } ?? "")
        }
    }
}

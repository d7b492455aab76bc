/// Bounds on what ``HTTPRequestParser`` accepts, so that no request can exhaust memory.
public struct HTTPParserLimits: Sendable, Hashable {
    /// The longest request line, in bytes without its CRLF; empty lines before it count
    /// too. A longer one is refused with 414 when the target is what made it long, else
    /// with 400.
    public var maxRequestLineBytes: Int
    /// The largest header section, in bytes: every field line with its CRLF, and the
    /// empty line that ends the section. A larger one is refused with 431.
    public var maxHeaderSectionBytes: Int
    /// The most field lines in the header section, and separately in the trailer
    /// section. More are refused with 431.
    public var maxFieldCount: Int
    /// The largest body, in bytes of content (chunk framing not counted). A larger one is
    /// refused with 413: from `Content-Length` before any of the body is read, or from
    /// the chunk size that would exceed it.
    public var maxBodyBytes: Int
    /// The longest chunk extension of one chunk line, in bytes from the end of the chunk
    /// size to the CRLF. A longer one is refused with 400.
    public var maxChunkExtensionBytes: Int
    /// The largest trailer section, in bytes, counted like the header section. A larger
    /// one is refused with 431.
    public var maxTrailerSectionBytes: Int

    /// Creates limits.
    ///
    /// - Parameters:
    ///   - maxRequestLineBytes: the longest request line (default 8 KiB).
    ///   - maxHeaderSectionBytes: the largest header section (default 32 KiB).
    ///   - maxFieldCount: the most field lines (default 100).
    ///   - maxBodyBytes: the largest body (default 4 MiB).
    ///   - maxChunkExtensionBytes: the longest chunk extension (default 1 KiB).
    ///   - maxTrailerSectionBytes: the largest trailer section (default 8 KiB).
    public init(
        maxRequestLineBytes: Int = 8 << 10,
        maxHeaderSectionBytes: Int = 32 << 10,
        maxFieldCount: Int = 100,
        maxBodyBytes: Int = 4 << 20,
        maxChunkExtensionBytes: Int = 1 << 10,
        maxTrailerSectionBytes: Int = 8 << 10
    ) {
        self.maxRequestLineBytes = maxRequestLineBytes
        self.maxHeaderSectionBytes = maxHeaderSectionBytes
        self.maxFieldCount = maxFieldCount
        self.maxBodyBytes = maxBodyBytes
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
        self.maxTrailerSectionBytes = maxTrailerSectionBytes
    }

    /// Request line 8 KiB, header section 32 KiB, 100 fields, body 4 MiB, chunk extension
    /// 1 KiB, trailer section 8 KiB.
    public static let `default` = HTTPParserLimits()
}

/// A request for ``HTTPClient``.
public struct HTTPClientRequest: Sendable {
    /// The method, such as `GET` or `POST`.
    public var method: String
    /// The absolute `http` or `https` URL.
    public var url: String
    /// The header fields, in order.
    public var headers: [(name: String, value: String)]
    /// The body, if any.
    public var body: [UInt8]?
    /// The longest the whole request may take, response body included; `nil` for streams
    /// that stay open (bounded instead by the caller's cancellation).
    public var timeout: Duration?
    /// The longest the connection may take to establish.
    public var connectTimeout: Duration
    /// The largest response body accepted.
    public var maxResponseBytes: Int
    /// The response body bytes buffered for a slow reader before the transfer pauses.
    public var responseBufferBytes: Int
    /// An address to connect to instead of resolving the URL's host again, with the host
    /// name still used for TLS and `Host`: for a caller that resolved and checked the host
    /// itself, so that a second resolution cannot lead elsewhere (DNS rebinding).
    public var connectAddress: String?

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - method: the method (default `GET`).
    ///   - url: the absolute URL.
    ///   - headers: the header fields.
    ///   - body: the body, if any.
    ///   - timeout: the limit on the whole request (default 30 s); `nil` for none.
    ///   - connectTimeout: the limit on connecting (default 10 s).
    ///   - maxResponseBytes: the largest response body (default 16 MiB).
    ///   - responseBufferBytes: body bytes buffered for a slow reader (default 256 KiB).
    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration? = .seconds(30),
        connectTimeout: Duration = .seconds(10),
        maxResponseBytes: Int = 16 << 20,
        responseBufferBytes: Int = 256 << 10
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxResponseBytes = maxResponseBytes
        self.responseBufferBytes = responseBufferBytes
    }
}

/// A response from ``HTTPClient``: the status and headers, with the body streaming.
public struct HTTPClientResponse: Sendable {
    /// The status code.
    public let status: Int
    /// The header fields of the final response (not those of `100 Continue`).
    public let headers: [(name: String, value: String)]
    /// The body, in chunks as they arrive.
    public let body: HTTPClientResponseBody

    /// The first value of a header field, compared without regard to case.
    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Reads the whole body.
    ///
    /// - Returns: the body's bytes.
    /// - Throws: ``HTTPClientError`` when the transfer fails or exceeds its limits.
    public func collectBody() async throws -> [UInt8] {
        var bytes: [UInt8] = []
        while let chunk = try await body.next() { bytes += chunk }
        return bytes
    }
}

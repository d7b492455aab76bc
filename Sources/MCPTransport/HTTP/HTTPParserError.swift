/// A request that ``HTTPRequestParser`` refused, with the status to answer it with.
///
/// After any such error the connection must be closed: the parser stays failed and
/// reports the same error again, so no byte after the fault is ever read as a request.
/// Equality compares the ``code`` only; the message is for people and never quotes the
/// request.
public struct HTTPParserError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of error this is; stable across releases, safe to use as a metric label.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Value: String, Sendable {
            case invalidRequestLine
            case invalidMethod
            case invalidTarget
            case invalidVersion
            case unsupportedVersion
            case targetTooLong
            case requestLineTooLong
            case connectNotSupported
            case bareCarriageReturn
            case bareLineFeed
            case obsoleteLineFolding
            case whitespaceBeforeColon
            case invalidFieldLine
            case invalidFieldName
            case invalidFieldValue
            case headerSectionTooLarge
            case tooManyFields
            case missingHost
            case duplicateHost
            case invalidHost
            case contentLengthWithTransferEncoding
            case duplicateContentLength
            case invalidContentLength
            case transferEncodingInHTTP10
            case invalidTransferEncoding
            case chunkedNotFinal
            case unsupportedTransferCoding
            case invalidChunkSize
            case invalidChunkExtension
            case chunkExtensionTooLong
            case invalidChunkTerminator
            case trailerSectionTooLarge
            case forbiddenTrailerField
            case bodyTooLarge
            case unsupportedExpectation
            case unexpectedEndOfStream
        }

        private let value: Value
        private init(_ value: Value) { self.value = value }

        /// A request line that is not `method SP request-target SP HTTP-version`, with
        /// exactly one space between the parts. 400.
        public static let invalidRequestLine = Code(.invalidRequestLine)
        /// A method that is not a token. 400.
        public static let invalidMethod = Code(.invalidMethod)
        /// A target that is not origin-form, absolute-form with a well-formed `http(s)`
        /// authority, or `*` for `OPTIONS`; or that holds a byte a URI may not. 400.
        public static let invalidTarget = Code(.invalidTarget)
        /// A version that is not `HTTP/` digit `.` digit. 400.
        public static let invalidVersion = Code(.invalidVersion)
        /// A well-formed version other than HTTP/1.0 and HTTP/1.1. 505.
        public static let unsupportedVersion = Code(.unsupportedVersion)
        /// A request line over the limit because of its target. 414.
        public static let targetTooLong = Code(.targetTooLong)
        /// A request line over the limit for another reason (method, version, or empty
        /// lines before it). 400.
        public static let requestLineTooLong = Code(.requestLineTooLong)
        /// A `CONNECT` request; tunnels are not offered. 501.
        public static let connectNotSupported = Code(.connectNotSupported)
        /// A CR not followed by LF in the head or in a chunk line. 400.
        public static let bareCarriageReturn = Code(.bareCarriageReturn)
        /// An LF not preceded by CR in the head or in a chunk line. 400.
        public static let bareLineFeed = Code(.bareLineFeed)
        /// A field line starting with white space: obsolete line folding, or white space
        /// between the request line and the first field. 400.
        public static let obsoleteLineFolding = Code(.obsoleteLineFolding)
        /// White space between a field name and its colon. 400.
        public static let whitespaceBeforeColon = Code(.whitespaceBeforeColon)
        /// A field line without a colon. 400.
        public static let invalidFieldLine = Code(.invalidFieldLine)
        /// A field name that is empty or not a token. 400.
        public static let invalidFieldName = Code(.invalidFieldName)
        /// A field value with a control byte (NUL, DEL, and others but HTAB). 400.
        public static let invalidFieldValue = Code(.invalidFieldValue)
        /// A header section over the size limit. 431.
        public static let headerSectionTooLarge = Code(.headerSectionTooLarge)
        /// More header or trailer field lines than the limit. 431.
        public static let tooManyFields = Code(.tooManyFields)
        /// An HTTP/1.1 request without `Host`. 400.
        public static let missingHost = Code(.missingHost)
        /// More than one `Host` field line. 400.
        public static let duplicateHost = Code(.duplicateHost)
        /// A `Host` value that is not `host [ ":" port ]`. 400.
        public static let invalidHost = Code(.invalidHost)
        /// Both `Content-Length` and `Transfer-Encoding`. 400.
        public static let contentLengthWithTransferEncoding = Code(
            .contentLengthWithTransferEncoding)
        /// More than one `Content-Length` field line, even with equal values. 400.
        public static let duplicateContentLength = Code(.duplicateContentLength)
        /// A `Content-Length` that is not one run of decimal digits fitting in `Int`. 400.
        public static let invalidContentLength = Code(.invalidContentLength)
        /// `Transfer-Encoding` in an HTTP/1.0 request, whose framing is then faulty
        /// (RFC 9112 §6.1). 400.
        public static let transferEncodingInHTTP10 = Code(.transferEncodingInHTTP10)
        /// A `Transfer-Encoding` list with an empty element, a parameter, a non-token, or
        /// `chunked` more than once. 400.
        public static let invalidTransferEncoding = Code(.invalidTransferEncoding)
        /// `chunked` present but not the final transfer coding. 400.
        public static let chunkedNotFinal = Code(.chunkedNotFinal)
        /// A transfer coding other than `chunked` alone, such as `gzip, chunked` or
        /// `identity`. 501.
        public static let unsupportedTransferCoding = Code(.unsupportedTransferCoding)
        /// A chunk size that is not 1 to 16 hexadecimal digits fitting in `Int`, or that
        /// is followed by anything but a chunk extension. 400.
        public static let invalidChunkSize = Code(.invalidChunkSize)
        /// A chunk extension that breaks the grammar of RFC 9112 §7.1.1. 400.
        public static let invalidChunkExtension = Code(.invalidChunkExtension)
        /// A chunk extension over the limit. 400.
        public static let chunkExtensionTooLong = Code(.chunkExtensionTooLong)
        /// Chunk data not followed by CRLF. 400.
        public static let invalidChunkTerminator = Code(.invalidChunkTerminator)
        /// A trailer section over the size limit. 431.
        public static let trailerSectionTooLarge = Code(.trailerSectionTooLarge)
        /// A trailer field that may only be sent in the header section (framing, routing,
        /// authentication or content format). 400.
        public static let forbiddenTrailerField = Code(.forbiddenTrailerField)
        /// A body over the limit. 413.
        public static let bodyTooLarge = Code(.bodyTooLarge)
        /// An `Expect` value other than `100-continue`. 417.
        public static let unsupportedExpectation = Code(.unsupportedExpectation)
        /// The stream ended inside a request. 400.
        public static let unexpectedEndOfStream = Code(.unexpectedEndOfStream)

        /// The status to answer a request refused with this code.
        public var status: HTTPStatus {
            switch value {
            case .unsupportedVersion: .httpVersionNotSupported
            case .targetTooLong: .uriTooLong
            case .connectNotSupported, .unsupportedTransferCoding: .notImplemented
            case .headerSectionTooLarge, .tooManyFields, .trailerSectionTooLarge:
                .requestHeaderFieldsTooLarge
            case .bodyTooLarge: .contentTooLarge
            case .unsupportedExpectation: .expectationFailed
            default: .badRequest
            }
        }

        /// The code's stable name, such as `duplicateContentLength`.
        public var description: String { value.rawValue }
    }

    /// What kind of error this is.
    public let code: Code
    /// A description for people; it never quotes the request.
    public let message: String

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: the kind of error.
    ///   - message: a description for people.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The status to answer with, from the code.
    public var status: HTTPStatus { code.status }

    /// `"<message> (<code>, <status code>)"`.
    public var description: String { "\(message) (\(code), \(code.status.code))" }

    public static func == (lhs: HTTPParserError, rhs: HTTPParserError) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

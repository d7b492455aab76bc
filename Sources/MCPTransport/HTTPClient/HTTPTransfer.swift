internal import CCurl
import Synchronization

/// One request in flight: its libcurl easy handle and the state its callbacks build.
///
/// Created on the caller's thread; from ``HTTPClientWorker/start(_:)`` on, touched only on
/// the worker thread (libcurl calls the callbacks there), except `body` and
/// `resumeHandler`, which are thread-safe.
final class HTTPTransfer: @unchecked Sendable {
    struct Head {
        var status: Int
        var headers: [(name: String, value: String)]
    }

    let easy: UnsafeMutableRawPointer
    let body: ByteStreamQueue
    var onHead: ((Result<Head, HTTPClientError>) -> Void)?
    var paused = false

    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    private let maxResponseBytes: Int
    private var received = 0
    private var tooLarge = false
    private var status = 0
    private var headers: [(name: String, value: String)] = []
    private var headReported = false
    private var finished = false
    private let resumeHandler = ResumeHandler()

    /// What a paused transfer calls to read again; set once the worker owns the transfer.
    private final class ResumeHandler: Sendable {
        let handler = Mutex<(@Sendable () -> Void)?>(nil)
    }

    init(request: HTTPClientRequest, caCertificateFile: String?) throws(HTTPClientError) {
        guard let easy = curl_easy_init() else {
            throw HTTPClientError(.transferFailed, "libcurl could not create a transfer")
        }
        self.easy = easy
        self.maxResponseBytes = request.maxResponseBytes
        let handler = resumeHandler
        self.body = ByteStreamQueue(limit: request.responseBufferBytes) {
            handler.handler.withLock { $0 }?()
        }
        try configure(request, caCertificateFile: caCertificateFile)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectToList)
    }

    /// Sets what to call when a paused transfer may read again.
    func setResumeHandler(_ handler: (@Sendable () -> Void)?) {
        resumeHandler.handler.withLock { $0 = handler }
    }

    private func configure(_ request: HTTPClientRequest, caCertificateFile: String?) throws(HTTPClientError) {
        func set(_ result: CURLcode, _ what: String) throws(HTTPClientError) {
            guard result == CURLE_OK else {
                throw HTTPClientError(.invalidRequest, "\(what): \(String(cString: curl_easy_strerror(result)))")
            }
        }
        guard request.url.hasPrefix("http://") || request.url.hasPrefix("https://") else {
            throw HTTPClientError(.invalidRequest, "only http and https URLs are supported")
        }
        try set(ccurl_easy_setopt_pointer(easy, CURLOPT_URL, request.url), "URL")
        if let address = request.connectAddress {
            guard let entry = Self.connectTo(url: request.url, address: address) else {
                throw HTTPClientError(.invalidRequest, "the connect address does not fit the URL")
            }
            connectToList = curl_slist_append(connectToList, entry)
            try set(ccurl_easy_setopt_pointer(easy, CURLOPT_CONNECT_TO, connectToList), "connect address")
            // Straight to the checked address: no proxy from the environment in between.
            try set(ccurl_easy_setopt_pointer(easy, CURLOPT_PROXY, ""), "no proxy")
        }
        try set(ccurl_easy_setopt_pointer(easy, CURLOPT_PROTOCOLS_STR, "http,https"), "protocols")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1), "no signals")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1), "keep-alive")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1), "TLS peer verification")
        try set(ccurl_easy_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2), "TLS host verification")
        if let caCertificateFile {
            try set(ccurl_easy_setopt_pointer(easy, CURLOPT_CAINFO, caCertificateFile), "CA file")
        }
        try set(
            ccurl_easy_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)),
            "connect timeout")
        if let timeout = request.timeout {
            try set(ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)), "timeout")
        }

        switch request.method {
        case "GET": try set(ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1), "method")
        case "HEAD": try set(ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1), "method")
        default:
            guard !request.method.isEmpty, request.method.utf8.allSatisfy(Self.isTokenByte) else {
                throw HTTPClientError(.invalidRequest, "invalid method")
            }
            try set(ccurl_easy_setopt_pointer(easy, CURLOPT_CUSTOMREQUEST, request.method), "method")
        }
        if let body = request.body {
            try set(ccurl_easy_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
            // COPYPOSTFIELDS copies, so the transfer does not depend on the array's lifetime.
            let result =
                body.isEmpty
                ? ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, "")
                : body.withUnsafeBufferPointer {
                    ccurl_easy_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, $0.baseAddress)
                }
            try set(result, "body")
        }

        // libcurl would add `Expect: 100-continue` to large bodies; the servers we talk to
        // gain nothing from the extra round trip.
        var lines = ["Expect:"]
        for (name, value) in request.headers {
            guard !name.isEmpty, name.utf8.allSatisfy(Self.isTokenByte),
                !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 })
            else {
                throw HTTPClientError(.invalidRequest, "invalid header field")
            }
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        for line in lines { headerList = curl_slist_append(headerList, line) }
        try set(ccurl_easy_setopt_pointer(easy, CURLOPT_HTTPHEADER, headerList), "headers")

        let context = Unmanaged.passUnretained(self).toOpaque()
        try set(ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, context), "header context")
        try set(ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, context), "write context")
        try set(ccurl_easy_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, headerCallback), "header callback")
        try set(ccurl_easy_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, writeCallback), "write callback")
    }

    /// The `CURLOPT_CONNECT_TO` entry `HOST:PORT:ADDRESS:PORT` for a URL, or `nil` when the
    /// URL has no plain host or the address is not an IP address literal.
    static func connectTo(url: String, address: String) -> String? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let https = url.hasPrefix("https://")
        let rest = url[schemeEnd.upperBound...]
        let end = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<end]
        guard !authority.isEmpty, !authority.contains("@") else { return nil }
        var host = String(authority)
        var port = https ? "443" : "80"
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = String(authority[...close])
            let tail = authority[authority.index(after: close)...]
            if tail.hasPrefix(":") { port = String(tail.dropFirst()) }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
        }
        guard !port.isEmpty, port.allSatisfy(\.isNumber),
            address.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }), !address.isEmpty
        else { return nil }
        let target = address.contains(":") ? "[\(address)]" : address
        return "\(host):\(port):\(target):\(port)"
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
        }
    }

    // MARK: Callbacks (worker thread)

    fileprivate func receiveHeaderLine(_ line: UnsafeBufferPointer<UInt8>) {
        var end = line.count
        while end > 0, line[end - 1] == 0x0A || line[end - 1] == 0x0D { end -= 1 }
        let text = line[0..<end]
        if text.isEmpty {
            // The end of one header block; 1xx blocks are followed by the real one.
            if status >= 200 { reportHead() }
            return
        }
        if text.starts(with: Array("HTTP/".utf8)) {
            status = Self.statusCode(text)
            headers = []
            return
        }
        guard let colon = text.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: text[..<colon], as: UTF8.self)
        var valueStart = colon + 1
        while valueStart < end, text[valueStart] == 0x20 || text[valueStart] == 0x09 { valueStart += 1 }
        headers.append((name, String(decoding: text[valueStart..<end], as: UTF8.self)))
    }

    private static func statusCode(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
        guard let space = line.firstIndex(of: 0x20) else { return 0 }
        var code = 0
        var index = space + 1
        while index < line.endIndex, line[index] >= 0x30, line[index] <= 0x39, code < 1000 {
            code = code * 10 + Int(line[index] - 0x30)
            index += 1
        }
        return code
    }

    fileprivate func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if paused { return Int(CURL_WRITEFUNC_PAUSE) }
        if !headReported { reportHead() }
        received += bytes.count
        if received > maxResponseBytes {
            tooLarge = true
            return 0
        }
        if !body.push(Array(bytes)) { paused = true }
        return bytes.count
    }

    private func reportHead() {
        guard !headReported else { return }
        headReported = true
        onHead?(.success(Head(status: status, headers: headers)))
        onHead = nil
    }

    // MARK: Completion (worker thread)

    func complete() {
        guard !finished else { return }
        finished = true
        reportHead()
        body.finish()
        setResumeHandler(nil)
    }

    func fail(_ error: HTTPClientError) {
        guard !finished else { return }
        finished = true
        if !headReported {
            headReported = true
            onHead?(.failure(error))
            onHead = nil
        }
        body.finish(throwing: error)
        setResumeHandler(nil)
    }

    func error(for code: CURLcode) -> HTTPClientError {
        let text = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_WRITE_ERROR where tooLarge:
            return HTTPClientError(.responseTooLarge, "the response is larger than \(maxResponseBytes) bytes")
        case CURLE_OPERATION_TIMEDOUT:
            return HTTPClientError(.timedOut, text)
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return HTTPClientError(.connectFailed, text)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            return HTTPClientError(.tlsFailure, text)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return HTTPClientError(.invalidRequest, text)
        default:
            return HTTPClientError(.transferFailed, text)
        }
    }
}

private let headerCallback: ccurl_write_callback = { data, size, count, context in
    let transfer = Unmanaged<HTTPTransfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    data!.withMemoryRebound(to: UInt8.self, capacity: length) {
        transfer.receiveHeaderLine(UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

private let writeCallback: ccurl_write_callback = { data, size, count, context in
    let transfer = Unmanaged<HTTPTransfer>.fromOpaque(context!).takeUnretainedValue()
    let length = size * count
    return data!.withMemoryRebound(to: UInt8.self, capacity: length) {
        size_t(transfer.receiveBody(UnsafeBufferPointer(start: $0, count: length)))
    }
}

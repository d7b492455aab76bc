import Foundation
import MCPCore
import MCPCrypto
import MCPTransport

/// A whole response of the authorization server: status, headers and body, read at once.
struct HTTPAnswer: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: [UInt8]

    /// The first value of a header field, compared without regard to case.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body as text.
    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body as JSON, when it is.
    var json: JSONValue? { try? JSONValue(parsing: body) }

    /// The OAuth `error` of a JSON error body.
    var error: String? { json?["error"]?.stringValue }

    /// The `Location` of a redirect, split into its parts.
    var location: RedirectLocation? { header("Location").flatMap(RedirectLocation.init) }

    /// Whether the answer is an HTML page (sign-in, consent or error page).
    var isPage: Bool { header("Content-Type")?.hasPrefix("text/html") ?? false }
}

/// A redirect's target: the URI it sends the browser to and the parameters it adds.
struct RedirectLocation: Sendable {
    /// Everything before `?`.
    let base: String
    /// The query parameters, decoded.
    let parameters: [String: String]

    init?(_ location: String) {
        let parts = location.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        base = String(parts[0])
        var parameters: [String: String] = [:]
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") {
                let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = String(nameAndValue[0]).removingPercentEncoding,
                    let value = String(nameAndValue.count > 1 ? nameAndValue[1] : "").removingPercentEncoding
                else { return nil }
                parameters[name] = value
            }
        }
        self.parameters = parameters
    }

    subscript(name: String) -> String? { parameters[name] }
}

/// `application/x-www-form-urlencoded` bodies and query strings.
enum FormEncoding {
    /// Encodes parameters in order, repeated names kept.
    static func encode(_ parameters: [(String, String)]) -> String {
        parameters.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
    }

    /// Percent-encodes everything but the unreserved characters.
    static func escape(_ text: String) -> String {
        var output = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                output += String(format: "%%%02X", byte)
            }
        }
        return output
    }
}

extension AuthorizationServerHarness {
    /// Sends a request to the server and reads the whole answer.
    func send(
        _ method: String, _ target: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil
    ) async throws -> HTTPAnswer {
        let response = try await http.execute(
            HTTPClientRequest(method: method, url: issuer + target, headers: headers, body: body))
        let bytes = try await response.collectBody()
        return HTTPAnswer(status: response.status, headers: response.headers, body: bytes)
    }

    /// `GET target`.
    func get(_ target: String) async throws -> HTTPAnswer {
        try await send("GET", target)
    }

    /// Posts a form, optionally with HTTP Basic client credentials.
    func post(
        _ path: String, form parameters: [(String, String)], basic credentials: (id: String, secret: String)? = nil
    ) async throws -> HTTPAnswer {
        var headers: [(name: String, value: String)] = [("Content-Type", "application/x-www-form-urlencoded")]
        if let credentials {
            let pair = FormEncoding.escape(credentials.id) + ":" + FormEncoding.escape(credentials.secret)
            headers.append(("Authorization", "Basic " + Base64.encode(Array(pair.utf8))))
        }
        return try await send("POST", path, headers: headers, body: Array(FormEncoding.encode(parameters).utf8))
    }

    /// Posts a JSON document.
    func post(_ path: String, json: JSONValue) async throws -> HTTPAnswer {
        try await send(
            "POST", path, headers: [("Content-Type", "application/json")], body: JSONSerializer().serialize(json))
    }
}

import Foundation
import Testing

/// What a user's browser does at the authorization endpoint: opens the request, posts the
/// sign-in form, posts the consent form, and follows nothing (redirects are returned).
///
/// Forms are filled from the hidden inputs of the page they come from, as a browser would.
struct AuthorizationBrowser: Sendable {
    let harness: AuthorizationServerHarness

    /// `GET /authorize?...`.
    func open(_ query: AuthorizationQuery) async throws -> HTTPAnswer {
        try await harness.get(query.target)
    }

    /// Posts the form of `page` with its hidden inputs and `fields`.
    func submit(_ page: HTTPAnswer, _ fields: [(String, String)]) async throws -> HTTPAnswer {
        try await harness.post("/authorize", form: Self.hiddenInputs(in: page.text) + fields)
    }

    /// Posts the sign-in form of `page`.
    func signIn(
        _ page: HTTPAnswer, username: String = "alice", password: String = AuthorizationServerHarness.password
    ) async throws -> HTTPAnswer {
        try await submit(page, [("username", username), ("password", password)])
    }

    /// Posts the consent form of `page`.
    func consent(_ page: HTTPAnswer, decision: String = "approve") async throws -> HTTPAnswer {
        try await submit(page, [("decision", decision)])
    }

    /// Signs in and approves, and returns where the server redirects the browser.
    func authorize(
        _ query: AuthorizationQuery, username: String = "alice",
        password: String = AuthorizationServerHarness.password
    ) async throws -> RedirectLocation {
        let signInPage = try await open(query)
        try #require(signInPage.status == 200, "the sign-in page: \(signInPage.status) \(signInPage.text)")
        let consentPage = try await signIn(signInPage, username: username, password: password)
        try #require(consentPage.status == 200, "the consent page: \(consentPage.status) \(consentPage.text)")
        let redirect = try await consent(consentPage)
        try #require(redirect.status == 303, "the redirect: \(redirect.status) \(redirect.text)")
        return try #require(redirect.location)
    }

    /// Signs in, approves, and returns the authorization code.
    func code(
        _ query: AuthorizationQuery, username: String = "alice",
        password: String = AuthorizationServerHarness.password
    ) async throws -> String {
        let location = try await authorize(query, username: username, password: password)
        return try #require(location["code"], "no code in \(location.parameters)")
    }

    /// The hidden inputs of a page's form, in order.
    static func hiddenInputs(in html: String) -> [(String, String)] {
        let opening = "<input type=\"hidden\" name=\""
        let valueMarker = "\" value=\""
        var inputs: [(String, String)] = []
        var rest = html[...]
        while let start = rest.range(of: opening) {
            rest = rest[start.upperBound...]
            guard let nameEnd = rest.range(of: valueMarker) else { break }
            let name = rest[..<nameEnd.lowerBound]
            rest = rest[nameEnd.upperBound...]
            guard let valueEnd = rest.firstIndex(of: "\"") else { break }
            inputs.append((unescape(name), unescape(rest[..<valueEnd])))
            rest = rest[valueEnd...]
        }
        return inputs
    }

    /// The value of one hidden input.
    static func hiddenInput(_ name: String, in page: HTTPAnswer) -> String? {
        hiddenInputs(in: page.text).first { $0.0 == name }?.1
    }

    private static func unescape(_ text: Substring) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}

extension AuthorizationServerHarness {
    /// A browser for this server.
    var browser: AuthorizationBrowser { AuthorizationBrowser(harness: self) }
}

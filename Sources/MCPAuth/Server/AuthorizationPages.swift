/// The HTML pages of the authorization endpoint: sign-in, consent, and the error page
/// shown when the client or its redirect URI cannot be trusted (so no redirect is made).
///
/// Every value is HTML-escaped; pages are sent with a content security policy that forbids
/// scripts and framing, and with `no-store`.
enum AuthorizationPages {
    static func signIn(
        action: String, transaction: String, client: ClientRegistration, error: String?,
        providers: [FederatedProvider] = []
    ) -> String {
        let federated =
            providers.isEmpty
            ? ""
            : """
            <form method="post" action="\(escape(action))">
            <input type="hidden" name="transaction" value="\(escape(transaction))">
            <input type="hidden" name="step" value="federate">
            \(providers.map { "<button type=\"submit\" name=\"provider\" value=\"\(escape($0.name))\">Sign in with \(escape($0.displayName))</button>" }.joined(separator: "\n"))
            </form>
            """
        return page(
            title: "Sign in",
            body: """
                <h1>Sign in</h1>
                <p><strong>\(escape(client.name))</strong> asks to use the MCP gateway on your behalf.</p>
                \(error.map { "<p class=\"error\">\(escape($0))</p>" } ?? "")
                <form method="post" action="\(escape(action))">
                <input type="hidden" name="transaction" value="\(escape(transaction))">
                <input type="hidden" name="step" value="sign-in">
                <label>Username <input type="text" name="username" autocomplete="username" required></label>
                <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
                <button type="submit">Sign in</button>
                </form>
                \(federated)
                """)
    }

    static func consent(
        action: String, transaction: String, request: AuthorizationRequest, user: User
    ) -> String {
        let client = request.client
        let origin: String
        switch client.kind {
        case .metadataDocument: origin = "described at \(escape(client.clientID))"
        case .dynamic: origin = "registered itself with this gateway"
        case .preregistered: origin = "registered by your administrator"
        }
        return page(
            title: "Allow access",
            body: """
                <h1>Allow access?</h1>
                <p>Signed in as <strong>\(escape(user.displayName))</strong> (\(escape(user.username)), \(escape(user.organization))).</p>
                <p>The application <strong>\(escape(client.name))</strong> (\(origin)) asks for:</p>
                <ul>\(request.scopes.map { "<li>scope <code>\(escape($0))</code></li>" }.joined())</ul>
                <p>on the resource <code>\(escape(request.resource))</code>.</p>
                <p>After you allow it, you are sent back to <code>\(escape(request.redirectURI))</code>.</p>
                <form method="post" action="\(escape(action))">
                <input type="hidden" name="transaction" value="\(escape(transaction))">
                <input type="hidden" name="step" value="consent">
                <button type="submit" name="decision" value="approve">Allow</button>
                <button type="submit" name="decision" value="deny">Deny</button>
                </form>
                """)
    }

    static func connectConfirmation(
        action: String, ticket: String, upstream: String, subject: String, asksPassword: Bool
    ) -> String {
        page(
            title: "Connect \(escape(upstream))",
            body: """
                <h1>Connect \(escape(upstream))?</h1>
                <p>Your \(escape(upstream)) account is about to be connected to the gateway account
                <strong>\(escape(subject))</strong>. The gateway will then call \(escape(upstream)) as you.</p>
                <p>If you did not ask for this, close this page.</p>
                <form method="post" action="\(escape(action))">
                <input type="hidden" name="ticket" value="\(escape(ticket))">
                \(asksPassword ? "<label>Password of \(escape(subject)) <input type=\"password\" name=\"password\" autocomplete=\"current-password\" required></label>" : "")
                <button type="submit">Connect</button>
                </form>
                """)
    }

    /// The page for a sign-in step whose transaction expired or was used already.
    static var expiredSignIn: String {
        error("This sign-in has expired or was already used. Start again from the application.")
    }

    static func error(_ message: String) -> String {
        self.message(title: "Authorization failed", text: message)
    }

    static func message(title: String, text: String) -> String {
        page(title: escape(title), body: "<h1>\(escape(title))</h1><p>\(escape(text))</p>")
    }

    /// The headers every page is sent with.
    static let headers: [(String, String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Content-Type-Options", "nosniff"),
    ]

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    private static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
        <style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}
        label{display:block;margin:.75rem 0}input{display:block;width:100%}button{margin:.75rem .5rem 0 0}
        .error{color:#b00020}</style></head>
        <body>
        \(body)
        </body></html>
        """
    }
}

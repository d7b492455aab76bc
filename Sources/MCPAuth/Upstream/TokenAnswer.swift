import Foundation
import MCPCore

/// A token endpoint's answer read the way real providers send it: JSON or form-encoded,
/// the error in the body whatever the status (`error`, or `ok: false`), `expires_in` as a
/// number or a string or missing, scopes separated by spaces or commas, `token_type` in
/// any case, and the user token nested under `authed_user`.
enum TokenAnswer {
    struct Tokens: Sendable, Hashable {
        var accessToken: String
        var refreshToken: String?
        var expiresIn: Int64?
        var scopes: [String]
    }

    /// Reads an answer.
    ///
    /// - Returns: the tokens, or the provider's `error` code and description.
    static func read(status: Int, contentType: String?, body: [UInt8]) -> Result<Tokens, OAuthError> {
        var fields: [String: JSONValue] = [:]
        if let object = (try? JSONValue(parsing: body))?.objectValue {
            for (key, value) in object { fields[key] = value }
        } else if let form = try? FormParameters(parsing: body, maximumCount: 64), !form.values.isEmpty {
            for (key, value) in form.values { fields[key] = .string(value) }
        } else {
            return .failure(
                OAuthError(.invalidRequest, "the token endpoint answered HTTP \(status) with neither JSON nor a form"))
        }
        if let error = fields["error"], error != .null {
            let code = error.stringValue ?? "error"
            let description = fields["error_description"]?.stringValue.map { ": " + FormParameters.printable($0) } ?? ""
            return .failure(Self.error(code, "the provider refused: \(FormParameters.printable(code))\(description)"))
        }
        if fields["ok"] == .bool(false) {
            return .failure(OAuthError(.invalidGrant, "the provider answered ok: false"))
        }
        // Slack puts the user's token under authed_user.
        if fields["access_token"] == nil, let nested = fields["authed_user"]?.objectValue {
            for (key, value) in nested where fields[key] == nil || key == "access_token" { fields[key] = value }
        }
        guard let accessToken = fields["access_token"]?.stringValue, !accessToken.isEmpty else {
            return .failure(
                OAuthError(.invalidRequest, "the token endpoint answered HTTP \(status) without an access token"))
        }
        if let type = fields["token_type"]?.stringValue, type.lowercased() != "bearer" {
            return .failure(
                OAuthError(.invalidRequest, "the token is of type \(FormParameters.printable(type)), not Bearer"))
        }
        let expiresIn: Int64?
        switch fields["expires_in"] {
        case .number(let number)?: expiresIn = number.int64Value ?? Int64(exactly: number.doubleValue.rounded())
        case .string(let text)?: expiresIn = Int64(text.trimmingCharacters(in: .whitespaces))
        default: expiresIn = nil
        }
        let scopeText = fields["scope"]?.stringValue ?? ""
        let scopes = scopeText.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        return .success(
            Tokens(
                accessToken: accessToken, refreshToken: fields["refresh_token"]?.stringValue,
                expiresIn: expiresIn.flatMap { (1...(10 * 365 * 86_400)).contains($0) ? $0 : nil }, scopes: scopes))
    }

    /// How an answer departs from RFC 6749 §5, in words, for `gatewayd upstream doctor`.
    static func observations(status: Int, contentType: String?, body: [UInt8]) -> [String] {
        var seen: [String] = []
        let object = (try? JSONValue(parsing: body))?.objectValue
        if object == nil, (try? FormParameters(parsing: body, maximumCount: 64)) != nil {
            seen.append("form-encoded answer instead of JSON")
        }
        var fields: [String: JSONValue] = [:]
        if let object {
            for (key, value) in object { fields[key] = value }
        } else if let form = try? FormParameters(parsing: body, maximumCount: 64) {
            for (key, value) in form.values { fields[key] = .string(value) }
        }
        if status == 200, fields["error"] != nil { seen.append("errors sent with HTTP 200") }
        if fields["ok"] != nil { seen.append("an ok member (errors as ok: false)") }
        if fields["authed_user"] != nil { seen.append("the user's token nested under authed_user") }
        switch fields["expires_in"] {
        case .string?: seen.append("expires_in as a string")
        case nil where fields["access_token"] != nil: seen.append("no expires_in")
        default: break
        }
        if let type = fields["token_type"]?.stringValue, type != "Bearer" { seen.append("token_type \"\(type)\"") }
        if fields["scope"]?.stringValue?.contains(",") == true { seen.append("comma-separated scopes") }
        return seen
    }

    private static func error(_ code: String, _ message: String) -> OAuthError {
        switch code {
        case "invalid_grant", "bad_refresh_token", "bad_verification_code", "token_revoked", "invalid_refresh_token":
            OAuthError(.invalidGrant, message)
        case "invalid_client", "invalid_client_id", "bad_client_secret": OAuthError(.invalidClient, message)
        case "invalid_scope": OAuthError(.invalidScope, message)
        case "invalid_target": OAuthError(.invalidTarget, message)
        case "temporarily_unavailable", "slow_down", "ratelimited": OAuthError(.temporarilyUnavailable, message)
        default: OAuthError(.invalidRequest, message)
        }
    }
}

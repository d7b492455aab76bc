import MCPCore
import MCPCrypto
import MCPPolicy
public import MCPTransport

/// The administrators' side of approvals: `GET /admin/approvals/{id}` shows a pending
/// approval (who asked to call what, under which rule), and `POST /admin/approvals/{id}`
/// with `{"decision": "approve" | "deny", "rememberSeconds": N}` records the outcome; the
/// call then goes through (or is refused) when it is made again. Every request needs
/// `Authorization: Bearer <admin token>`; anything else gets 401 and changes nothing.
public struct ApprovalEndpoint: HTTPResponder {
    /// The path prefix it answers.
    public static let pathPrefix = "/admin/approvals/"

    private let policy: PolicyInterceptor
    private let token: AdminToken

    /// Creates the endpoint.
    ///
    /// - Parameters:
    ///   - policy: the interceptor whose engine holds the approvals.
    ///   - adminToken: the bearer token administrators present (at least 16 bytes).
    public init(policy: PolicyInterceptor, adminToken: String) {
        self.policy = policy
        self.token = AdminToken(adminToken)
    }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        func answer(_ status: Int, _ body: JSONValue, fields: HTTPFields = [:]) async throws {
            var all: HTTPFields = ["Content-Type": "application/json", "Cache-Control": "no-store"]
            for field in fields { all.append(name: field.name, value: field.value) }
            try await response.send(status: HTTPStatus(code: status), fields: all, body: body.serialized)
        }
        guard token.authorizes(request.header("Authorization")) else {
            return try await answer(401, ["error": "unauthorized"], fields: ["WWW-Authenticate": "Bearer"])
        }
        let id = String(request.head.path.dropFirst(Self.pathPrefix.count))
        guard id.hasPrefix("apr_"), id.utf8.count <= 64 else { return try await answer(404, ["error": "not_found"]) }
        let approvals = policy.currentEngine.approvals
        switch request.head.method {
        case .get:
            guard let record = approvals.request(ApprovalID(id)) else {
                return try await answer(404, ["error": "not_found"])
            }
            try await answer(200, Self.describe(record))
        case .post:
            let body = try await request.collectBody(upTo: 4096)
            guard let value = try? JSONValue(parsing: body), let decision = value["decision"]?.stringValue,
                decision == "approve" || decision == "deny"
            else {
                return try await answer(
                    400, ["error": "invalid_request", "error_description": "decision must be approve or deny"])
            }
            let remember = value["rememberSeconds"]?.numberValue?.int64Value ?? 0
            guard (0...86_400 * 30).contains(remember) else {
                return try await answer(
                    400, ["error": "invalid_request", "error_description": "rememberSeconds must be 0 to 2592000"])
            }
            do {
                let record = try approvals.record(
                    ApprovalID(id), outcome: decision == "approve" ? .approved : .denied, by: "administrator",
                    rememberForSeconds: remember, now: .now)
                try await answer(200, Self.describe(record))
            } catch {
                try await answer(
                    409,
                    [
                        "error": "conflict",
                        "error_description": .string("\((error as? PolicyError)?.code.description ?? "refused")"),
                    ])
            }
        default:
            try await response.send(status: HTTPStatus(code: 405), fields: ["Allow": "GET, POST"])
        }
    }

    private static func describe(_ record: ApprovalRecord) -> JSONValue {
        var object: JSONObject = [
            "id": .string(record.id.rawValue), "organization": .string(record.scope.organization),
            "subject": .string(record.scope.subject), "upstream": .string(record.scope.upstream),
            "kind": .string(record.scope.kind.rawValue), "name": .string(record.scope.name),
            "rule": .string(record.rule.description), "status": .string(record.outcome?.rawValue ?? "pending"),
        ]
        if let reason = record.rule.reason { object["reason"] = .string(reason) }
        if let by = record.decidedBy { object["decidedBy"] = .string(by) }
        return .object(object)
    }
}

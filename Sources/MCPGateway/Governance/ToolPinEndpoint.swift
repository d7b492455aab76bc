import MCPCore
import MCPCrypto
public import MCPTransport

/// The administrators' side of tool pinning: `POST /admin/tools/{upstream}/{tool}/approve`
/// approves the definition a server shows now (after a change was reviewed), so the tool
/// is listed and callable again. Needs `Authorization: Bearer <admin token>`; anything else
/// gets 401 and changes nothing.
public struct ToolPinEndpoint: HTTPResponder {
    /// The path prefix it answers.
    public static let pathPrefix = "/admin/tools/"

    private let inspection: InspectionInterceptor
    private let token: AdminToken

    /// Creates the endpoint.
    ///
    /// - Parameters:
    ///   - inspection: the interceptor whose pins are approved.
    ///   - adminToken: the bearer token administrators present (at least 16 bytes).
    public init(inspection: InspectionInterceptor, adminToken: String) {
        self.inspection = inspection
        self.token = AdminToken(adminToken)
    }

    public func respond(to request: HTTPServerRequest, with response: HTTPServerResponse) async throws {
        func answer(_ status: Int, _ body: JSONValue) async throws {
            try await response.send(
                status: HTTPStatus(code: status),
                fields: ["Content-Type": "application/json", "Cache-Control": "no-store"],
                body: body.serialized)
        }
        guard token.authorizes(request.header("Authorization")) else {
            return try await response.send(
                status: HTTPStatus(code: 401),
                fields: ["WWW-Authenticate": "Bearer", "Content-Type": "application/json"],
                body: Array(#"{"error":"unauthorized"}"#.utf8))
        }
        let parts = request.head.path.dropFirst(Self.pathPrefix.count).split(
            separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "approve", !parts[0].isEmpty, !parts[1].isEmpty else {
            return try await answer(404, ["error": "not_found"])
        }
        guard request.head.method == .post else {
            return try await response.send(status: HTTPStatus(code: 405), fields: ["Allow": "POST"])
        }
        let upstream = String(parts[0])
        let tool = String(parts[1])
        guard inspection.pins.approve(server: upstream, tool: tool) else {
            return try await answer(404, ["error": "unknown_tool"])
        }
        try await answer(200, ["upstream": .string(upstream), "tool": .string(tool), "status": "approved"])
    }
}

/// An administrator's bearer token, compared in constant time.
struct AdminToken: Sendable {
    private let bytes: [UInt8]

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    func authorizes(_ header: String?) -> Bool {
        guard let header, header.hasPrefix("Bearer "), bytes.count >= 16 else { return false }
        return ConstantTime.isEqual(Array(header.utf8.dropFirst(7)), bytes)
    }
}

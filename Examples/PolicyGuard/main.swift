// mcp-policy-example: MCPPolicy alone, guarding plain Swift functions. Each function is a
// "tool" of the upstream "files"; a call runs only when the policy allows it. Prints the
// decision of a few calls and exits 0.
import MCPCore
import MCPPolicy

let policyText = #"""
    {
      "id": "example", "organization": "example", "defaultEffect": "deny",
      "tools": [{ "upstream": "files", "names": ["read_*", "list"], "traits": ["readOnly"] }],
      "readOnlyMode": [{ "id": "guests-read-only", "when": { "teams": ["guests"] } }],
      "rules": [
        { "id": "reads", "effect": "allow", "when": { "traits": ["readOnly"] } },
        { "id": "writes", "effect": "allow", "when": { "names": ["write_file"] } },
        { "id": "no-system-files", "effect": "deny", "reason": "system files are off limits",
          "when": { "arguments": [{ "path": "path", "op": "regex", "value": "^/(etc|proc|sys)/" }] } },
        { "id": "delete-needs-approval", "effect": "requireApproval", "when": { "names": ["delete_file"] } },
        { "id": "list-limit", "effect": "rateLimit", "when": { "names": ["list"] },
          "rateLimit": { "capacity": 2, "refillPerSecond": 0.1, "key": ["principal"] } }
      ]
    }
    """#

/// The guarded functions.
func readFile(_ path: String) -> String { "contents of \(path)" }
func writeFile(_ path: String) -> String { "wrote \(path)" }
func deleteFile(_ path: String) -> String { "deleted \(path)" }
func list() -> String { "a.txt b.txt" }

let tools: [String: (String) -> String] = [
    "read_file": readFile, "write_file": writeFile, "delete_file": deleteFile, "list": { _ in list() },
]

/// Runs a tool if the policy allows it, and prints what happened.
@MainActor
func guarded(_ engine: PolicyEngine, _ who: PolicyPrincipal, _ tool: String, path: String, at now: PolicyTime) {
    let request = PolicyRequest(
        principal: who, upstream: "files", kind: .toolCall, name: tool, arguments: ["path": .string(path)])
    let decision = engine.decide(request, now: now)
    let label = "\(who.subject) \(tool)(\(path))".padding(to: 40)
    switch decision.outcome {
    case .allow: print("\(label) allow     -> \(tools[tool]!(path))")
    case .deny: print("\(label) deny      -> \(decision.reason)")
    case .requireApproval:
        print("\(label) approval  -> \(decision.reason), request \(decision.approvalID!.rawValue.prefix(8))...")
    case .rateLimited: print("\(label) limited   -> retry in \(decision.retryAfterMilliseconds ?? 0) ms")
    }
}

extension String {
    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

do {
    let engine = try PolicyEngine(documents: [try PolicyDocument(parsing: policyText)])
    let now = PolicyTime(rfc3339: "2026-11-25T12:00:00Z")!
    let alice = PolicyPrincipal(subject: "alice", organization: "example", teams: ["staff"])
    let guest = PolicyPrincipal(subject: "gus", organization: "example", teams: ["guests"])

    guarded(engine, alice, "read_file", path: "/home/alice/notes.txt", at: now)
    guarded(engine, alice, "read_file", path: "/etc/shadow", at: now)
    guarded(engine, alice, "write_file", path: "/home/alice/todo.txt", at: now)
    guarded(engine, guest, "write_file", path: "/home/gus/todo.txt", at: now)
    guarded(engine, alice, "delete_file", path: "/home/alice/old.txt", at: now)
    for _ in 0..<3 { guarded(engine, alice, "list", path: "/home/alice", at: now) }

    // An administrator approves the deletion for ten minutes; the retried call runs.
    let pending = engine.decide(
        PolicyRequest(
            principal: alice, upstream: "files", kind: .toolCall, name: "delete_file",
            arguments: ["path": "/home/alice/old.txt"]), now: now)
    try engine.approvals.record(pending.approvalID!, outcome: .approved, by: "admin", rememberForSeconds: 600, now: now)
    guarded(engine, alice, "delete_file", path: "/home/alice/old.txt", at: now.adding(seconds: 5))

    let visible = engine.visibleNames(
        ["read_file", "write_file", "delete_file", "list"],
        for: PolicyRequest(principal: guest, upstream: "files", kind: .toolCall, name: ""), now: now)
    print("tools listed to gus: \(visible.joined(separator: ", "))")

    print(
        "\n"
            + engine.explain(
                PolicyRequest(
                    principal: alice, upstream: "files", kind: .toolCall, name: "read_file",
                    arguments: ["path": "/etc/shadow"]), now: now
            ).text)
} catch {
    print("policy refused: \(error)")
    fatalError()
}

import MCPCore
import MCPPolicy
import Testing

@Suite("Sharing an engine between tasks")
struct ConcurrencyTests {
    @Test("concurrent decisions share rate-limit buckets exactly: capacity calls pass, no more")
    func sharedBuckets() async throws {
        let policy = try engine(
            allowAll(
                #"{"id":"limit","effect":"rateLimit","rateLimit":{"capacity":100,"refillPerSecond":0.001,"key":["tool"]}}"#
            ))
        let now = wednesdayNoon
        let admitted = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var count = 0
                    for index in 0..<50 {
                        let who = principal("user-\(worker)-\(index)")
                        if policy.decide(call("search", as: who), now: now).outcome == .allow { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(admitted == 100)
    }

    @Test("concurrent calls of one pending approval share one request id")
    func sharedApproval() async throws {
        let policy = try engine(allowAll(#"{"id":"p","effect":"requireApproval"}"#))
        let ids = await withTaskGroup(of: ApprovalID?.self) { group in
            for _ in 0..<16 {
                group.addTask { policy.decide(call("merge", arguments: ["pr": 1]), now: wednesdayNoon).approvalID }
            }
            var ids: Set<ApprovalID?> = []
            for await id in group { ids.insert(id) }
            return ids
        }
        #expect(ids.count == 1)
        #expect(ids.first! != nil)
    }
}

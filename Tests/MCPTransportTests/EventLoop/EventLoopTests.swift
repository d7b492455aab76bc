import Synchronization
import Testing

@testable import MCPTransport

@Suite("Event loop")
struct EventLoopTests {
    @Test func tasksPreferringTheLoopRunOnItsThread() async throws {
        let loop = try EventLoop.start(name: "test")
        defer { loop.stop() }
        #expect(!loop.inEventLoop)
        let onLoop = await withTaskExecutorPreference(loop) { loop.inEventLoop }
        #expect(onLoop)
        let sum = await withTaskExecutorPreference(loop) {
            await withTaskGroup(of: Int.self) { group in
                for index in 1...100 { group.addTask { loop.inEventLoop ? index : -1_000_000 } }
                return await group.reduce(0, +)
            }
        }
        #expect(sum == 5050)
    }

    @Test func closuresRunInOrder() async throws {
        let loop = try EventLoop.start(name: "test")
        defer { loop.stop() }
        let seen = Mutex<[Int]>([])
        for index in 0..<1000 { loop.execute { seen.withLock { $0.append(index) } } }
        let last = try await loop.submit { seen.withLock { $0.count } }
        #expect(last == 1000)
        #expect(seen.withLock { $0 } == Array(0..<1000))
    }

    @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() async throws {
        let loop = try EventLoop.start(name: "test")
        defer { loop.stop() }
        let fired = Mutex<[Int]>([])
        let done = ByteStreamQueue(limit: 1) {}
        try await loop.submit {
            let now = ContinuousClock.now
            loop.scheduleTimer(at: now + .milliseconds(30)) { fired.withLock { $0.append(3) } }
            loop.scheduleTimer(at: now + .milliseconds(10)) { fired.withLock { $0.append(1) } }
            let cancelled = loop.scheduleTimer(at: now + .milliseconds(20)) { fired.withLock { $0.append(2) } }
            loop.cancelTimer(cancelled)
            loop.scheduleTimer(at: now + .milliseconds(40)) { done.finish() }
        }
        _ = try await done.next()
        #expect(fired.withLock { $0 } == [1, 3])
    }

    @Test func timerQueueOrdersManyDeadlines() {
        var queue = TimerQueue()
        let base = ContinuousClock.now
        var order: [Int] = []
        var generator = SystemRandomNumberGenerator()
        let offsets = (0..<200).map { _ in Int.random(in: 0..<10_000, using: &generator) }
        var ids: [UInt64] = []
        for (index, offset) in offsets.enumerated() {
            ids.append(queue.schedule(at: base + .microseconds(offset)) { order.append(index) })
        }
        for id in ids.prefix(50) { queue.cancel(id) }
        queue.fireDue(now: base + .seconds(1))
        let expected = (50..<200).sorted { (offsets[$0], $0) < (offsets[$1], $1) }
        #expect(order.map { offsets[$0] } == expected.map { offsets[$0] })
        #expect(Set(order) == Set(50..<200))
        #expect(queue.count == 0)
    }
}

@Suite("Byte stream queue")
struct ByteStreamQueueTests {
    @Test func deliversInOrderThenEnds() async throws {
        let queue = ByteStreamQueue(limit: 1024) {}
        queue.push([1, 2])
        queue.push([3])
        queue.finish()
        #expect(try await queue.next() == [1, 2])
        #expect(try await queue.next() == [3])
        #expect(try await queue.next() == nil)
        #expect(try await queue.next() == nil)
    }

    @Test func tellsTheProducerToPauseAndResume() async throws {
        let resumed = Mutex(0)
        let queue = ByteStreamQueue(limit: 10) { resumed.withLock { $0 += 1 } }
        #expect(queue.push([UInt8](repeating: 0, count: 6)))
        #expect(!queue.push([UInt8](repeating: 0, count: 6)))  // 12 >= 10: pause
        _ = try await queue.next()  // 6 left: above half of the bound
        #expect(resumed.withLock { $0 } == 0)
        _ = try await queue.next()  // 0 left
        #expect(resumed.withLock { $0 } == 0 || resumed.withLock { $0 } == 1)
        #expect(queue.bufferedBytes == 0)
    }

    @Test func resumesAPausedProducerOnceDrainedBelowHalf() async throws {
        let resumed = Mutex(0)
        let queue = ByteStreamQueue(limit: 10) { resumed.withLock { $0 += 1 } }
        queue.push([UInt8](repeating: 0, count: 4))
        queue.push([UInt8](repeating: 0, count: 4))
        #expect(!queue.push([UInt8](repeating: 0, count: 4)))
        _ = try await queue.next()  // 8 left
        #expect(resumed.withLock { $0 } == 0)
        _ = try await queue.next()  // 4 left: at or below half
        #expect(resumed.withLock { $0 } == 1)
    }

    @Test func aWaitingConsumerGetsTheNextChunk() async throws {
        let queue = ByteStreamQueue(limit: 1024) {}
        async let received = queue.next()
        try await Task.sleep(for: .milliseconds(20))
        queue.push([9])
        #expect(try await received == [9])
    }

    @Test func endsWithTheProducersError() async throws {
        struct Broken: Error {}
        let queue = ByteStreamQueue(limit: 1024) {}
        queue.push([1])
        queue.finish(throwing: Broken())
        #expect(try await queue.next() == [1])
        await #expect(throws: Broken.self) { try await queue.next() }
    }

    @Test func cancellingAWaitingConsumerThrows() async throws {
        let queue = ByteStreamQueue(limit: 1024) {}
        let waiter = Task { try await queue.next() }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }
}

@Suite("Event loop timers that schedule timers")
struct EventLoopReentrantTimerTests {
    @Test func aTimerMayScheduleAndCancelTimers() async throws {
        let loop = try EventLoop.start(name: "timers")
        defer { loop.stop() }
        let done = ByteStreamQueue(limit: 1) {}
        let fired = Mutex<[Int]>([])
        try await loop.submit {
            loop.scheduleTimer(at: .now + .milliseconds(5)) {
                fired.withLock { $0.append(1) }
                let cancelled = loop.scheduleTimer(at: .now + .milliseconds(5)) { fired.withLock { $0.append(99) } }
                loop.cancelTimer(cancelled)
                loop.scheduleTimer(at: .now + .milliseconds(10)) {
                    fired.withLock { $0.append(2) }
                    done.finish()
                }
            }
        }
        _ = try await done.next()
        #expect(fired.withLock { $0 } == [1, 2])
    }
}

/// The timers of one event loop: a binary min-heap of deadlines with lazy cancellation.
struct TimerQueue {
    private struct Entry {
        var deadline: ContinuousClock.Instant
        var id: UInt64
    }

    private var heap: [Entry] = []
    private var work: [UInt64: () -> Void] = [:]
    private var nextID: UInt64 = 1

    /// The earliest deadline of a timer that has not been cancelled.
    var nextDeadline: ContinuousClock.Instant? {
        mutating get {
            while let first = heap.first, work[first.id] == nil { popFirst() }
            return heap.first?.deadline
        }
    }

    /// The number of timers that will still fire.
    var count: Int { work.count }

    mutating func schedule(at deadline: ContinuousClock.Instant, _ body: @escaping () -> Void) -> UInt64 {
        let id = nextID
        nextID += 1
        work[id] = body
        heap.append(Entry(deadline: deadline, id: id))
        siftUp(heap.count - 1)
        return id
    }

    mutating func cancel(_ id: UInt64) {
        work[id] = nil
    }

    /// Removes every timer whose deadline is at or before `now` and returns their work, in
    /// deadline order. The caller runs the work after this returns, so that work may
    /// schedule or cancel timers.
    mutating func takeDue(now: ContinuousClock.Instant) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            popFirst()
            if let body = work.removeValue(forKey: first.id) { due.append(body) }
        }
        return due
    }

    /// Runs every timer whose deadline is at or before `now`, in deadline order; timers
    /// that this work schedules run on a later call.
    mutating func fireDue(now: ContinuousClock.Instant) {
        for body in takeDue(now: now) { body() }
    }

    private mutating func popFirst() {
        let last = heap.removeLast()
        guard !heap.isEmpty else { return }
        heap[0] = last
        siftDown(0)
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].deadline < heap[parent].deadline else { return }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// A map with a fixed capacity that forgets its least recently used entry when full.
/// Every operation is O(1); slots live in arrays linked by index.
struct LRUTable<Value> {
    private var slots: [String: Int] = [:]
    private var keys: [String] = []
    private var values: [Value] = []
    private var previous: [Int] = []
    private var next: [Int] = []
    private var head = -1  // most recent
    private var tail = -1  // least recent
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { slots.count }

    /// The value for `key`, marking it most recently used.
    mutating func value(for key: String) -> Value? {
        guard let slot = slots[key] else { return nil }
        touch(slot)
        return values[slot]
    }

    /// The value for `key` without changing the order (for inspection).
    func peek(_ key: String) -> Value? {
        slots[key].map { values[$0] }
    }

    /// Sets the value for `key`, marking it most recently used; evicts the least recently
    /// used entry when a new key would exceed the capacity.
    mutating func set(_ value: Value, for key: String) {
        if let slot = slots[key] {
            values[slot] = value
            touch(slot)
            return
        }
        let slot: Int
        if slots.count >= capacity {
            slot = tail
            unlink(slot)
            slots[keys[slot]] = nil
            keys[slot] = key
            values[slot] = value
        } else {
            slot = keys.count
            keys.append(key)
            values.append(value)
            previous.append(-1)
            next.append(-1)
        }
        slots[key] = slot
        linkAtHead(slot)
    }

    /// Removes the value for `key`, if any. The slot is reused by the next new key.
    mutating func remove(_ key: String) {
        guard let slot = slots[key] else { return }
        unlink(slot)
        slots[key] = nil
        if slots.isEmpty {
            keys.removeAll()
            values.removeAll()
            previous.removeAll()
            next.removeAll()
            head = -1
            tail = -1
            return
        }
        // Move the last slot into this one, keeping its place in the order.
        let last = keys.count - 1
        if slot != last {
            let before = previous[last]
            let after = next[last]
            keys[slot] = keys[last]
            values[slot] = values[last]
            previous[slot] = before
            next[slot] = after
            if before >= 0 { next[before] = slot } else { head = slot }
            if after >= 0 { previous[after] = slot } else { tail = slot }
            slots[keys[slot]] = slot
        }
        keys.removeLast()
        values.removeLast()
        previous.removeLast()
        next.removeLast()
    }

    private mutating func touch(_ slot: Int) {
        guard head != slot else { return }
        unlink(slot)
        linkAtHead(slot)
    }

    private mutating func unlink(_ slot: Int) {
        let before = previous[slot]
        let after = next[slot]
        if before >= 0 { next[before] = after } else { head = after }
        if after >= 0 { previous[after] = before } else { tail = before }
        previous[slot] = -1
        next[slot] = -1
    }

    private mutating func linkAtHead(_ slot: Int) {
        previous[slot] = -1
        next[slot] = head
        if head >= 0 { previous[head] = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}

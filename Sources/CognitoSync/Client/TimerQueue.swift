/// Deadlines ordered by time (a binary min-heap); ties keep insertion order.
struct TimerQueue {
    private struct Entry {
        let deadline: Double
        let sequence: Int
        let action: () -> Void
        func precedes(_ other: Entry) -> Bool {
            deadline < other.deadline || (deadline == other.deadline && sequence < other.sequence)
        }
    }

    private var heap: [Entry] = []
    private var nextSequence = 0

    var isEmpty: Bool { heap.isEmpty }
    var nextDeadline: Double? { heap.first?.deadline }

    mutating func schedule(at deadline: Double, _ action: @escaping () -> Void) {
        heap.append(Entry(deadline: deadline, sequence: nextSequence, action: action))
        nextSequence += 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the actions whose deadline is at or before `now`, earliest first.
    mutating func popDue(now: Double) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = heap.first, first.deadline <= now {
            due.append(first.action)
            let last = heap.removeLast()
            if !heap.isEmpty {
                heap[0] = last
                siftDown()
            }
        }
        return due
    }

    private mutating func siftDown() {
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < heap.count && heap[left].precedes(heap[smallest]) { smallest = left }
            if right < heap.count && heap[right].precedes(heap[smallest]) { smallest = right }
            if smallest == parent { return }
            heap.swapAt(parent, smallest)
            parent = smallest
        }
    }
}

/// The calls of one client waiting to be sent: retries first (they are older), then new calls, each in order.
/// Pops from the front in constant time.
struct CallQueue {
    private var retries = FIFO()
    private var calls = FIFO()

    var isEmpty: Bool { retries.isEmpty && calls.isEmpty }

    mutating func append(_ call: PendingCall) { calls.append(call) }

    mutating func appendRetry(_ call: PendingCall) { retries.append(call) }

    mutating func popFirst() -> PendingCall? { retries.popFirst() ?? calls.popFirst() }

    private struct FIFO {
        private var items: [PendingCall] = []
        private var head = 0

        var isEmpty: Bool { head == items.count }

        mutating func append(_ call: PendingCall) { items.append(call) }

        mutating func popFirst() -> PendingCall? {
            guard head < items.count else { return nil }
            let call = items[head]
            head += 1
            if head > 64 && head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return call
        }
    }
}

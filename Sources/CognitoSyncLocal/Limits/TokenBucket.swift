/// A token bucket: it starts full, refills continuously at `rate` tokens per second up to `capacity`, and each
/// admitted request takes one token.
struct TokenBucket {
    let rate: Double
    let capacity: Double
    private(set) var tokens: Double
    /// When `tokens` was last brought up to date, in nanoseconds of a monotonic clock.
    private var updated: UInt64

    init(rate: Double, capacity: Double, now: UInt64) {
        self.rate = rate
        self.capacity = capacity
        tokens = capacity
        updated = now
    }

    var hasToken: Bool {
        tokens >= 1
    }

    /// Adds what the time since the last update earned. A clock reading older than the last one adds nothing.
    mutating func refill(at now: UInt64) {
        guard now > updated else {
            return
        }
        tokens = min(capacity, tokens + Double(now - updated) / 1_000_000_000 * rate)
        updated = now
    }

    mutating func take() {
        tokens -= 1
    }
}

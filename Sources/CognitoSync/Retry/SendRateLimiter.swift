/// Paces the requests of one client: every attempt asks it for a send token, and every answer is reported
/// back, so the rate follows what the service accepts. Single-threaded, driven by the engine with a clock.
protocol SendRateLimiter: AnyObject {
    /// Takes a send token at `now` and returns 0, or returns the seconds until one is available.
    func reserve(now: Double) -> Double
    /// Records the answer to an attempt sent in `window` (see `window`).
    func observe(_ sample: AttemptSample, now: Double)
    /// The measurement window an attempt sent now belongs to.
    var window: Int { get }
    /// Requests per second in force at `now`, or nil while sending is not limited.
    func sendRate(now: Double) -> Double?
    /// The rate the limiter believes the service allows, or nil before it has seen pushback.
    var allowedRate: Double? { get }
}

/// What one attempt came to, as a send-rate limiter sees it.
struct AttemptSample {
    enum Outcome {
        case success
        case throttled
        /// Any other error or a failure without a response.
        case failed
    }

    var outcome: Outcome
    /// The window the attempt was sent in.
    var window: Int
    /// Seconds from sending to the answer.
    var latency: Double
}

/// A token bucket that spaces sends out at `fillRate` per second, holding at most `capacity` tokens.
struct SendTokenBucket {
    private(set) var fillRate: Double
    private(set) var capacity: Double
    private var tokens = 0.0
    private var lastRefill: Double?

    init(rate: Double, capacity: Double) {
        fillRate = rate
        self.capacity = capacity
    }

    /// Changes the rate; tokens earned at the old rate are kept, up to the new capacity.
    mutating func set(rate: Double, capacity: Double, now: Double) {
        refill(now)
        fillRate = rate
        self.capacity = capacity
        tokens = min(tokens, capacity)
    }

    mutating func reserve(now: Double) -> Double {
        refill(now)
        // A hair short of a token counts as one: the wait would be below the clock's resolution.
        if tokens >= 1 - 1e-9 {
            tokens = max(0, tokens - 1)
            return 0
        }
        return (1 - tokens) / fillRate
    }

    private mutating func refill(_ now: Double) {
        if let lastRefill, now > lastRefill { tokens = min(capacity, tokens + (now - lastRefill) * fillRate) }
        lastRefill = max(now, lastRefill ?? now)
    }
}

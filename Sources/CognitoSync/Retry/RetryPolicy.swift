import CognitoSyncModel

/// When and after how long a failed attempt is tried again (exponential backoff with full jitter).
public struct RetryPolicy {
    /// Retries after the first attempt.
    public var maxRetries: Int = 3
    /// Seconds; the first retry waits up to `base`, each later one up to twice as long.
    public var base: Double = 0.1
    /// Upper bound of any single wait, in seconds.
    public var cap: Double = 20
    /// Replaces the computed delay: given the retry count (0 for the first retry), the error and the
    /// operation's name, returns milliseconds to wait, or nil (or a negative number) to stop retrying.
    public var customBackoff: ((Int, ServiceError, String) -> Double?)?

    public init() {}

    /// The delay in seconds before retry number `retryCount` (0-based), or nil when the error is final.
    /// `retryAfter` is the server's `Retry-After` in seconds, which sets a floor (itself capped at `cap`).
    public func delay(retryCount: Int, error: ServiceError, operation: String, retryAfter: Double?,
                      random: () -> Double = { Double.random(in: 0..<1) }) -> Double? {
        guard error.retryable, retryCount < maxRetries else { return nil }
        var seconds: Double
        if let custom = customBackoff {
            guard let ms = custom(retryCount, error, operation), ms >= 0, ms.isFinite else { return nil }
            seconds = ms / 1000
        } else {
            seconds = random() * min(cap, base * Double(1 << min(retryCount, 30)))
        }
        if let floor = retryAfter { seconds = max(seconds, min(floor, cap)) }
        return seconds
    }
}

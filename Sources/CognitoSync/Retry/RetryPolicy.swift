import CognitoSyncModel

/// When and after how long a failed attempt is tried again: the AWS SDKs' standard backoff as of 2026-11
/// (exponential with full jitter, a base by error class, a cap), `Retry-After` and `x-amz-retry-after`.
public struct RetryPolicy {
    /// Seconds of the first window after a throttling error.
    public static let throttlingBase = 1.0
    /// Seconds of the first window after any other retryable error.
    public static let transientBase = 0.05
    /// How far past the computed delay `x-amz-retry-after` may push a retry, in seconds (botocore's bound).
    static let serverHintAllowance = 5.0

    /// Retries after the first attempt (3 attempts in all, as the SDKs default to).
    public var maxRetries: Int = 2
    /// Seconds; when set (`retryDelayOptions.base`), the first window for every error class.
    public var base: Double?
    /// Upper bound of any single wait, in seconds.
    public var cap: Double = 20
    /// Replaces the computed delay: given the retry count (0 for the first retry), the error and the
    /// operation's name, returns milliseconds to wait (more than `cap` waits `cap`), or nil to stop retrying.
    /// A negative or NaN answer, or an error it throws (see `refusedBackoff`), is what the call then fails with:
    /// a careless function must not silently end the retries.
    public var customBackoff: ((Int, ServiceError, String) throws(ServiceError) -> Double?)?

    public init() {}

    /// What the server said about when to come back.
    public struct ServerHint {
        /// `Retry-After`, in seconds: a floor, itself capped at `cap`.
        public var retryAfter: Double?
        /// `x-amz-retry-after`, in seconds: honoured up to `serverHintAllowance` past the computed delay.
        public var amzRetryAfter: Double?

        public init(retryAfter: Double? = nil, amzRetryAfter: Double? = nil) {
            self.retryAfter = retryAfter
            self.amzRetryAfter = amzRetryAfter
        }
    }

    /// The first window for `error`'s class.
    public func base(for error: ServiceError) -> Double {
        base ?? (error.isThrottling ? Self.throttlingBase : Self.transientBase)
    }

    /// The delay in seconds before retry number `retryCount` (0-based), or nil when the error is final; throws
    /// when `customBackoff` answered no delay.
    public func delay(retryCount: Int, error: ServiceError, operation: String, hint: ServerHint = ServerHint(),
                      random: () -> Double = { Double.random(in: 0..<1) }) throws(ServiceError) -> Double? {
        guard error.retryable, retryCount < maxRetries else { return nil }
        guard let seconds = try backoff(retryCount: retryCount, error: error, operation: operation, random: random)
        else { return nil }
        return honour(hint, after: seconds)
    }

    /// A delay of `seconds` lengthened as the server's hints ask.
    func honour(_ hint: ServerHint, after seconds: Double) -> Double {
        var delay = seconds
        if let amz = hint.amzRetryAfter { delay = max(delay, min(amz, delay + Self.serverHintAllowance)) }
        if let floor = hint.retryAfter { delay = max(delay, min(floor, cap)) }
        return delay
    }

    /// The computed or custom delay alone, without the server's hints; nil when `customBackoff` stops retrying.
    func backoff(retryCount: Int, error: ServiceError, operation: String,
                 random: () -> Double = { Double.random(in: 0..<1) }) throws(ServiceError) -> Double? {
        if let custom = customBackoff {
            guard let ms = try custom(retryCount, error, operation) else { return nil }
            // NaN fails this test too.
            guard ms >= 0 else { throw Self.refusedBackoff("returned \(Self.describe(ms))", retrying: error) }
            return min(ms / 1000, cap)
        }
        return random() * min(cap, base(for: error) * Double(1 << min(retryCount, 30)))
    }

    /// The error a call fails with when `customBackoff` did not answer a delay: `problem` says what it did instead
    /// (`returned -1`, `returned a string ("10")`, `failed: message`); `error` is the attempt's failure.
    public static func refusedBackoff(_ problem: String, retrying error: ServiceError) -> ServiceError {
        ServiceError(code: "InvalidParameter", message: "retryDelayOptions.customBackoff \(problem); it must return"
            + " milliseconds >= 0, or nil to stop retrying (while retrying \(error.code): \(error.message))")
    }

    /// A number as Lua prints it: `-1`, `-0.5`, `nan`.
    private static func describe(_ ms: Double) -> String {
        if ms.isNaN { return "nan" }
        return ms == ms.rounded() && abs(ms) < 1e15 ? String(Int64(ms)) : "\(ms)"
    }
}

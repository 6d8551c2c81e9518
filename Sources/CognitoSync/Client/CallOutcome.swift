import CognitoSyncModel

/// The end of one API call, after any retries.
public struct CallOutcome {
    /// The output read by the model, or nil when the call was submitted with a sink of its own, which holds it.
    public var result: Result<Value?, ServiceError>
    /// Retries made before this result, of every kind.
    public var retryCount: Int
    /// The same retries by what caused them.
    public var retries: RetryCounts
    /// Attempts that were answered with a throttling error (429 or a throttling code), retried or not.
    public var throttledAttempts: Int
    /// The call failed because the client's retry quota could not pay for another retry.
    public var quotaExhausted: Bool
    /// Seconds from the first dispatch to the result.
    public var latency: Double
}

/// Retries by cause.
public struct RetryCounts {
    /// After the service throttled the request.
    public var throttling = 0
    /// After any other retryable error: 5xx, a dropped connection, a timeout.
    public var transient = 0
    /// Once, at once, after the server rejected a signature made with a clock it disagrees with.
    public var clockSkew = 0
    /// Once, with new credentials, after the service said the session token had expired.
    public var expiredCredentials = 0

    public init() {}
}

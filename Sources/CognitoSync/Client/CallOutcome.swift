import CognitoSyncModel

/// The end of one API call, after any retries.
public struct CallOutcome {
    public var result: Result<Value, ServiceError>
    /// Retries made before this result.
    public var retryCount: Int
    /// Attempts that were answered with a throttling error (429 or a throttling code), retried or not.
    public var throttledAttempts: Int
    /// Seconds from the first dispatch to the result.
    public var latency: Double
}

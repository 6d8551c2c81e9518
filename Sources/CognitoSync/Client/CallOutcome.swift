/// The end of one API call, after any retries.
public struct CallOutcome {
    public var result: Result<Value, ServiceError>
    /// Retries made before this result.
    public var retryCount: Int
    /// Seconds from the first dispatch to the result.
    public var latency: Double
}

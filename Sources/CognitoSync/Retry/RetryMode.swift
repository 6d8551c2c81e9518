import CognitoSyncModel

/// How a client retries and paces its requests (`retryMode`, `--retry-mode`, `AWS_RETRY_MODE`, `retry_mode`).
public enum RetryMode: String, CaseIterable {
    /// The AWS SDKs' standard mode: backoff by error class, 3 attempts, a 500-token retry quota.
    case standard
    /// Standard plus botocore's client-side send-rate limiter (CUBIC), engaged by the first throttle.
    case adaptive
    /// The default here, for batch work: standard for errors, and a send-rate controller shared by every call
    /// of the client that learns the rate the service allows from throttles and latency. Throttled requests
    /// wait for their turn and are sent again without spending attempts or retry quota.
    case batch

    /// Reads a mode name as the AWS SDKs do (`legacy` is taken as `standard`); nil for an unknown name.
    public init?(name: String) {
        let lowered = name.trimmingWhitespaces().lowercased()
        if lowered == "legacy" {
            self = .standard
        } else if let mode = RetryMode(rawValue: lowered) {
            self = mode
        } else {
            return nil
        }
    }

    /// The accepted names, for error messages.
    public static let names = "standard, adaptive, batch (or legacy, meaning standard)"
}

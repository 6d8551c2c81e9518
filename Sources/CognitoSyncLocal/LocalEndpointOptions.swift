import Foundation

/// How a `LocalEndpoint` listens, stores its state, authenticates and limits callers and misbehaves on purpose.
public struct LocalEndpointOptions {
    /// The access key id accepted when no credentials are configured.
    public static let defaultAccessKeyId = "AKIDLOCAL"
    /// The secret of the default access key id. It protects nothing; it only lets clients sign requests.
    public static let defaultSecretAccessKey = "cogsync-local-secret"

    /// The address to listen on.
    public var host = "127.0.0.1"
    /// The TCP port; 0 picks a free one.
    public var port = 0
    /// An SQLite file holding the state; nil keeps it in memory.
    public var dataFile: String? = nil
    /// The accepted credential pairs; empty means the default pair only.
    public var credentials: [(accessKeyId: String, secret: String)] = []
    /// The faults to inject.
    public var faults = FaultSpec()
    /// The request-rate limits, each per access key: at most one for every request and one per operation.
    /// A later limit for the same scope replaces an earlier one.
    public var rateLimits: [RateLimitSpec] = []
    /// The seed of the fault sequence; nil draws a random one.
    public var seed: UInt64? = nil
    /// Seconds added to the system clock for everything the endpoint dates or checks.
    public var clockOffset: TimeInterval = 0
    /// How long a bulk publish stays IN_PROGRESS.
    public var bulkPublishDuration: TimeInterval = 1
    /// How long a SyncSessionToken stays valid.
    public var syncSessionLifetime: TimeInterval = 30 * 60

    /// Options with every default: loopback, a free port, memory storage, the default credentials, no rate limits,
    /// no faults.
    public init() {}

    /// The credential pairs in force: the configured ones, or the default pair when none are configured.
    public var effectiveCredentials: [(accessKeyId: String, secret: String)] {
        credentials.isEmpty ? [(Self.defaultAccessKeyId, Self.defaultSecretAccessKey)] : credentials
    }
}

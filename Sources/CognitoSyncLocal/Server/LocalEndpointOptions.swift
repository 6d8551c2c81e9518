#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

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
    /// How long a connection may stay idle (no request being read or answered) before the endpoint closes it.
    public var idleTimeout: TimeInterval = 60

    /// The largest clock offset and bulk publish duration, either way: a century keeps every date the endpoint
    /// writes or checks within years 1 to 9999, the range of the date formats and of the SDKs' timestamps.
    public static let maximumClockOffset: TimeInterval = 100 * 365 * 86_400
    /// The idle timeouts accepted: at least a millisecond, at most a day.
    public static let idleTimeoutRange: ClosedRange<TimeInterval> = 0.001...86_400

    /// Options with every default: loopback, a free port, memory storage, the default credentials, no rate limits,
    /// no faults.
    public init() {}

    /// Throws when a number is out of its range, naming the option; the endpoint checks its options before it starts,
    /// so no value can make a request trap later.
    public func validate() throws {
        func check(_ valid: Bool, _ name: String, _ value: Double, _ range: String) throws {
            if !valid {
                throw LocalEndpointOptionsError(message: "\(name) \(value) is out of range (\(range))")
            }
        }
        let offset = Self.maximumClockOffset
        try check(clockOffset.isFinite && abs(clockOffset) <= offset, "clockOffset", clockOffset,
                  "-\(Int(offset)) to \(Int(offset)) seconds")
        try check(bulkPublishDuration.isFinite && (0...offset).contains(bulkPublishDuration), "bulkPublishDuration",
                  bulkPublishDuration, "0 to \(Int(offset)) seconds")
        try check(syncSessionLifetime.isFinite && syncSessionLifetime >= 0, "syncSessionLifetime", syncSessionLifetime,
                  "0 seconds or more")
        try check(Self.idleTimeoutRange.contains(idleTimeout), "idleTimeout", idleTimeout, "0.001 to 86400 seconds")
        try check(faults.latency.isFinite && (0...FaultSpec.maximumLatency).contains(faults.latency), "faults.latency",
                  faults.latency, "0 to \(Int(FaultSpec.maximumLatency)) seconds")
    }

    /// The credential pairs in force: the configured ones, or the default pair when none are configured.
    public var effectiveCredentials: [(accessKeyId: String, secret: String)] {
        credentials.isEmpty ? [(Self.defaultAccessKeyId, Self.defaultSecretAccessKey)] : credentials
    }
}

/// Endpoint options that cannot be used.
public struct LocalEndpointOptionsError: Error, CustomStringConvertible {
    /// Which option is wrong, and its range.
    public let message: String

    public var description: String { message }
}

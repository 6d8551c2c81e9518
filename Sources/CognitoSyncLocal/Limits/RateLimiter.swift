#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import NIOCore

/// Admits or refuses requests by the configured rate limits: one token bucket per access key for every request
/// (the global limit) and one per access key for each limited operation.
///
/// Safe to call from any thread; the endpoint serves requests on several event loops.
final class RateLimiter {
    private struct BucketKey: Hashable {
        /// The limited operation, or nil for the global bucket.
        let operation: EndpointOperation?
        /// The access key, or nil for requests that name no known key.
        let accessKey: String?
    }

    private let global: RateLimitSpec?
    private let perOperation: [EndpointOperation: RateLimitSpec]
    private let now: () -> UInt64
    private var buckets: [BucketKey: TokenBucket] = [:]
    private let lock = NIOLock()

    /// `now` reads a monotonic clock in nanoseconds: the endpoint's own clock may be offset and the wall clock may
    /// jump, and neither should hand out or withhold tokens. A later limit for the same scope replaces an earlier one.
    init(limits: [RateLimitSpec], now: @escaping () -> UInt64 = { NIODeadline.now().uptimeNanoseconds }) {
        var global: RateLimitSpec?
        var perOperation: [EndpointOperation: RateLimitSpec] = [:]
        for limit in limits {
            if let operation = limit.operation {
                perOperation[operation] = limit
            } else {
                global = limit
            }
        }
        self.global = global
        self.perOperation = perOperation
        self.now = now
    }

    /// Whether a request for `operation` (nil: one that matches no operation) from `accessKey` (nil: anonymous) may
    /// run now. It must find a token in its operation's bucket and in the global bucket, whichever are configured,
    /// and takes one from each only when both have one.
    func admit(accessKey: String?, operation: EndpointOperation?) -> Bool {
        let operationLimit = operation.flatMap { perOperation[$0] }
        if operationLimit == nil, global == nil {
            return true
        }
        let operationKey = BucketKey(operation: operation, accessKey: accessKey)
        let globalKey = BucketKey(operation: nil, accessKey: accessKey)
        lock.lock()
        defer { lock.unlock() }
        let time = now()
        guard operationLimit.map({ hasToken(operationKey, limit: $0, at: time) }) ?? true,
            global.map({ hasToken(globalKey, limit: $0, at: time) }) ?? true
        else {
            return false
        }
        if operationLimit != nil {
            buckets[operationKey]?.take()
        }
        if global != nil {
            buckets[globalKey]?.take()
        }
        return true
    }

    /// Brings the bucket up to date (creating it full) and tells whether it holds a token. Called with the lock held.
    private func hasToken(_ key: BucketKey, limit: RateLimitSpec, at time: UInt64) -> Bool {
        var bucket =
            buckets[key] ?? TokenBucket(rate: limit.requestsPerSecond, capacity: limit.burst, now: time)
        bucket.refill(at: time)
        buckets[key] = bucket
        return bucket.hasToken
    }
}

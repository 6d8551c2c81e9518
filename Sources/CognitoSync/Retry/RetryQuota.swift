/// A token bucket shared by one client's calls, so an endpoint that is down does not multiply traffic:
/// each retry spends tokens (5 after a throttle, 14 after any other error, as the AWS SDKs do since 2026-11),
/// each success refunds some, and retries stop while the bucket cannot pay.
///
/// It also remembers what drained it since it was last full, so the error of a call it refuses can say why.
public struct RetryQuota {
    public static let capacity = 500
    static let throttlingRetryCost = 5
    static let transientRetryCost = 14
    static let successRefund = 1

    public private(set) var available = RetryQuota.capacity
    /// Calls that failed because the bucket could not pay for their retry.
    public private(set) var exhaustions = 0
    /// Since the bucket was last full: when it first paid, and the throttles and other failures it paid for.
    private var drainStartedAt: Double?
    private var throttlesSinceFull = 0
    private var transientsSinceFull = 0

    public init() {}

    /// Takes the cost of one retry at time `now`; returns what was taken, or nil when the bucket cannot pay.
    mutating func acquire(throttling: Bool, now: Double) -> Int? {
        let cost = throttling ? Self.throttlingRetryCost : Self.transientRetryCost
        guard available >= cost else {
            exhaustions += 1
            return nil
        }
        if available == Self.capacity { drainStartedAt = now }
        available -= cost
        if throttling { throttlesSinceFull += 1 } else { transientsSinceFull += 1 }
        return cost
    }

    /// A success puts back what its last retry took, or one token when it needed no retry.
    mutating func release(lastRetryCost: Int?) {
        available = min(Self.capacity, available + (lastRetryCost ?? Self.successRefund))
        if available == Self.capacity {
            drainStartedAt = nil
            throttlesSinceFull = 0
            transientsSinceFull = 0
        }
    }

    /// Why a retry was refused, for the call's error: `retry quota exhausted after 37 throttles and
    /// 12 other failures in 2.3 s`.
    func exhaustionText(now: Double) -> String {
        var causes: [String] = []
        if throttlesSinceFull > 0 { causes.append("\(throttlesSinceFull) throttle\(throttlesSinceFull == 1 ? "" : "s")") }
        if transientsSinceFull > 0 {
            causes.append("\(transientsSinceFull) other failure\(transientsSinceFull == 1 ? "" : "s")")
        }
        let seconds = drainStartedAt.map { max(0, now - $0) } ?? 0
        let what = causes.isEmpty ? "retries" : causes.joined(separator: " and ")
        return "retry quota exhausted after \(what) in \(formatSeconds(seconds)) s"
    }

    private func formatSeconds(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
